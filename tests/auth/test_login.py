import time
from datetime import timedelta

from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories


def _login(client, email, password):
    return client.post("/login", data={"email": email, "password": password})


def test_login_success_redirects_home_and_greets(client, ctx):
    user = factories.create_user("hr", name="李娜")
    response = _login(client, user.email, factories.PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "李娜" in page


def test_wrong_password_and_unknown_email_get_the_same_answer(client, ctx):
    user = factories.create_user("hr")
    wrong_password = _login(client, user.email, "Not-the-password-1")
    unknown_email = _login(client, "nobody@example.test", "Not-the-password-1")
    assert wrong_password.status_code == unknown_email.status_code == 200
    message = "Wrong e-mail or password, or the account is deactivated."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_email.get_data(as_text=True)
    # the form keeps the e-mail typed, never the password
    assert f'value="{user.email}"' in wrong_password.get_data(as_text=True)
    assert "Not-the-password-1" not in wrong_password.get_data(as_text=True)
    failures = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert {event.label for event in failures} == {user.email, "nobody@example.test"}


def test_deactivated_account_cannot_log_in(client, ctx):
    user = factories.create_user("manager", active=False)
    response = _login(client, user.email, factories.PASSWORD)
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_failed_logins_are_throttled_per_account(client, ctx):
    user = factories.create_user("employee")
    for _ in range(5):
        assert _login(client, user.email, "Wrong-password-99").status_code == 200
    blocked = _login(client, user.email, factories.PASSWORD)  # even the right password now
    assert blocked.status_code == 429
    assert "Too many failed login attempts" in blocked.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in
    # another account from the same address is not blocked by this account's limit
    other = factories.create_user("employee")
    assert _login(client, other.email, factories.PASSWORD).status_code == 302


def test_failed_logins_are_throttled_per_address(make_app, ctx):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    client = app.test_client()
    for number in range(3):
        assert _login(client, f"guess{number}@example.test", "Wrong-password-99").status_code == 200
    assert _login(client, "guess9@example.test", "Wrong-password-99").status_code == 429


def test_successful_logins_do_not_count_towards_the_limit(client, ctx):
    user = factories.create_user("employee")
    for _ in range(7):
        assert _login(client, user.email, factories.PASSWORD).status_code == 302
        client.post("/logout")


def test_session_expires_after_inactivity(make_app, ctx):
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    client = app.test_client()
    user = factories.create_user("hr")
    assert _login(client, user.email, factories.PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
    time.sleep(2.2)
    assert client.get("/").status_code == 302


def test_logout_needs_post_and_ends_the_session(login):
    client = login("hr")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_next_parameter_cannot_redirect_elsewhere(client, ctx):
    user = factories.create_user("hr")
    for target in ("//evil.example/", "https://evil.example/x", "/\\evil.example"):
        response = client.post(f"/login?next={target}", data={"email": user.email, "password": factories.PASSWORD})
        assert response.headers["Location"] == "/"
        client.post("/logout")
    response = client.post("/login?next=/account", data={"email": user.email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/account"


def test_csrf_is_enforced_in_the_real_configuration(make_app, ctx):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = factories.create_user("hr")
    response = _login(client, user.email, factories.PASSWORD)
    assert response.status_code == 400
    assert "missing security token" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in


def test_production_config_sets_secure_cookie_flags():
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"


def test_session_cookie_is_httponly_and_expiring(client, ctx):
    user = factories.create_user("hr")
    response = _login(client, user.email, factories.PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Expires=" in cookie and "SameSite=Lax" in cookie


def test_a_new_password_signs_out_the_accounts_other_sessions(app, ctx):
    from tests import factories

    user = factories.create_user("manager")
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    response = second.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "Another-Horse-99",
            "confirm": "Another-Horse-99",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert second.get("/account").status_code == 200  # the session that changed it goes on
    assert first.get("/account").status_code == 302  # the other one is signed out
    assert "/login" in first.get("/account").headers["Location"]


def test_the_limit_per_account_holds_across_processes(make_app, ctx):
    """Two applications with limiter stores of their own (as two server processes have) share
    the count per account: it is kept in the database. Twelve wrong passwords, spread over
    both, get five password checks in all (the audit trail records each check)."""
    from app.auth import throttle

    user = factories.create_user("employee")
    clients = [make_app().test_client(), make_app().test_client()]
    statuses = [_login(clients[number % 2], user.email, "Wrong-password-99").status_code for number in range(12)]
    assert statuses == [200] * 5 + [429] * 7
    checked = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "login_failed", AuditEvent.label == user.email)
    ).all()
    assert len(checked) == 5
    assert throttle.failures(user.email) == 5


def test_a_right_password_removes_its_attempt(client, ctx):
    from app.auth import throttle

    user = factories.create_user("employee")
    assert _login(client, user.email, "Wrong-password-99").status_code == 200
    assert _login(client, user.email, factories.PASSWORD).status_code == 302
    assert throttle.failures(user.email) == 1
