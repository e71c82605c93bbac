"""Making a backup: every table written to an archive (the format is described in
app/backup/archive.py), from one consistent snapshot of the database."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import IO

from flask_babel import gettext as _

from app.backup.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    TableSummary,
    database_revision,
    encode_row,
    ordered,
    tables,
)
from app.core import clock
from app.db import utcnow
from app.extensions import db


def archive_name(now: datetime | None = None) -> str:
    """The file name, stamped with the company's local time (the clock people read)."""
    return f"rolebook-backup-{clock.local(now).strftime('%Y%m%d-%H%M%S')}.zip"


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
                result = connection.execute(ordered(table), execution_options={"yield_per": CHUNK})
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
            archive.writestr(
                "README.txt",
                "RoleBook backup. Restore into an empty database with:\n"
                "  flask --app wsgi backup restore THIS-FILE.zip\n",
            )
        connection.rollback()
    return manifest
