"""Backups: a portable archive of every table, restorable into an empty database of either
engine (SQLite or PostgreSQL).

The archive is a zip file holding ``manifest.json`` (format version, Alembic revision, when it was
made, and per table its columns, row count and checksum) and ``tables/<name>.jsonl``: one JSON
object per row, values typed portably (dates and times in ISO 8601, datetimes with their zone,
decimals as strings, binary as base64, JSON as JSON). Every table of ``db.metadata`` is written,
so tables that later work adds are included without changing this module. Tables are read and
written in chunks, never whole.

A table's checksum is the sum (modulo 2**256) of the SHA-256 of its rows' lines: independent of
row order, so the same data gives the same checksum on either engine, and a restore can prove
that the database holds exactly what the archive held.
"""
from __future__ import annotations

import base64
import decimal
import enum
import hashlib
import io
import json
import math
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, exists, func, insert, inspect, select, text, update
from sqlalchemy import types as sqltypes

from app.audit.services import record
from app.core.errors import ServiceError
from app.db import begin_transaction, utcnow
from app.extensions import db

FORMAT = "rolebook-backup"
FORMAT_VERSION = 1
CHUNK = 1000
MODULUS = 2 ** 256


class BackupError(ServiceError):
    pass


# --- values -------------------------------------------------------------------------------------


def _base_type(column):
    kind = column.type
    while isinstance(kind, sqltypes.TypeDecorator):
        kind = kind.impl_instance
    return kind


def encode_value(column, value):
    """A column value as a JSON value (see the module's documentation)."""
    if value is None:
        return None
    kind = _base_type(column)
    if isinstance(kind, sqltypes.JSON):
        return value
    if isinstance(kind, sqltypes.Numeric) and isinstance(value, (int, float, decimal.Decimal)):
        # one spelling per number whatever the engine returns (SQLite gives 60 where PostgreSQL gives 60.0)
        if kind.asdecimal:
            value = decimal.Decimal(str(value))
            return format(value.normalize(), "f") if value.is_finite() else str(value)
        value = float(value)
        if not math.isfinite(value):
            return repr(value)
        # at the column's declared scale, which is what every engine keeps (SQLite would hold
        # more digits of a float than PostgreSQL's NUMERIC(p, s) after a restore)
        return round(value, kind.scale) if kind.scale is not None else value
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None and getattr(kind, "timezone", False):
            value = value.replace(tzinfo=timezone.utc)  # SQLite drops the zone of UTC timestamps
        return value.astimezone(timezone.utc).isoformat() if value.tzinfo is not None else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def decode_value(column, value):
    """The Python value to insert for ``value`` read from an archive."""
    if value is None:
        return None
    kind = _base_type(column)
    if isinstance(kind, sqltypes.JSON):
        return value
    if isinstance(kind, sqltypes.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, sqltypes.Date):
        return date.fromisoformat(value)
    if isinstance(kind, sqltypes.Time):
        return time.fromisoformat(value)
    if isinstance(kind, sqltypes.Numeric):
        return decimal.Decimal(str(value)) if kind.asdecimal else float(value)
    if isinstance(kind, sqltypes.LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, sqltypes.Uuid) and kind.as_uuid:
        return uuid.UUID(value)
    return value


def encode_row(table, row) -> str:
    """One row as its canonical line (the checksum is computed over exactly this text)."""
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return json.dumps({c.name: encode_value(c, mapping[c]) for c in table.columns}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))


def line_hash(line: str) -> int:
    return int.from_bytes(hashlib.sha256(line.encode("utf-8")).digest(), "big")


@dataclass
class TableSummary:
    name: str
    rows: int = 0
    checksum: int = 0
    columns: list = field(default_factory=list)

    def add(self, line: str) -> None:
        self.rows += 1
        self.checksum = (self.checksum + line_hash(line)) % MODULUS

    def as_manifest(self) -> dict:
        return {"name": self.name, "rows": self.rows, "checksum": f"{self.checksum:064x}", "columns": self.columns}


def _ordered(table):
    return select(table).order_by(*table.primary_key.columns)


# --- revisions --------------------------------------------------------------------------------------


