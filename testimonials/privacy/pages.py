"""Dashboard page: Settings → Privacy. Owners erase a person or one answer; everyone sees the log.

Every erasure goes through a confirmation step that says what goes and that it cannot be
undone. The address typed in is never stored, logged, flashed (the session cookie is only
signed, not encrypted) or shown in the history; only the confirmation page echoes it back
to the owner who typed it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Length

from testimonials.accounts.auth import role_required, same_site_path
from testimonials.accounts.forms import ActionForm, email_address
from testimonials.accounts.models import Role
from testimonials.db import get_session, paginate
from testimonials.harvest.models import FeedbackItem
from testimonials.harvest.personal_data import subject_key_for
from testimonials.harvest.services import get_feedback
from testimonials.privacy import services as privacy
from testimonials.web import current_role, current_workspace_id

bp = Blueprint("privacy_pages", __name__)
PAGE = "/settings/privacy"
PER_PAGE = 50


class EraseByEmailForm(FlaskForm):
    email = EmailField(
        "The person's e-mail address",
        validators=[
            DataRequired("Type the e-mail address the person asked about."),
            Length(max=254),
            email_address,
        ],
    )
    # Set by the confirmation step: the owner has seen what will go.
    confirmed = HiddenField()


class EraseItemForm(FlaskForm):
    # "item": this answer only; "person": everything from the answer's e-mail address.
    scope = HiddenField(default="item")
    next = HiddenField()


def _is_owner() -> bool:
    return current_role() is Role.OWNER


def _back(default: str) -> str:
    return same_site_path(request.form.get("next") or request.args.get("next"), default)


def _render_page(form: EraseByEmailForm, status: int = 200) -> Any:
    db = get_session()
    page_number = max(1, request.args.get("page", 1, type=int) or 1)
    page = paginate(db, privacy.erasures_query(current_workspace_id()), page_number, PER_PAGE)
    return render_template(
        "privacy/privacy.html",
        form=form,
        page=page,
        rows=privacy.erasure_history(db, page.items),
        is_owner=_is_owner(),
    ), status


@bp.route(PAGE, methods=["GET", "POST"])
@role_required(Role.VIEWER)
def privacy_settings() -> Any:
    """The erasure history; owners erase a person by e-mail (after a confirmation step)."""
    form = EraseByEmailForm()
    if request.method == "GET":
        return _render_page(form)
    if not _is_owner():
        abort(403, "Only owners can erase personal data.")
    if not form.validate_on_submit():
        return _render_page(form, 422)
    workspace_id = current_workspace_id()
    db = get_session()
    email = form.email.data or ""
    if form.confirmed.data != "yes":
        items, invitations = privacy.erasure_preview(db, workspace_id, email)
        return render_template(
            "privacy/confirm_email.html", form=form, items=items, invitations=invitations
        )
    erasure = privacy.erase_respondent(
        db,
        workspace_id,
        email,
        subject_key_for(current_app),
        requested_by_id=current_user.id,
    )
    if erasure.items_erased or erasure.invitations_erased:
        flash(
            f"Erased {_count(erasure.items_erased, 'answer')} and "
            f"{_count(erasure.invitations_erased, 'invitation')} from that address. "
            "The record below keeps only how many, not the address."
        )
    else:
        flash(
            "Nothing from that address was on file. The request is recorded (without the "
            "address), so it will not be added back to the known-customer list."
        )
    return redirect(url_for("privacy_pages.privacy_settings"))


@bp.route(f"{PAGE}/items/<int:item_id>/erase", methods=["GET", "POST"])
@role_required(Role.OWNER)
def erase_answer(item_id: int) -> Any:
    """Confirm, then erase one answer (or everything from its author's e-mail address)."""
    workspace_id = current_workspace_id()
    db = get_session()
    item = get_feedback(db, workspace_id, item_id)
    form = EraseItemForm()
    if request.method == "GET" or not form.validate_on_submit():
        return _render_confirm_item(item, form, 200 if request.method == "GET" else 400)
    if item.erased_at is not None:
        flash(f"Answer #{item.id} was already erased; nothing personal is left in it.")
        return redirect(_back(url_for("privacy_pages.privacy_settings")))
    if form.scope.data == "person" and item.author_email:
        erasure = privacy.erase_respondent(
            db,
            workspace_id,
            item.author_email,
            subject_key_for(current_app),
            requested_by_id=current_user.id,
        )
        message = (
            f"Erased {_count(erasure.items_erased, 'answer')} and "
            f"{_count(erasure.invitations_erased, 'invitation')} from this person's address."
        )
    else:
        receipt = privacy.erase_item(db, workspace_id, item.id, requested_by_id=current_user.id)
        message = f"Erased answer #{item.id}."
        if receipt.other_items_from_author:
            others = receipt.other_items_from_author
            message += (
                f" {_count(others, 'other answer')} from the same e-mail address "
                f"{'was' if others == 1 else 'were'} not erased."
            )
    flash(message)
    return redirect(_back(url_for("privacy_pages.privacy_settings")))


def _render_confirm_item(item: FeedbackItem, form: EraseItemForm, status: int) -> Any:
    if not form.next.data:
        form.next.data = _back("")
    return render_template(
        "privacy/confirm_item.html",
        item=item,
        form=form,
        others=privacy.items_from_same_address(get_session(), item),
        cancel=_back(url_for("harvest_pages.feedback_list")),
        action=ActionForm(),
    ), status


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
