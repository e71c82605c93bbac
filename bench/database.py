"""Databases the bench scripts start from, made once and copied after that.

``upgrade()`` replaces ``flask_migrate.upgrade()`` in a script: on a new SQLite file (no table yet) it copies an
empty migrated database kept in a folder of the machine's temporary directory, made by the
first script that needs it and named by a hash of the migrations and app/db.py (a new or
changed migration makes a new one), instead of running every migration again in every script; on any other
database it runs the migrations.

``prepared(name, fill)`` does the same for a whole prepared database, which several scripts
build alike (bench_org's demo and generated companies, which bench_jobs uses too; bench_appraisals'
company, which bench_calibration uses too): ``fill()`` migrates and fills the current app's new
SQLite file the first time, and a copy is kept under ``name``, the size (smoke or full), today's
date and a hash of all the code (the migrations, ``app/``, ``bench/``), so a change anywhere
makes a new one and a copy is never stale; later scripts and runs get a copy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(os.environ.get("ROLEBOOK_BENCH_CACHE") or Path(tempfile.gettempdir()) / "rolebook-bench-databases")
KEPT = 12  # files kept in FOLDER: the newest, by last use


@cache
def _hash(*places: str) -> str:
    """A hash of the names and contents of these Python files and of those under these folders."""
    digest = hashlib.sha256()
    for place in places:
        for path in [ROOT / place] if place.endswith(".py") else sorted((ROOT / place).rglob("*.py")):
            digest.update(f"\0{path.relative_to(ROOT)}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _sqlite_file() -> Path | None:
    """The current app's SQLite file, if it holds no table yet; else None (migrated as usual)."""
    from sqlalchemy import inspect

    from app.extensions import db

    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if inspect(db.engine).get_table_names():
        return None
    return Path(url.database)


def _restore(kept: Path, target: Path) -> None:
    """``target`` becomes a copy of ``kept`` (the app's connections are closed first and after)."""
    from app.extensions import db

    db.session.remove()
    db.engine.dispose()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(kept, target)
    os.utime(kept)  # last use, for _prune
    db.engine.dispose()


def _keep(source: Path, kept: Path) -> None:
    """Store a copy of ``source`` (its log written back and its connections closed, so that the
    file is whole) as ``kept``."""
    from app.extensions import db

    db.session.remove()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()
    FOLDER.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=FOLDER, prefix=".tmp-", suffix=".sqlite3")
    os.close(fd)
    shutil.copyfile(source, temporary)
    os.replace(temporary, kept)  # whole or not at all, if two scripts make it at once
    _prune()


def _prune() -> None:
    files = sorted(FOLDER.glob("*.sqlite3"), key=lambda path: path.stat().st_mtime, reverse=True)
    for path in files[KEPT:]:
        path.unlink(missing_ok=True)


def upgrade() -> None:
    """The current app's database migrated to the head (see the module's docstring)."""
    from flask_migrate import upgrade as migrate

    target = _sqlite_file()
    if target is None:
        migrate()
        return
    kept = FOLDER / f"migrated-{_hash('migrations', 'app/db.py')}.sqlite3"  # app.db: the column types
    if kept.is_file():
        _restore(kept, target)
        return
    migrate()
    _keep(target, kept)


def prepared(name: str, fill) -> None:
    """The current app's database migrated and filled by ``fill()``, or a copy of what ``fill``
    made before under ``name`` (see the module's docstring)."""
    from app.core import clock
    from bench.measure import SMOKE

    target = _sqlite_file()
    if target is None:
        fill()
        return
    size = "smoke" if SMOKE else "full"
    kept = FOLDER / f"{name}-{size}-{clock.today().isoformat()}-{_hash('migrations', 'app', 'bench')}.sqlite3"
    if kept.is_file():
        _restore(kept, target)
        print(f"database {name}: a copy of the one made before with the same code ({kept})", flush=True)
        return
    fill()
    _keep(target, kept)


if __name__ == "__main__":
    sys.exit(f"{__doc__}\nkept in {FOLDER}")
