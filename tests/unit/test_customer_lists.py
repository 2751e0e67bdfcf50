"""Reading customer lists and telling addresses from everything else, without a database."""

from __future__ import annotations

import io

import pytest

from testimonials.harvest.customers.files import CustomerFileError, entries_from_file
from testimonials.harvest.customers.matching import KnownCustomerSet, customer_hash
from testimonials.harvest.customers.services import address_problem


def _read(body: bytes) -> list[tuple[int | None, str]]:
    return [(entry.line, entry.value) for entry in entries_from_file(io.BytesIO(body))]


@pytest.mark.parametrize(
    "address",
    ["ann@customer.example", "Ann.O'Neil+crm@mail.customer.co.uk", "zoë@bücher.example"],
)
def test_real_addresses_pass(address: str) -> None:
    assert address_problem(address) is None


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("", "empty"),
        ("ann.customer.example", "exactly one @"),
        ("ann@@customer.example", "exactly one @"),
        ("Ann <ann@customer.example>", "bare address"),
        ("ann@localhost", "not a domain"),
        ("ann@customer..example", "not a domain"),
        ("ann.@customer.example", "misplaced dot"),
        ("ann@customer.123", "top-level domain"),
        ("a" * 65 + "@customer.example", "1 to 64"),
        ("ann@" + "d" * 250 + ".example", "254"),
    ],
)
def test_everything_else_is_named(value: str, said: str) -> None:
    problem = address_problem(value)
    assert problem is not None and said in problem


def test_plain_lists_keep_line_numbers_and_skip_blank_lines() -> None:
    assert _read(b"\r\nann@customer.example\r\n\r\n  bob@customer.example  \r\n") == [
        (2, "ann@customer.example"),
        (4, "bob@customer.example"),
    ]


def test_csv_exports_are_read_by_their_email_column_with_quotes_and_bom() -> None:
    body = '\ufeff"Full name","Email Address"\n"Dunn, Ann",ann@customer.example\nBob\n'.encode()
    assert _read(body) == [(2, "ann@customer.example"), (3, "")]
    assert _read("Email\tPlan\nann@customer.example\tPro\n".encode("utf-16")) == [
        (2, "ann@customer.example")
    ]


def test_a_header_without_an_email_column_is_refused_by_name() -> None:
    with pytest.raises(CustomerFileError, match="Name, Plan"):
        _read(b"Name,Plan\nAnn,Pro\n")


def test_undecodable_bytes_spoil_only_their_own_address() -> None:
    entries = _read(b"ann@customer.example\nb\xffb@customer.example\n")
    assert entries[0] == (1, "ann@customer.example")
    assert "not UTF-8" in (address_problem(entries[1][1]) or "")


def test_the_in_memory_list_matches_trimmed_lower_cased_addresses_only() -> None:
    key = b"k" * 32
    listed = KnownCustomerSet(key, [customer_hash(key, "ann@customer.example") or ""])
    assert listed.includes(" ANN@Customer.example ")
    assert not listed.includes("bob@customer.example") and not listed.includes(None)
    assert not KnownCustomerSet(None, []).includes("ann@customer.example")
