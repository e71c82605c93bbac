"""Fresh, empty databases for restores: on the engine of this pass and on the other one.

In the SQLite pass a throwaway PostgreSQL server is started (once, for the whole session) so that
SQLite → PostgreSQL → SQLite runs in every `make test`; in the PostgreSQL pass the databases are
created on the suite's own server, and the other engine is SQLite."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.extensions import db
from tests.pg_server import PostgresServer

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url(request, database_url):
    """A PostgreSQL server URL: the suite's own in the PostgreSQL pass, else one started here."""
    if request.config.getoption("--db") == "postgresql":
        yield database_url
        return
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def new_database(request, postgres_url, tmp_path, make_app):
    """``new_database(engine)`` → an app on a new empty database ("sqlite" or "postgresql");
    the databases are dropped afterwards."""
    created = []

    def make(engine: str):
        if engine == "sqlite":
            url = f"sqlite:///{tmp_path / f'restore-{next(_numbers)}.sqlite3'}"
        else:
            name = f"rolebook_restore_{next(_numbers)}"
            admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                connection.execute(text(f"CREATE DATABASE {name}"))
            admin.dispose()
            url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
            created.append(name)
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        request.addfinalizer(lambda: _dispose(app))
        return app

    yield make
    if created:
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def this_engine(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture
def other_engine(this_engine) -> str:
    return "postgresql" if this_engine == "sqlite" else "sqlite"
