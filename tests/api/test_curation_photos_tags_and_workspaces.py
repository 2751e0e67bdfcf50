"""The curation API: photos, tags, the audit log, and no key reaching another workspace."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy.orm import Session

from testimonials.curation import services as curation
from testimonials.harvest.photos import MAX_PHOTO_BYTES
from tests.api.curation_helpers import API, add, assert_problem, future, ids, png_bytes
from tests.conftest import Tenant

# --- Photos -------------------------------------------------------------------------------


def test_photo_upload_is_served_as_clean_jpeg_with_etag(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    url = f"{API}/testimonials/{tid}/photo"
    assert_problem(client.get(url, headers=tenant.headers()), 404)
    upload = client.put(
        url,
        data={"photo": (io.BytesIO(png_bytes()), "me.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    assert upload.status_code == 200, upload.get_data(as_text=True)
    assert upload.json["has_photo"] is True

    served = client.get(url, headers=tenant.headers())
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert Image.open(io.BytesIO(served.data)).size == (256, 256)
    etag = served.headers["ETag"]
    again = client.get(url, headers={**tenant.headers(), "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""

    replaced = client.put(
        url,
        data={"photo": (io.BytesIO(png_bytes((10, 10, 200))), "me.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    assert replaced.status_code == 200
    assert client.get(url, headers={**tenant.headers(), "If-None-Match": etag}).status_code == 200

    assert client.delete(url, headers=tenant.headers("write")).status_code == 204
    assert_problem(client.get(url, headers=tenant.headers()), 404)
    assert (
        client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json["has_photo"] is False
    )
    actions = [
        e["action"] for e in client.get(f"{API}/audit", headers=tenant.headers()).json["items"]
    ]
    assert actions == ["photo_removed", "photo", "photo"]


@pytest.mark.parametrize(
    ("payload", "status", "words"),
    [
        (b"just some text, honestly\n" * 20, 422, "not a JPEG, PNG, WebP or GIF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_PHOTO_BYTES + 10), 413, "limit is 5 MB"),
    ],
)
def test_bad_photo_uploads_are_refused_with_a_clear_problem(
    payload: bytes, status: int, words: str, client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    response = client.put(
        f"{API}/testimonials/{tid}/photo",
        data={"photo": (io.BytesIO(payload), "photo.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    problem = assert_problem(response, status)
    assert words in problem["detail"] and "photo" in problem["errors"]
    assert (
        client.get(f"{API}/testimonials/{tid}", headers=tenant.headers()).json["has_photo"] is False
    )


def test_photo_upload_without_a_file_names_the_field(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    response = client.put(
        f"{API}/testimonials/{tid}/photo",
        data={"picture": (io.BytesIO(png_bytes()), "me.png")},
        content_type="multipart/form-data",
        headers=tenant.headers("write"),
    )
    assert "photo" in assert_problem(response, 422)["errors"]


# --- Tags and audit -----------------------------------------------------------------------


def test_tags_are_created_listed_and_deleted(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    write = tenant.headers("write")
    collection = client.post(
        f"{API}/tags", json={"name": "Wall of love", "is_collection": True}, headers=write
    )
    assert collection.status_code == 201
    assert (collection.json["slug"], collection.json["is_collection"]) == ("wall-of-love", True)
    plain = client.post(f"{API}/tags", json={"name": "Enterprise"}, headers=write).json
    assert_problem(client.post(f"{API}/tags", json={"name": "enterprise"}, headers=write), 409)
    assert (
        "name"
        in assert_problem(client.post(f"{API}/tags", json={"name": ""}, headers=write), 422)[
            "errors"
        ]
    )
    listing = client.get(f"{API}/tags", headers=tenant.headers()).json
    assert [t["name"] for t in listing["items"]] == ["Wall of love", "Enterprise"]

    tid = add(db, tenant)
    client.patch(f"{API}/testimonials/{tid}", json={"tag_ids": [plain["id"]]}, headers=write)
    assert client.delete(f"{API}/tags/{plain['id']}", headers=write).status_code == 204
    assert client.get(f"{API}/testimonials/{tid}", headers=write).json["tags"] == []
    assert_problem(client.get(f"{API}/tags/{plain['id']}", headers=write), 404)


def test_audit_names_users_by_email_and_keys_by_name_newest_first(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    tid = add(db, tenant)
    # A decision made in the dashboard, then one through the API.
    testimonial = curation.get_testimonial(db, tenant.workspace.id, tid)
    curation.reject(db, testimonial, curation.Actor(user_id=tenant.editor.id), "Too vague")
    db.commit()
    client.post(f"{API}/testimonials/{tid}/approve", json={}, headers=tenant.headers("write"))
    page = client.get(f"{API}/audit?per_page=1", headers=tenant.headers()).json
    assert (page["total"], page["pages"]) == (2, 2)
    newest = page["items"][0]
    assert (newest["action"], newest["who"]) == ("approve", "write key")
    older = client.get(f"{API}/audit?per_page=1&page=2", headers=tenant.headers()).json["items"][0]
    assert (older["action"], older["who"], older["actor_type"]) == (
        "reject",
        tenant.editor.email,
        "user",
    )
    assert (older["reason"], older["after"]["rejection_reason"]) == ("Too vague", "Too vague")
    assert older["testimonial_id"] == tid and older["created_at"].endswith("+00:00")


# --- Isolation ----------------------------------------------------------------------------


@pytest.fixture
def two_workspaces(make_tenant: Callable[[str], Tenant]) -> tuple[Tenant, Tenant]:
    return make_tenant("Alpha Co"), make_tenant("Beta Co")


def test_a_key_never_sees_or_touches_another_workspaces_testimonials(
    client: FlaskClient, db: Session, two_workspaces: tuple[Tenant, Tenant]
) -> None:
    a, b = two_workspaces
    mine = add(db, a, "Alpha praise")
    theirs = add(db, b, "Secret praise from Beta")
    for scope in ("read", "write"):
        assert_problem(client.get(f"{API}/testimonials/{theirs}", headers=a.headers(scope)), 404)
        assert_problem(
            client.get(f"{API}/testimonials/{theirs}/photo", headers=a.headers(scope)), 404
        )
        assert_problem(
            client.get(f"{API}/audit?testimonial_id={theirs}", headers=a.headers(scope)), 404
        )
    write = a.headers("write")
    for action, body in (("approve", {}), ("reject", {}), ("snooze", {"until": future()})):
        assert_problem(
            client.post(f"{API}/testimonials/{theirs}/{action}", json=body, headers=write), 404
        )
    assert_problem(
        client.patch(f"{API}/testimonials/{theirs}", json={"excerpt": "x"}, headers=write), 404
    )
    assert_problem(client.delete(f"{API}/testimonials/{theirs}/photo", headers=write), 404)
    listing = client.get(f"{API}/testimonials?status=all", headers=a.headers()).get_data(True)
    assert "Secret" not in listing
    assert ids(client.get(f"{API}/testimonials?status=all", headers=a.headers())) == [mine]

    bulk = client.post(
        f"{API}/testimonials/bulk", json={"ids": [theirs, mine], "action": "reject"}, headers=write
    ).json
    assert bulk["done"] == [mine] and "No testimonial" in bulk["skipped"][str(theirs)]
    assert (
        client.get(f"{API}/testimonials/{theirs}", headers=b.headers()).json["status"] == "pending"
    )
    # B's own undo finds nothing of A's to revert.
    assert_problem(client.post(f"{API}/testimonials/undo", headers=b.headers("write")), 404)


def test_a_key_never_sees_or_uses_another_workspaces_tags(
    client: FlaskClient, db: Session, two_workspaces: tuple[Tenant, Tenant]
) -> None:
    a, b = two_workspaces
    theirs = client.post(
        f"{API}/tags", json={"name": "Secret tag"}, headers=b.headers("write")
    ).json["id"]
    mine = add(db, a)
    for scope in ("read", "write"):
        assert_problem(client.get(f"{API}/tags/{theirs}", headers=a.headers(scope)), 404)
    assert_problem(client.delete(f"{API}/tags/{theirs}", headers=a.headers("write")), 404)
    assert client.get(f"{API}/tags", headers=a.headers()).json["items"] == []
    patch = client.patch(
        f"{API}/testimonials/{mine}",
        json={"tag_ids": [theirs], "excerpt": "Short"},
        headers=a.headers("write"),
    )
    assert "tag_ids" in assert_problem(patch, 422)["errors"]
    # Refused as a whole: the excerpt in the same request did not change either.
    assert (
        client.get(f"{API}/testimonials/{mine}", headers=a.headers()).json["custom_excerpt"] is None
    )
    bulk = client.post(
        f"{API}/testimonials/bulk",
        json={"ids": [mine], "action": "tag", "tag_ids": [theirs]},
        headers=a.headers("write"),
    )
    assert "tag_ids" in assert_problem(bulk, 422)["errors"]
    assert ids(client.get(f"{API}/testimonials?tag_id={theirs}", headers=a.headers())) == []
    assert client.get(f"{API}/tags/{theirs}", headers=b.headers()).status_code == 200


def test_audit_log_lists_only_the_keys_own_workspace(
    client: FlaskClient, db: Session, two_workspaces: tuple[Tenant, Tenant]
) -> None:
    a, b = two_workspaces
    mine, theirs = add(db, a), add(db, b, "Secret praise")
    client.post(
        f"{API}/testimonials/{theirs}/reject",
        json={"reason": "Secret reason"},
        headers=b.headers("write"),
    )
    client.post(f"{API}/testimonials/{mine}/reject", json={}, headers=a.headers("write"))
    audit = client.get(f"{API}/audit", headers=a.headers())
    assert [e["testimonial_id"] for e in audit.json["items"]] == [mine]
    assert "Secret" not in audit.get_data(as_text=True)
