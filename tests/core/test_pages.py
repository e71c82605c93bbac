from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.auth.models import User
from app.extensions import db

CATALOGS = Path(__file__).resolve().parents[2] / "app" / "translations"


def test_unknown_route_is_a_404_page_in_the_users_language(login):
    client = login("employee")
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "This page does not exist." in response.get_data(as_text=True)
    client.post("/language", data={"lang": "zh_CN", "next": "/"})
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_unexpected_errors_show_a_friendly_500_page(make_app):
    app = make_app(RENDER_500_IN_TESTS=True)

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    with app.app_context():
        from tests import factories

        email = factories.create_user("hr").email
    client = app.test_client()
    client.post("/login", data={"email": email, "password": factories.PASSWORD})
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page and "kaboom" not in page


def test_accept_language_is_the_default(client):
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "登录" in page
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Log in to RoleBook" in page


def test_language_choice_sticks_to_the_account(login, app):
    client = login("hr")
    client.post("/language", data={"lang": "zh_CN", "next": "/"})
    assert db.session.get(User, client.user.id).locale == "zh_CN"
    fresh = app.test_client()
    from tests import factories

    fresh.post(
        "/login", data={"email": client.user.email, "password": factories.PASSWORD}, headers={"Accept-Language": "en"}
    )
    assert "首页" in fresh.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_unknown_language_is_ignored(login):
    client = login("hr")
    client.post("/language", data={"lang": "xx", "next": "/"})
    assert db.session.get(User, client.user.id).locale is None


@pytest.mark.parametrize("locale", ["zh_Hans_CN"])
def test_catalog_translates_every_string(locale):
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_catalog_is_up_to_date_with_the_code():
    """Every translatable string in the code is in the catalog (run `make babel` when this fails)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = Path(__file__).resolve().parents[2]
    with open(root / "babel.cfg") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(
            str(root),
            method_map,
            options_map,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None},
        )
    }
    with open(CATALOGS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert not found - known, f"strings missing from the catalog: {sorted(found - known)[:10]}"


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_bootstrap_is_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "cdn" not in page.lower()
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200
