import hashlib

from app.auth.models import ApiToken, User
from app.extensions import db
from tests import factories


def test_cli_creates_users_and_refuses_weak_passwords(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "cli.user@example.test", "--role", "hr", "--password", "Long-enough-pass-1"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).where(User.email == "cli.user@example.test")).role == "hr"
    result = runner.invoke(args=["users", "create", "weak@example.test", "--role", "hr", "--password", "password"])
    assert result.exit_code != 0
    assert "Use at least 10 characters." in result.output
    result = runner.invoke(args=["users", "set-password", "cli.user@example.test", "--password", "Another-long-pass-2"])
    assert result.exit_code == 0, result.output


def test_cli_token_is_printed_once_and_stored_hashed(app, ctx, client):
    user = factories.create_user("hr")
    result = app.test_cli_runner().invoke(args=["users", "token", user.email, "--name", "payroll"])
    assert result.exit_code == 0, result.output
    clear = result.output.strip()
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "payroll"
    assert token.token_hash == hashlib.sha256(clear.encode()).hexdigest()
    assert clear not in token.token_hash
    assert client.get("/", headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    assert client.get("/", headers={"Authorization": "Bearer rb_not-a-real-token"}).status_code == 302


def test_revoked_token_stops_working(login, app):
    owner = login("manager")
    owner.post("/account/tokens", data={"name": "directory sync"})
    with owner.session_transaction() as session:
        clear = session["new_token"]
    page = owner.get("/account").get_data(as_text=True)
    assert clear in page  # shown once
    assert clear not in owner.get("/account").get_data(as_text=True)  # and never again
    anonymous = app.test_client()
    assert anonymous.get("/", headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == owner.user.id))
    owner.post(f"/account/tokens/{token.id}/revoke")
    assert anonymous.get("/", headers={"Authorization": f"Bearer {clear}"}).status_code == 302


def test_one_cannot_revoke_someone_elses_token(login):
    victim = login("manager")
    victim.post("/account/tokens", data={"name": "mine"})
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.user_id == victim.user.id))
    attacker = login("hr")
    assert attacker.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_employees_cannot_create_tokens(login):
    client = login("employee")
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 403
    assert db.session.scalar(db.select(ApiToken)) is None


def test_a_tokens_last_use_is_recorded(app, ctx):
    from app.auth.models import ApiToken
    from app.auth.services import issue_token
    from app.extensions import db
    from tests import factories

    user = factories.create_user("hr")
    token, clear = issue_token(user, "integration")
    db.session.commit()
    assert token.last_used_at is None
    assert app.test_client().get("/api/v1/departments", headers={"Authorization": f"Bearer {clear}"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None
