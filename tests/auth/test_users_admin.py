from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from tests import factories


def test_admin_lists_searches_and_sorts_users(login):
    admin = login("admin")
    factories.create_user("hr", email="li.na@example.test", name="李娜")
    factories.create_user("employee", email="chen.jing@example.test")
    page = admin.get("/admin/users?q=li.na").get_data(as_text=True)
    assert "li.na@example.test" in page and "chen.jing@example.test" not in page
    page = admin.get("/admin/users?role=employee").get_data(as_text=True)
    assert "chen.jing@example.test" in page and "li.na@example.test" not in page
    page = admin.get("/admin/users?sort=-email").get_data(as_text=True)
    assert page.index("li.na@example.test") < page.index("chen.jing@example.test")
    empty = admin.get("/admin/users?q=nobody-at-all").get_data(as_text=True)
    assert "No users match these filters." in empty


def test_users_page_runs_a_fixed_number_of_queries(login, count_queries):
    admin = login("admin")
    for _ in range(3):
        factories.create_user("employee")
    with count_queries() as few:
        assert admin.get("/admin/users").status_code == 200
    for _ in range(20):
        factories.create_user("employee")
    with count_queries() as many:
        assert admin.get("/admin/users").status_code == 200
    assert len(few) == len(many) <= 5


def test_admin_creates_a_user_who_must_change_the_password(login):
    admin = login("admin")
    response = admin.post(
        "/admin/users/new",
        data={"email": "New.Person@Example.test", "name": "新员工", "role": "manager", "password": "Temporary-pass-9"},
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "new.person@example.test"))
    assert user.role == "manager" and user.must_change_password


def test_create_user_errors_stay_next_to_fields_with_input_kept(login):
    admin = login("admin")
    existing = factories.create_user("hr")
    response = admin.post(
        "/admin/users/new",
        data={"email": existing.email, "name": "Keep me", "role": "hr", "password": "Temporary-pass-9"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A user with this e-mail already exists." in page
    assert 'value="Keep me"' in page
    response = admin.post(
        "/admin/users/new", data={"email": "weak@example.test", "name": "", "role": "hr", "password": "123"}
    )
    assert "Use at least 10 characters." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "weak@example.test")) is None


def test_admin_changes_role_and_deactivates_with_audit(login):
    admin = login("admin")
    target = factories.create_user("employee")
    response = admin.post(
        f"/admin/users/{target.id}", data={"name": "王强", "role": "manager", "active": "", "version": target.version}
    )
    assert response.status_code == 302
    db.session.expire_all()
    target = db.session.get(User, target.id)
    assert target.role == "manager" and not target.active
    event = db.session.scalar(
        db.select(AuditEvent).where(
            AuditEvent.entity == "users", AuditEvent.entity_id == str(target.id), AuditEvent.action == "update"
        )
    )
    assert event.actor_label == admin.user.email
    assert event.changes["role"] == ["employee", "manager"]
    assert event.changes["active"] == [True, False]
    assert "password_hash" not in event.changes


def test_admin_cannot_demote_themselves(login):
    admin = login("admin")
    response = admin.post(
        f"/admin/users/{admin.user.id}", data={"name": "", "role": "hr", "active": "y", "version": admin.user.version}
    )
    assert "You cannot change your own role" in response.get_data(as_text=True)
    assert db.session.get(User, admin.user.id).role == "admin"


def test_concurrent_edits_never_silently_overwrite(login, app):
    admin = login("admin")
    other_admin = login("admin")
    target = factories.create_user("employee", name="Before")
    seen = target.version
    first = admin.post(
        f"/admin/users/{target.id}", data={"name": "First", "role": "hr", "active": "y", "version": seen}
    )
    assert first.status_code == 302
    second = other_admin.post(
        f"/admin/users/{target.id}", data={"name": "Second", "role": "manager", "active": "y", "version": seen}
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "changed by someone else" in page
    assert "First" in page and 'value="Second"' in page  # what changed, and the input kept
    db.session.expire_all()
    target = db.session.get(User, target.id)
    assert (target.name, target.role) == ("First", "hr")


def test_user_pages_are_admin_only(login):
    for role in ("hr", "manager", "employee"):
        client = login(role)
        assert client.get("/admin/users").status_code == 403
        assert (
            client.post(
                "/admin/users/new", data={"email": "x@example.test", "role": "admin", "password": "Temporary-pass-9"}
            ).status_code
            == 403
        )
    assert db.session.scalar(db.select(User).where(User.email == "x@example.test")) is None


def test_unknown_user_is_404(login):
    assert login("admin").get("/admin/users/999999").status_code == 404
