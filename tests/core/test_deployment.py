"""How the application behaves as deployed: oversized requests, an unreachable database, secure
cookies over plain HTTP, the configuration table of the README, the server checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

import config
from app.core import deployment
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_a_too_long_address_is_a_json_414_in_the_api(login):
    client = login("hr")
    response = client.get("/api/v1/positions?q=" + "x" * 5000)
    assert response.status_code == 414
    assert response.is_json and response.json["code"] == 414 and response.json["message"]
    page = client.get("/org/positions?q=" + "x" * 5000)
    assert page.status_code == 414 and "text/html" in page.content_type


def test_a_too_large_header_is_a_json_431_in_the_api(login):
    client = login("hr")
    response = client.get("/api/v1/positions", headers={"X-Big": "y" * 9000})
    assert response.status_code == 431
    assert response.is_json and response.json["code"] == 431
    assert client.get("/api/v1/positions", headers={"X-Big": "y" * 4000}).status_code == 200


def test_an_unreachable_database_is_a_clean_503(make_app, ctx, monkeypatch):
    app = make_app(RENDER_500_IN_TESTS=True)
    client = app.test_client()
    user = factories.create_user("hr")
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})

    from app.org import services

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(services, "list_positions", down)
    response = client.get("/api/v1/positions")
    assert response.status_code == 503 and response.json["code"] == 503
    assert response.headers["Retry-After"]
    page = client.get("/org/positions")
    assert page.status_code == 503 and "not available" in page.get_data(as_text=True)


@pytest.fixture()
def production_like(make_app):
    return make_app(SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True)


def test_plain_http_with_secure_cookies_explains_itself_on_the_login_page(production_like, ctx):
    client = production_like.test_client()
    page = client.get("/login", base_url="http://rolebook.intranet").get_data(as_text=True)
    assert 'data-testid="needs-https"' in page and "ROLEBOOK_SECURE_COOKIES=0" in page
    # the browser sent no cookie back: the login page explains, not "the form expired"
    user = factories.create_user("hr")
    posted = client.post(
        "/login",
        base_url="http://rolebook.intranet",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": "x"},
        headers={"Cookie": ""},
    )
    text = posted.get_data(as_text=True)
    assert posted.status_code == 400
    assert "ROLEBOOK_SECURE_COOKIES=0" in text and "form expired" not in text


@pytest.mark.parametrize(
    "base_url, headers",
    [
        ("https://rolebook.intranet", {}),
        ("http://rolebook.intranet", {"X-Forwarded-Proto": "https"}),
        ("http://localhost", {}),
    ],
)
def test_no_such_warning_over_https_or_on_localhost(production_like, ctx, base_url, headers):
    page = production_like.test_client().get("/login", base_url=base_url, headers=headers).get_data(as_text=True)
    assert 'data-testid="needs-https"' not in page


def test_no_warning_when_cookies_are_not_secure(make_app, ctx):
    app = make_app(SESSION_COOKIE_SECURE=False)
    page = app.test_client().get("/login", base_url="http://rolebook.intranet").get_data(as_text=True)
    assert 'data-testid="needs-https"' not in page


def _environment_names(source: str) -> set[str]:
    names = set(re.findall(r'\benv(?:_int|_bool)?\(\s*"([A-Z0-9_]+)"', source))
    names = {f"ROLEBOOK_{name}" for name in names}
    names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', source))
    return names


def test_every_configuration_variable_is_in_the_readme_table():
    """The environment variables read by config.py, gunicorn.conf.py and the application factory
    against the README's table, both ways."""
    used = set().union(
        *(
            _environment_names((ROOT / name).read_text())
            for name in ("config.py", "gunicorn.conf.py", "app/__init__.py")
        )
    )
    used -= {"ROLEBOOK_TEST_DATABASE_URL"}  # the test suite's own
    used = {name for name in used if not name.startswith("ROLEBOOK_PASSWORD_") or name == "ROLEBOOK_PASSWORD_POLICY"}
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    table = table[: table.index("\n\n", table.index("| variable"))]
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`", table, re.MULTILINE))
    assert "ROLEBOOK_SECURE_COOKIES" in used
    assert used - documented == set(), "not in the README's configuration table"
    assert documented - used - {"ROLEBOOK_PASSWORD_<KEY>"} == set(), "in the README's table but not read anywhere"


def test_several_production_processes_refuse_a_per_process_limiter_store(monkeypatch):
    monkeypatch.setenv("ROLEBOOK_CONFIG", "production")
    monkeypatch.setattr(config.Config, "RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(SystemExit, match="ROLEBOOK_RATELIMIT_STORAGE_URI"):
        deployment.check_server(4)
    deployment.check_server(1)  # one process with threads counts everything in one place
    monkeypatch.setattr(config.Config, "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/1")
    deployment.check_server(4)
    monkeypatch.setenv("ROLEBOOK_CONFIG", "development")
    monkeypatch.setattr(config.Config, "RATELIMIT_STORAGE_URI", "memory://")
    deployment.check_server(4)  # outside production: a warning in the log only
