import pytest

from app.audit.models import AuditEvent
from app.audit.services import acting_as
from app.auth import services as auth_services
from app.core.errors import ServiceError
from app.extensions import db
from tests import factories


def test_every_insert_and_update_is_recorded_with_before_and_after(ctx):
    with acting_as("test-suite"):
        user = factories.create_user("employee", name="Before")
        user.name = "After"
        db.session.commit()
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.entity == "users").order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].changes["email"] == [None, user.email]
    assert "password_hash" not in events[0].changes
    assert events[1].changes == {"name": ["Before", "After"]}
    assert all(e.actor_label == "test-suite" for e in events)


def test_a_failed_request_leaves_no_audit_row_and_no_change(ctx):
    with pytest.raises(ServiceError):
        auth_services.create_user("dup@example.test", "hr", "Long-enough-pass-1")
        auth_services.create_user("dup2@example.test", "no-such-role", "Long-enough-pass-1")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 0
    assert auth_services.find_user("dup@example.test") is None


def test_audit_page_filters(login):
    hr = login("hr")
    target = factories.create_user("employee", email="target@example.test")
    target.name = "Changed"
    db.session.commit()
    page = hr.get("/audit/?entity=users&action=update").get_data(as_text=True)
    assert "User account" in page and "Changed" in page and f"/admin/users/{target.id}" in page
    page = hr.get("/audit/?action=login").get_data(as_text=True)
    assert hr.user.email in page
    assert "Nothing recorded" in hr.get("/audit/?actor=nobody-like-this").get_data(as_text=True)
    assert hr.get("/audit/?since=not-a-date").status_code == 200


def test_audit_page_is_for_admin_and_hr(login):
    assert login("admin").get("/audit/").status_code == 200
    assert login("manager").get("/audit/").status_code == 403
    assert login("employee").get("/audit/").status_code == 403
