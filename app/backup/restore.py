"""Restoring a backup into this database: the archive's manifest and schema revision checked,
rows inserted parents first, sequences moved past the restored ids, and every table verified
against the archive's counts and checksums (the format is described in app/backup/archive.py)."""

from __future__ import annotations

import io
import json
import zipfile

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, insert, inspect, select, text, update
from sqlalchemy import types as sqltypes

from app.audit.services import record
from app.backup.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    TableSummary,
    base_type,
    code_revision,
    database_revision,
    decode_value,
    encode_row,
    ordered,
    tables,
)
from app.db import begin_transaction
from app.extensions import db


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(_("This file is not a RoleBook backup (it has no manifest).")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a RoleBook backup."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "This backup has format version %(found)s; this RoleBook reads version %(ours)s.",
                found=manifest.get("format_version"),
                ours=FORMAT_VERSION,
            )
        )
    return manifest


def _open_archive(source) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise BackupError(_("This file is not a RoleBook backup (not a zip archive).")) from None


def _check_schema(manifest: dict) -> None:
    """Refuse an archive of another schema revision, or a database that is not at that revision."""
    ours = code_revision()
    theirs = manifest.get("alembic_revision")
    if theirs != ours:
        raise BackupError(
            _(
                "This backup was made with database schema revision %(theirs)s, but this version of RoleBook uses "
                "revision %(ours)s. Restore it with the RoleBook version that made it, then upgrade that.",
                theirs=theirs,
                ours=ours,
            )
        )
    with db.engine.connect() as connection:
        current = database_revision(connection)
    if current != ours:
        raise BackupError(
            _(
                "The database is at schema revision %(current)s, not %(ours)s: run “flask db upgrade” first.",
                current=current or "—",
                ours=ours,
            )
        )
    expected = {t.name: [c.name for c in t.columns] for t in tables()}
    found = {t["name"]: t.get("columns") for t in manifest.get("tables", [])}
    if found.keys() != expected.keys() or any(sorted(found[n] or []) != sorted(expected[n]) for n in expected):
        raise BackupError(_("The tables of this backup do not match this version of RoleBook."))


def prepare_schema() -> None:
    """Create the schema in a database that has no table at all (a new, empty database)."""
    from flask_migrate import upgrade

    if not inspect(db.engine).get_table_names():
        upgrade()


def _deferred_columns(table, position: dict) -> list:
    """Foreign-key columns pointing at this table itself or at a table restored later (cycles such
    as departments.head_position_id): inserted empty, then filled once every row is in."""
    columns = []
    for fk in table.foreign_keys:
        target = fk.column.table
        if target is table or position[target.name] > position[table.name]:
            columns.append(fk.parent)
    return columns


def _empty(connection) -> None:
    names = [t.name for t in tables()]
    if connection.dialect.name == "postgresql":
        quote = connection.dialect.identifier_preparer.quote
        connection.execute(text(f"TRUNCATE {', '.join(quote(n) for n in names)}"))
    else:
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # checked at commit, not row by row
        for table in reversed(tables()):
            connection.execute(table.delete())


def _lines(archive: zipfile.ZipFile, name: str):
    try:
        fh = archive.open(f"tables/{name}.jsonl")
    except KeyError:
        raise BackupError(_("The backup has no data for table %(table)s.", table=name)) from None
    with fh, io.TextIOWrapper(fh, encoding="utf-8", newline="\n") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line:
                yield line


def _chunks(iterable, size: int = CHUNK):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(table):
    """The INSERT of a table's rows. A null in a nullable JSON column is SQL NULL: SQLAlchemy's
    JSON type would write the JSON text 'null' for None, and a round trip through the other
    engine would turn the SQL NULLs of the original into JSON nulls."""
    sql_nulls = {
        c.name: bindparam(c.name, type_=sqltypes.JSON(none_as_null=True))
        for c in table.columns
        if c.nullable and isinstance(base_type(c), sqltypes.JSON)
    }
    return insert(table).values(sql_nulls) if sql_nulls else insert(table)


