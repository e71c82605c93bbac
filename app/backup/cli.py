"""``flask backup create FILE`` and ``flask backup restore FILE [--force]``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.audit.services import acting_as, record
from app.backup.create import create_backup
from app.backup.restore import restore_backup
from app.core.errors import ServiceError
from app.core.unit_of_work import unit_of_work

backup_cli = click.Group("backup", help="Back up every table to a portable archive, and restore one.")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def create(file: Path):
    """Write a backup of every table (audit trail included) to FILE (a .zip archive)."""
    started = time.perf_counter()
    with acting_as("cli"), unit_of_work():
        record("backup", "database", label=file.name)
    partial = file.with_name(file.name + ".partial")
    try:
        with open(partial, "wb") as fh:
            manifest = create_backup(fh)
    except ServiceError as error:
        partial.unlink(missing_ok=True)
        raise click.ClickException(error.message) from None
    os.replace(partial, file)
    rows = sum(t["rows"] for t in manifest["tables"])
    click.echo(
        f"Wrote {file}: {len(manifest['tables'])} tables, {rows:,} rows, {file.stat().st_size:,} bytes, "
        f"schema revision {manifest['alembic_revision']}, in {time.perf_counter() - started:.1f} s."
    )


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Empty a database that holds data before restoring (it is replaced).")
@with_appcontext
def restore(file: Path, force: bool):
    """Restore the backup FILE into this database, in one transaction (all or nothing)."""
    started = time.perf_counter()
    with acting_as("cli"):
        try:
            with unit_of_work():
                summary = restore_backup(file, force=force, label=file.name)
        except ServiceError as error:
            raise click.ClickException(error.message) from None
    click.echo(
        f"Restored {summary['rows']:,} rows from {file} (made {summary['created_at']}), counts and "
        f"checksums verified, in {time.perf_counter() - started:.1f} s."
    )
