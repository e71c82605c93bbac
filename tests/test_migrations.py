"""The migrations build exactly the models' schema (what `flask db check` verifies)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.db import include_migration_name, render_migration_item
from app.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_item": render_migration_item, "include_name": include_migration_name},
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_sqlite_enforces_foreign_keys_and_uses_wal(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
