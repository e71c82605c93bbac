"""The backup archive: a portable copy of every table, restorable into an empty database of
either engine (SQLite or PostgreSQL). This module holds the format, the typing of values, the
checksums and the tables and schema revisions both sides read; making an archive is in
app/backup/create.py, restoring one in app/backup/restore.py.

The archive is a zip file holding ``manifest.json`` (format version, Alembic revision, when it was
made, and per table its columns, row count and checksum) and ``tables/<name>.jsonl``: one JSON
object per row, values typed portably (dates and times in ISO 8601, datetimes with their zone,
decimals as strings, binary as base64, JSON as JSON). Every table of ``db.metadata`` is written,
so tables that later work adds are included without changing these modules. Tables are read and
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
import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from sqlalchemy import func, inspect, select, text
from sqlalchemy import types as sqltypes

from app.core.errors import ServiceError
from app.extensions import db

FORMAT = "rolebook-backup"
FORMAT_VERSION = 1
CHUNK = 1000
MODULUS = 2**256


class BackupError(ServiceError):
    pass


# --- values -------------------------------------------------------------------------------------


def base_type(column):
    kind = column.type
    while isinstance(kind, sqltypes.TypeDecorator):
        kind = kind.impl_instance
    return kind


def encode_value(column, value):
    """A column value as a JSON value (see the module's documentation)."""
    if value is None:
        return None
    kind = base_type(column)
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
    kind = base_type(column)
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
    return json.dumps(
        {c.name: encode_value(c, mapping[c]) for c in table.columns},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


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


def ordered(table):
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