def _restore_table(connection, archive, table, expected: dict, deferred: list) -> None:
    summary = TableSummary(table.name)
    deferred_names = {c.name for c in deferred}

    def rows():
        for line in _lines(archive, table.name):
            summary.add(line)
            values = json.loads(line)
            yield {
                c.name: None if c.name in deferred_names else decode_value(c, values.get(c.name)) for c in table.columns
            }

    statement = _insert(table)
    for chunk in _chunks(rows()):
        connection.execute(statement, chunk)
    if summary.rows != expected["rows"] or f"{summary.checksum:064x}" != expected["checksum"]:
        raise BackupError(
            _("The backup is damaged: the data of table %(table)s does not match its checksum.", table=table.name)
        )


def _fill_deferred(connection, archive, table, deferred: list) -> None:
    keys = list(table.primary_key.columns)
    statement = (
        update(table)
        .where(and_(*[k == bindparam(f"key_{k.name}") for k in keys]))
        .values({c.name: bindparam(f"value_{c.name}") for c in deferred})
    )

    def changes():
        for line in _lines(archive, table.name):
            values = json.loads(line)
            if any(values.get(c.name) is not None for c in deferred):
                params = {f"key_{k.name}": decode_value(k, values[k.name]) for k in keys}
                params.update({f"value_{c.name}": decode_value(c, values.get(c.name)) for c in deferred})
                yield params

    for chunk in _chunks(changes()):
        connection.execute(statement, chunk)


def _reset_sequences(connection) -> None:
    """PostgreSQL: move each id sequence past the restored ids (explicit ids do not advance it)."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(base_type(keys[0]), sqltypes.Integer):
            continue
        column, name = quote(keys[0].name), quote(table.name)
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {name}"
            ),
            {"table": name, "column": keys[0].name},
        )


def verify(connection, manifest: dict) -> None:
    """The database holds exactly the archive's rows: same counts and checksums, table by table."""
    expected = {t["name"]: t for t in manifest["tables"]}
    for table in tables():
        summary = TableSummary(table.name)
        for row in connection.execute(ordered(table), execution_options={"yield_per": CHUNK}):
            summary.add(encode_row(table, row))
        if (
            summary.rows != expected[table.name]["rows"]
            or f"{summary.checksum:064x}" != expected[table.name]["checksum"]
        ):
            raise BackupError(
                _("After restoring, table %(table)s does not hold what the backup holds.", table=table.name)
            )


def non_empty_tables(connection) -> list[str]:
    return [t.name for t in tables() if connection.execute(select(exists().select_from(t))).scalar()]


def restore_backup(source, force: bool = False, label: str = "") -> dict:
    """Restore the archive ``source`` (a path or a binary file) into this database, in the
    session's transaction: the caller commits (or rolls back on an error).

    A database without any table gets the schema first. The archive must have this version's
    schema revision; a database that holds data is refused unless ``force``, which empties it
    first. Rows are inserted parents first (self-references and cycles filled afterwards),
    PostgreSQL sequences are moved past the restored ids, and every table's count and checksum
    are verified before the restore is recorded in the audit trail."""
    with _open_archive(source) as archive:
        manifest = read_manifest(archive)
        prepare_schema()
        _check_schema(manifest)
        begin_transaction(db.session)
        connection = db.session.connection()
        occupied = non_empty_tables(connection)
        if occupied and not force:
            raise BackupError(
                _(
                    "The database is not empty (%(tables)s hold data): restoring would replace it. "
                    "Use --force to empty it and restore the backup.",
                    tables=", ".join(occupied),
                )
            )
        if occupied:
            _empty(connection)
        order = {t.name: i for i, t in enumerate(tables())}
        expected = {t["name"]: t for t in manifest["tables"]}
        deferred = {t.name: _deferred_columns(t, order) for t in tables()}
        for table in tables():
            _restore_table(connection, archive, table, expected[table.name], deferred[table.name])
        for table in tables():
            if deferred[table.name]:
                _fill_deferred(connection, archive, table, deferred[table.name])
        _reset_sequences(connection)
        verify(connection, manifest)
    summary = {
        "created_at": manifest["created_at"],
        "revision": manifest["alembic_revision"],
        "rows": sum(t["rows"] for t in manifest["tables"]),
        "replaced": bool(occupied),
    }
    record("restore", "database", changes=summary, label=label)
    return summary
