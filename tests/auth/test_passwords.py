from datetime import timedelta

import pytest

from app.auth.models import User
from app.auth.passwords import password_problems
from app.db import utcnow
from app.extensions import db
from config import PASSWORD_POLICIES
from tests import factories


def test_modern_policy(app):
    with app.test_request_context():
        assert password_problems("short-1", "a@b.c") == ["Use at least 10 characters."]
        assert password_problems("password123", "a@b.c") == [
            "This password is one of the most common passwords; choose another."
        ]
        assert password_problems("ZhangWei-2026", "zhangwei@corp.cn") == [
            "The password must not contain your e-mail address."
        ]
        assert password_problems("zhangwei@corp.cn", "zhangwei@corp.cn")
        assert password_problems("1correct horse battery", "a@b.c") == []


def test_seed_policy_is_expressible_as_configuration(make_app):
    app = make_app(PASSWORD_POLICY=PASSWORD_POLICIES["seeds"])
    with app.test_request_context():
        assert password_problems("xq3zz", "x@y.z") == ["Use at least 6 characters."]
        assert password_problems("1abcde", "x@y.z") == ["Do not start the password with a digit."]
        assert password_problems("abcdefgh", "x@y.z") == [
            "Mix at least 2 kinds of characters: lower case, upper case, digits, symbols."
        ]
        assert password_problems("kx7pqw", "x@y.z") == []


def test_policy_from_environment(monkeypatch):
    import config

    monkeypatch.setenv("ROLEBOOK_PASSWORD_POLICY", "seeds")
    monkeypatch.setenv("ROLEBOOK_PASSWORD_MIN_LENGTH", "8")
    policy = config.password_policy()
    assert policy["MIN_LENGTH"] == 8 and policy["FORBID_LEADING_DIGIT"] and policy["MAX_AGE_DAYS"] == 90


def test_passwords_are_stored_hashed_with_scrypt(ctx):
    user = factories.create_user("hr")
    assert user.password_hash.startswith("scrypt:")
    assert factories.PASSWORD not in user.password_hash


def test_weak_password_is_refused_with_the_reason(login):
    client = login("hr")
    response = client.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "new_password": "qwerty", "confirm": "qwerty"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Use at least 10 characters." in page
    assert "one of the most common passwords" in page
    assert db.session.get(User, client.user.id).password_hash == client.user.password_hash


def test_change_password(login, client):
    user_client = login("manager")
    response = user_client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "Plum-tree-orchard-7",
            "confirm": "Plum-tree-orchard-7",
        },
    )
    assert response.status_code == 302
    user_client.post("/logout")
    assert (
        client.post("/login", data={"email": user_client.user.email, "password": "Plum-tree-orchard-7"}).status_code
        == 302
    )


def test_change_password_with_wrong_current_password_is_refused(login):
    client = login("manager")
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one-123",
            "new_password": "Plum-tree-orchard-7",
            "confirm": "Plum-tree-orchard-7",
        },
    )
    assert "The current password is wrong." in response.get_data(as_text=True)


@pytest.mark.parametrize("setup", ["must_change", "expired"])
def test_user_must_choose_a_new_password_before_anything_else(make_app, ctx, setup):
    app = make_app(PASSWORD_POLICY=PASSWORD_POLICIES["seeds"])
    client = app.test_client()
    if setup == "must_change":
        user = factories.create_user("hr", must_change_password=True)
    else:
        user = factories.create_user("hr", password_changed_at=utcnow() - timedelta(days=91))
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/account/password"
    assert client.get("/").headers["Location"] == "/account/password"
    response = client.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "new_password": "Kx7-orchard", "confirm": "Kx7-orchard"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
