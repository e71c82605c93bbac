"""Authentication of the API: session or bearer token, 401 otherwise, revocation at once, CSRF
for session-cookie writes only, and the reference page behind the login."""

from __future__ import annotations

import re

import pytest

from app.auth.services import issue_token, revoke_token
from app.extensions import db
from app.org.models import Department
from tests import factories
from tests.api.conftest import assert_error


@pytest.mark.parametrize("path", ["/api/v1/departments", "/api/v1/openapi.json", "/api/v1/employees/1"])
def test_anonymous_requests_answer_401_json(client, path):
    body = assert_error(client.get(path), 401)
    assert body["errors"] == {}


def test_unknown_addresses_answer_404_json(client):
    assert_error(client.get("/api/v1/nothing-here"), 404)


def test_anonymous_write_answers_401_before_anything_else(client):
    response = client.post("/api/v1/departments", data="{not json", content_type="application/json")
    assert_error(response, 401)


@pytest.mark.parametrize("header", ["Bearer rb_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "rb_nobearer"])
def test_bad_credentials_answer_401(app, header):
    assert_error(app.test_client().get("/api/v1/departments", headers={"Authorization": header}), 401)


def test_bearer_token_and_session_both_authenticate(api, login, ctx):
    factories.create_department("EC", "电商部")
    by_token = api("employee").get("/api/v1/departments")
    by_session = login("employee").get("/api/v1/departments")
    assert by_token.status_code == by_session.status_code == 200
    assert by_token.json["items"][0]["code"] == by_session.json["items"][0]["code"] == "EC"


def test_token_revoked_mid_session_stops_working_at_once(api, ctx):
    client = api("hr")
    assert client.get("/api/v1/departments").status_code == 200
    revoke_token(client.token)
    db.session.commit()
    assert_error(client.get("/api/v1/departments"), 401)
    assert_error(client.post("/api/v1/departments", json={"code": "X", "name": "X"}), 401)
    assert db.session.scalar(db.select(db.func.count()).select_from(Department)) == 0


def test_token_of_a_deactivated_user_stops_working(api, ctx):
    client = api("hr")
    client.user.active = False
    db.session.commit()
    assert_error(client.get("/api/v1/departments"), 401)


def test_user_who_must_change_password_gets_403_json_with_the_session(login, ctx):
    client = login("hr")
    client.user.must_change_password = True
    db.session.commit()
    body = assert_error(client.get("/api/v1/departments"), 403)
    assert "password" in body["message"]


# --- CSRF -------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(make_app, app):
    """The app with CSRF protection on, as in the real configuration."""
    return make_app(WTF_CSRF_ENABLED=True)


def _session_client(csrf_app, ctx):
    user = factories.create_user("hr")
    client = csrf_app.test_client()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    reference = client.get("/api/v1/docs").get_data(as_text=True)
    return client, re.search(r'data-csrf-token="([^"]+)"', reference).group(1), user


def test_session_writes_need_the_csrf_header(csrf_app, ctx):
    client, token, _user = _session_client(csrf_app, ctx)
    body = {"code": "EC", "name": "电商部"}
    assert_error(client.post("/api/v1/departments", json=body), 400)
    assert_error(client.post("/api/v1/departments", json=body, headers={"X-CSRFToken": "forged"}), 400)
    assert db.session.scalar(db.select(db.func.count()).select_from(Department)) == 0
    assert client.get("/api/v1/departments").status_code == 200  # reads need no token
    created = client.post("/api/v1/departments", json=body, headers={"X-CSRFToken": token})
    assert created.status_code == 201, created.json
    assert created.json["code"] == "EC"


def test_bearer_token_writes_need_no_csrf_token(csrf_app, ctx):
    user = factories.create_user("hr")
    _token, clear = issue_token(user, "integration")
    db.session.commit()
    client = csrf_app.test_client()
    response = client.post(
        "/api/v1/departments", json={"code": "EC", "name": "电商部"}, headers={"Authorization": f"Bearer {clear}"}
    )
    assert response.status_code == 201, response.json


def test_a_session_with_a_bearer_header_is_still_checked_for_csrf(csrf_app, ctx):
    """The session wins when both are sent, so a forged cross-site write cannot dodge the check
    by adding any Authorization header."""
    client, _token, user = _session_client(csrf_app, ctx)
    _api_token, clear = issue_token(user, "x")
    db.session.commit()
    response = client.post(
        "/api/v1/departments", json={"code": "EC", "name": "电商部"}, headers={"Authorization": f"Bearer {clear}"}
    )
    assert_error(response, 400)


# --- the reference page -----------------------------------------------------------------------


def test_reference_page_needs_a_login_and_uses_local_files_only(client, login):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = login("employee").get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), "nothing may come from another site"
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.data) > 500_000
    assert client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
