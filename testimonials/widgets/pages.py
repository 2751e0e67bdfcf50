"""Dashboard pages for widgets: the list, the editor with a live preview, embed codes."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from testimonials.accounts.auth import current_membership, role_required
from testimonials.accounts.models import Role
from testimonials.curation.models import Tag
from testimonials.db import get_session
from testimonials.errors import ServiceError
from testimonials.harvest.models import Channel
from testimonials.locales import LANGUAGES
from testimonials.widgets import services
from testimonials.widgets.forms import flat_errors, read_widget_form
from testimonials.widgets.models import Widget, WidgetKind
from testimonials.widgets.rendering import render_widget
from testimonials.widgets.schemas import ELIGIBLE_ITEM_TYPES, WidgetSchema
from testimonials.widgets.snippets import embed_codes

bp = Blueprint("widgets_pages", __name__)

KIND_NAMES = {
    WidgetKind.WALL: "Wall",
    WidgetKind.CAROUSEL: "Carousel",
    WidgetKind.SINGLE: "Single featured quote",
    WidgetKind.MARQUEE: "Marquee",
    WidgetKind.AVATARS: "Avatar strip (“N customers shared their experience”)",
    WidgetKind.RATING: "Rating badge (all genuine reviews)",
}


def _workspace_id() -> int:
    membership = current_membership()
    assert membership is not None
    return membership.workspace_id


def _can_edit() -> bool:
    membership = current_membership()
    return membership is not None and Role(membership.role).allows(Role.EDITOR)


def _form_page(
    widget: Widget | None, values: dict[str, Any], errors: dict[str, Any], status: int = 200
) -> Any:
    db = get_session()
    tags = db.scalars(
        select(Tag).where(Tag.workspace_id == _workspace_id()).order_by(Tag.name)
    ).all()
    return (
        render_template(
            "widgets/edit.html",
            widget=widget,
            values=values,
            errors=flat_errors(errors),
            tags=tags,
            kinds=KIND_NAMES,
            languages=LANGUAGES,
            channels=[c.value for c in Channel],
            item_types=ELIGIBLE_ITEM_TYPES,
            codes=embed_codes(widget) if widget else None,
            can_edit=_can_edit(),
            # What the rating counts and what it leaves out, with each reason.
            rating_basis=services.rating_summary(db, _workspace_id())
            if values.get("kind") == WidgetKind.RATING
            else None,
        ),
        status,
    )


@bp.get("/widgets")
@role_required(Role.VIEWER)
def widget_list() -> Any:
    """Every widget of the workspace with its embed codes."""
    widgets = get_session().scalars(services.widgets_query(_workspace_id())).all()
    return render_template(
        "widgets/list.html", widgets=widgets, kinds=KIND_NAMES, can_edit=_can_edit()
    )


@bp.route("/widgets/new", methods=["GET", "POST"])
@role_required(Role.EDITOR)
def new_widget() -> Any:
    """Create a widget from the form."""
    if request.method == "GET":
        defaults = WidgetSchema().load({"name": "Homepage wall", "kind": "wall"})
        return _form_page(None, defaults, {})
    values, errors = read_widget_form(request.form)
    if errors:
        return _form_page(None, values, errors, 422)
    db = get_session()
    try:
        widget = services.create_widget(db, _workspace_id(), values)
    except ServiceError as error:
        db.rollback()
        return _form_page(None, values, {"_": [error.detail], **(error.errors or {})}, error.status)
    db.commit()
    flash(f"Widget “{widget.name}” created. Copy an embed code below into your page.")
    return redirect(url_for("widgets_pages.edit_widget", widget_id=widget.id))


@bp.route("/widgets/<int:widget_id>", methods=["GET", "POST"])
@role_required(Role.VIEWER)
def edit_widget(widget_id: int) -> Any:
    """A widget's settings, preview and embed codes; editors can change it."""
    db = get_session()
    widget = services.get_widget(db, _workspace_id(), widget_id)
    if request.method == "GET":
        return _form_page(widget, WidgetSchema().dump(widget), {})
    if not _can_edit():
        return _form_page(
            widget, WidgetSchema().dump(widget), {"_": ["Editors and owners change widgets."]}, 403
        )
    values, errors = read_widget_form(request.form)
    if errors:
        return _form_page(widget, values, errors, 422)
    try:
        services.update_widget(db, widget, values)
    except ServiceError as error:
        db.rollback()
        return _form_page(
            widget, values, {"_": [error.detail], **(error.errors or {})}, error.status
        )
    db.commit()
    current_app.extensions["widget_cache"].invalidate(widget.workspace_id)
    flash("Saved. Pages showing this widget show the change from their next visit.")
    return redirect(url_for("widgets_pages.edit_widget", widget_id=widget.id))


@bp.post("/widgets/<int:widget_id>/delete")
@role_required(Role.EDITOR)
def delete_widget(widget_id: int) -> Any:
    """Delete a widget; its embeds show nothing from the next request on."""
    db = get_session()
    widget = services.get_widget(db, _workspace_id(), widget_id)
    name = widget.name
    services.delete_widget(db, widget)
    db.commit()
    current_app.extensions["widget_cache"].invalidate(_workspace_id())
    flash(f"Widget “{name}” deleted; pages that embed it now show nothing there.")
    return redirect(url_for("widgets_pages.widget_list"))


@bp.post("/widgets/preview")
@role_required(Role.VIEWER)
def preview() -> Any:
    """The form's current settings rendered with today's testimonials (nothing saved)."""
    values, errors = read_widget_form(request.form)
    if errors:
        body = render_template("widgets/preview.html", errors=flat_errors(errors), widget=None)
    else:
        try:
            services.check_custom_css(values.get("custom_css", ""))
        except ServiceError as error:
            body = render_template("widgets/preview.html", errors=[error.detail], widget=None)
        else:
            draft = Widget(workspace_id=_workspace_id(), public_key="preview", **values)
            content = services.widget_content(get_session(), draft)
            rendered = render_widget(
                current_app.jinja_env,
                content,
                lambda c: url_for("curation_pages.photo", testimonial_id=c.id),
            )
            body = render_template("widgets/preview.html", errors=[], widget=rendered)
    response = Response(body, mimetype="text/html")
    # The draft's styles are inline: this one document may use them; nothing else runs.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self'; "
        "frame-ancestors 'self'"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
