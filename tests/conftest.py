"""Test fixtures: one database per run (SQLite file or a real PostgreSQL server), migrated from
empty; every test starts from empty tables; a logged-in client per role; a query counter."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.extensions import db, limiter
from tests import factories
from tests.pg_server import PostgresServer
from tests.queries import statement_counter


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="database engine the suite runs on (PostgreSQL: a server the suite starts)",
    )
    parser.addoption(
        "--deploy",
        action="store_true",
        help="run tests/deploy, the production topology (make test-deploy); skipped otherwise",
    )


def pytest_ignore_collect(collection_path, config):
    """tests/deploy starts PostgreSQL, Redis, two gunicorn servers and a worker: only with --deploy."""
    if collection_path.name == "deploy" and collection_path.parent.name == "tests":
        return not config.getoption("--deploy")
    return None


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's Chromium through Playwright")
    compile_catalogs()


def compile_catalogs():
    """Compile the translation catalogs that are missing or older than their .po, as `make setup`
    does, so that a plain `pytest` on a fresh clone finds them (the .mo files are not in git)."""
    for po in (Path(__file__).parent.parent / "app" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog, use_fuzzy=True)


def pytest_report_header(config):
    return f"database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    if request.config.getoption("--db") == "postgresql":
        server = PostgresServer()
        url = server.start()
        yield url
        server.stop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


class Client(FlaskClient):
    """A test client that, after each request, expires what the test's own session holds, so
    assertions read the database as the request left it."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def make_app(database_url, tmp_path_factory):
    """Build an app on the test database, with optional config overrides."""
    instance = tmp_path_factory.mktemp("instance")

    def build(**overrides):
        settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key"}
        settings.update(overrides)
        app = create_app("test", settings)
        app.instance_path = str(instance)
        app.test_client_class = Client
        return app

    return build


@pytest.fixture(scope="session")
def app(make_app):
    from flask_migrate import upgrade

    app = make_app()
    with app.app_context():
        upgrade()  # the real migrations, from an empty database
    return app


# The id sequences of the models' tables that have handed out a number (PostgreSQL).
_USED_SEQUENCES = """
SELECT format('%I.%I', n.nspname, s.relname)
FROM pg_class s
JOIN pg_namespace n ON n.oid = s.relnamespace
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_sequences q ON q.schemaname = n.nspname AND q.sequencename = s.relname
WHERE s.relkind = 'S' AND t.relname = ANY(:tables) AND q.last_value IS NOT NULL
"""


def _empty_tables(app) -> None:
    """Delete every row the test left, child tables first, and on PostgreSQL start the used id
    sequences at 1 again (as TRUNCATE ... RESTART IDENTITY would; SQLite reuses ids by itself).

    One query finds the tables that hold rows (most tests leave a handful, many none) and only
    those are emptied: a DELETE of a few small tables takes milliseconds, whereas a TRUNCATE of
    all 50 tables gives each new files and took 0.1-0.5 s after every test on PostgreSQL."""
    with app.app_context():
        db.session.remove()
        tables = db.metadata.sorted_tables
        probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {t.name})" for t in tables)
        with db.engine.begin() as conn:
            filled = set(conn.execute(text(probe)).scalars())
            for table in reversed(tables):
                if table.name in filled:
                    conn.execute(table.delete())
            if conn.dialect.name == "postgresql":
                used = conn.execute(text(_USED_SEQUENCES), {"tables": [t.name for t in tables]}).scalars().all()
                for sequence in used:
                    conn.execute(text("SELECT setval(CAST(:sequence AS regclass), 1, false)"), {"sequence": sequence})


@pytest.fixture(autouse=True)
def _clean(app):
    yield
    _empty_tables(app)
    with app.app_context():
        limiter.reset()


@pytest.fixture(scope="session")
def data_app(app, make_app):
    """A second app instance on the same database, whose context the tests use for their own
    queries and factories. Requests go to ``app`` and so always get a fresh app context (and
    ``g``), as in production, instead of sharing the test's."""
    return make_app()


@pytest.fixture
def ctx(data_app):
    """An application context for services and factories called directly by a test."""
    with data_app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app, ctx):
    """``login(role)`` → a test client logged in as a new user with that role (and the user)."""

    def _login(role: str = "employee", **kwargs):
        user = factories.create_user(role, **kwargs)
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.user = user
        return client

    return _login


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: ...`` then ``len(queries)`` is the number of SQL statements
    the requests made meanwhile ran."""

    def engine():
        with app.app_context():
            return db.engine

    return statement_counter(engine)