def code_revision() -> str:
    """The Alembic head(s) of this version of the code."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    return ",".join(sorted(ScriptDirectory.from_config(config).get_heads()))


def database_revision(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return ",".join(sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())) or None


def tables():
    """Every table of the application, parents before children."""
    return list(db.metadata.sorted_tables)


def table_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables()}


# --- backup -------------------------------------------------------------------------------------------


def archive_name(now: datetime | None = None) -> str:
    return f"rolebook-backup-{(now or utcnow()).strftime('%Y%m%d-%H%M%S')}.zip"


def create_backup(target: IO[bytes]) -> dict:
    """Write an archive of every table to the binary file ``target``; returns the manifest.

    The tables are read in one read-only transaction (a consistent snapshot on both engines),
    on a connection of its own, in chunks of ``CHUNK`` rows."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        else:
            connection.exec_driver_sql("BEGIN")  # SQLite: hold one read snapshot for every table
        revision = database_revision(connection)
        if revision is None:
            raise BackupError(_("The database has no schema yet: run “flask db upgrade” first."))
        summaries = []
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for table in tables():
                summary = TableSummary(table.name, columns=[c.name for c in table.columns])
                result = connection.execute(_ordered(table), execution_options={"yield_per": CHUNK})
                with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as fh:
                    buffer = io.TextIOWrapper(fh, encoding="utf-8", newline="\n", write_through=False)
                    for row in result:
                        line = encode_row(table, row)
                        summary.add(line)
                        buffer.write(line + "\n")
                    buffer.flush()
                    buffer.detach()
                summaries.append(summary)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "application": "RoleBook",
                "alembic_revision": revision,
                "created_at": utcnow().isoformat(),
                "engine": connection.dialect.name,
                "tables": [s.as_manifest() for s in summaries],
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.writestr("README.txt", "RoleBook backup. Restore into an empty database with:\n"
                                           "  flask --app wsgi backup restore THIS-FILE.zip\n")
        connection.rollback()
    return manifest


# --- restore ------------------------------------------------------------------------------------------


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(_("This file is not a RoleBook backup (it has no manifest).")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a RoleBook backup."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("This backup has format version %(found)s; this RoleBook reads version %(ours)s.",
                            found=manifest.get("format_version"), ours=FORMAT_VERSION))
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
        raise BackupError(_(
            "This backup was made with database schema revision %(theirs)s, but this version of RoleBook uses "
            "revision %(ours)s. Restore it with the RoleBook version that made it, then upgrade that.",
            theirs=theirs, ours=ours))
    with db.engine.connect() as connection:
        current = database_revision(connection)
    if current != ours:
        raise BackupError(_("The database is at schema revision %(current)s, not %(ours)s: run “flask db upgrade” "
                            "first.", current=current or "—", ours=ours))
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


def _restore_table(connection, archive, table, expected: dict, deferred: list) -> None:
    summary = TableSummary(table.name)
    deferred_names = {c.name for c in deferred}

    def rows():
        for line in _lines(archive, table.name):
            summary.add(line)
            values = json.loads(line)
            yield {c.name: None if c.name in deferred_names else decode_value(c, values.get(c.name))
                   for c in table.columns}

    for chunk in _chunks(rows()):
        connection.execute(insert(table), chunk)
    if summary.rows != expected["rows"] or f"{summary.checksum:064x}" != expected["checksum"]:
        raise BackupError(_("The backup is damaged: the data of table %(table)s does not match its checksum.",
                            table=table.name))


def _fill_deferred(connection, archive, table, deferred: list) -> None:
    keys = list(table.primary_key.columns)
    statement = update(table).where(and_(*[k == bindparam(f"key_{k.name}") for k in keys])) \
        .values({c.name: bindparam(f"value_{c.name}") for c in deferred})

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
        if len(keys) != 1 or not isinstance(_base_type(keys[0]), sqltypes.Integer):
            continue
        column, name = quote(keys[0].name), quote(table.name)
        connection.execute(text(f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                                f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {name}"),
                           {"table": name, "column": keys[0].name})


def verify(connection, manifest: dict) -> None:
    """The database holds exactly the archive's rows: same counts and checksums, table by table."""
    expected = {t["name"]: t for t in manifest["tables"]}
    for table in tables():
        summary = TableSummary(table.name)
        for row in connection.execute(_ordered(table), execution_options={"yield_per": CHUNK}):
            summary.add(encode_row(table, row))
        if summary.rows != expected[table.name]["rows"] or \
                f"{summary.checksum:064x}" != expected[table.name]["checksum"]:
            raise BackupError(_("After restoring, table %(table)s does not hold what the backup holds.",
                                table=table.name))


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
            raise BackupError(_("The database is not empty (%(tables)s hold data): restoring would replace it. "
                                "Use --force to empty it and restore the backup.", tables=", ".join(occupied)))
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
    summary = {"created_at": manifest["created_at"], "revision": manifest["alembic_revision"],
               "rows": sum(t["rows"] for t in manifest["tables"]), "replaced": bool(occupied)}
    record("restore", "database", changes=summary, label=label)
    return summary
