"""Owners change a member's role and remove members; a workspace always keeps an owner."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from testimonials.accounts import services
from testimonials.accounts.models import Membership, Role
from tests.api.test_problems import assert_problem
from tests.conftest import Tenant, csrf_token, login


def member_id(db: Session, tenant: Tenant, user_id: int) -> int:
    membership = services.membership_in(db, user_id, tenant.workspace.id)
    assert membership is not None
    return membership.id


def role_of(db: Session, membership_id: int) -> str | None:
    db.expire_all()
    membership = db.get(Membership, membership_id)
    return membership.role if membership else None


def post(client: FlaskClient, path: str, **data: str) -> object:
    token = csrf_token(client.get("/settings/members").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=True)


def test_owner_changes_a_role_and_the_member_feels_it_at_once(
    app_factory: Callable, db: Session, tenant: Tenant
) -> None:
    app = app_factory()
    owner, editor = app.test_client(), app.test_client()
    login(owner, tenant.owner.email)
    login(editor, tenant.editor.email)
    editor_id = member_id(db, tenant, tenant.editor.id)
    page = owner.get("/settings/members").get_data(as_text=True)
    assert f'for="role-{editor_id}"' in page and "Remove from workspace" in page

    response = post(owner, f"/settings/members/{editor_id}/role", role="viewer")
    assert f"{tenant.editor.email} is now viewer." in response.get_data(as_text=True)
    assert role_of(db, editor_id) == "viewer"
    assert editor.get("/tags").status_code == 200
    assert "viewer" in editor.get("/inbox").get_data(as_text=True)


def test_the_last_owner_cannot_step_down_or_be_removed(
    client: FlaskClient, db: Session, tenant: Tenant
) -> None:
    login(client, tenant.owner.email)
    owner_id = member_id(db, tenant, tenant.owner.id)
    for path, data in (
        (f"/settings/members/{owner_id}/role", {"role": "editor"}),
        (f"/settings/members/{owner_id}/remove", {}),
    ):
        page = post(client, path, **data).get_data(as_text=True)
        assert "at least one owner" in page
        assert role_of(db, owner_id) == "owner"

    # With a second owner, the first may step down.
    post(client, f"/settings/members/{member_id(db, tenant, tenant.editor.id)}/role", role="owner")
    post(client, f"/settings/members/{owner_id}/role", role="editor")
    assert role_of(db, owner_id) == "editor"


def test_owner_removes_a_member_who_then_has_no_workspace(
    app_factory: Callable, db: Session, tenant: Tenant
) -> None:
    app = app_factory()
    owner, viewer = app.test_client(), app.test_client()
    login(owner, tenant.owner.email)
    login(viewer, tenant.viewer.email)
    viewer_id = member_id(db, tenant, tenant.viewer.id)
    page = post(owner, f"/settings/members/{viewer_id}/remove").get_data(as_text=True)
    assert f"Removed {tenant.viewer.email}" in page
    assert role_of(db, viewer_id) is None
    assert services.find_user_by_email(db, tenant.viewer.email) is not None  # account stays
    response = viewer.get("/inbox")
    assert response.status_code == 302 and "no-workspace" in response.headers["Location"]


def test_only_owners_manage_members_and_only_in_their_workspace(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Callable[[str], Tenant]
) -> None:
    other = make_tenant("Other Co")
    login(client, tenant.editor.email)
    viewer_id = member_id(db, tenant, tenant.viewer.id)
    assert "Remove from workspace" not in client.get("/settings/members").get_data(as_text=True)
    assert post(client, f"/settings/members/{viewer_id}/role", role="owner").status_code == 403
    assert post(client, f"/settings/members/{viewer_id}/remove").status_code == 403
    owner = client.application.test_client()
    login(owner, tenant.owner.email)
    stranger = member_id(db, other, other.viewer.id)
    assert post(owner, f"/settings/members/{stranger}/remove").status_code == 404
    assert post(owner, f"/settings/members/{viewer_id}/role", role="admin").status_code == 400
    assert role_of(db, stranger) == "viewer"


def test_api_changes_roles_and_removes_members(
    client: FlaskClient, db: Session, tenant: Tenant, make_tenant: Callable[[str], Tenant]
) -> None:
    editor_id = member_id(db, tenant, tenant.editor.id)
    owner_id = member_id(db, tenant, tenant.owner.id)
    changed = client.patch(
        f"/api/v1/members/{editor_id}", json={"role": "owner"}, headers=tenant.headers("write")
    )
    assert changed.status_code == 200 and changed.json["role"] == "owner"

    read_only = client.patch(
        f"/api/v1/members/{editor_id}", json={"role": "viewer"}, headers=tenant.headers()
    )
    assert_problem(read_only, 403)
    bad_role = client.patch(
        f"/api/v1/members/{editor_id}", json={"role": "admin"}, headers=tenant.headers("write")
    )
    assert "role" in assert_problem(bad_role, 422)["errors"]

    assert (
        client.delete(f"/api/v1/members/{owner_id}", headers=tenant.headers("write")).status_code
        == 204
    )
    last = client.patch(
        f"/api/v1/members/{editor_id}", json={"role": "viewer"}, headers=tenant.headers("write")
    )
    assert "at least one owner" in assert_problem(last, 409)["detail"]
    assert_problem(
        client.delete(f"/api/v1/members/{editor_id}", headers=tenant.headers("write")), 409
    )

    other = make_tenant("Other Co")
    stranger = member_id(db, other, other.viewer.id)
    assert_problem(
        client.delete(f"/api/v1/members/{stranger}", headers=tenant.headers("write")), 404
    )
    assert role_of(db, stranger) == Role.VIEWER.value
