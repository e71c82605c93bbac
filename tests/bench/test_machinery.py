"""The benchmarks' machinery (bench/run.py's table, bench/database.py's migrated copies); the
scripts themselves run in ``make bench-smoke``."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import inspect, text

from app.extensions import db
from bench import database, run


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_upgrade_copies_the_migrated_database_kept_by_the_first(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "FOLDER", tmp_path / "kept")
    first = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'first.sqlite3'}")
    with first.app_context():
        database.upgrade()  # migrates, and keeps a copy
        head = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    (kept,) = (tmp_path / "kept").glob("migrated-*.sqlite3")
    assert {"positions", "employees", "alembic_version"} <= _tables(first)
    with sqlite3.connect(kept) as conn:  # a mark in the kept file: found in the next database
        conn.execute("CREATE TABLE kept_mark (id INTEGER)")
    conn.close()

    second = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'second.sqlite3'}")
    with second.app_context():
        database.upgrade()
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    assert _tables(second) == _tables(first) | {"kept_mark"}


def test_upgrade_keeps_a_database_that_has_tables(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "FOLDER", tmp_path / "kept")
    path = tmp_path / "used.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE earlier (id INTEGER)")
        conn.execute("INSERT INTO earlier VALUES (7)")
    conn.close()
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        database.upgrade()  # migrated in place, nothing copied over it
        assert db.session.execute(text("SELECT id FROM earlier")).scalar() == 7
    assert "positions" in _tables(app)
    assert not list((tmp_path / "kept").glob("*.sqlite3"))


def test_the_table_says_the_machine_the_date_and_each_scripts_time(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    (tmp_path / "machine.json").write_text(
        json.dumps(
            {
                "cpu": "Test CPU 3000",
                "cpus": 2,
                "memory_gb": 23,
                "system": "Linux 6.1",
                "python": "3.11.7",
                "load_at_start": 0.4,
                "load_at_end": 1.2,
                "commit": "abc1234",
                "date": "2026-12-07 04:00 UTC",
                "minutes": 24.5,
                "complete": True,
                "scripts": [
                    {"name": "bench_one", "ok": True, "seconds": 61, "problem": ""},
                    {"name": "bench_two", "ok": False, "seconds": 3, "problem": "exit status 1"},
                ],
            }
        )
    )
    (tmp_path / "bench_one.jsonl").write_text(
        json.dumps({"what": "a figure | with a bar", "measured": "12 ms", "target": "≤ 20 ms", "verdict": "PASS"})
        + "\n"
    )
    table = run.table()
    assert "2026-12-07 04:00 UTC" in table and "commit abc1234" in table and "Test CPU 3000, 2 CPUs, 23 GB" in table
    assert "load average 0.4 at the start and 1.2 at the end" in table and "24.5 minutes" in table
    assert "bench_one 61 s, bench_two 3 s" in table
    assert "| bench_one | a figure \\| with a bar | ≤ 20 ms | 12 ms | PASS |" in table
    assert "| bench_two | the script failed: exit status 1 | | | FAIL |" in table


def test_a_prepared_database_is_filled_once_then_copied(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(database, "FOLDER", tmp_path / "kept")
    fills = []

    def fill():
        database.upgrade()
        db.session.execute(text("CREATE TABLE filled (n INTEGER)"))
        db.session.execute(text("INSERT INTO filled VALUES (:n)"), {"n": len(fills) + 1})
        db.session.commit()
        fills.append(1)

    counts = []
    for name in ("first", "second"):
        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}.sqlite3")
        with app.app_context():
            database.prepared("test_company", fill)
            counts.append(db.session.execute(text("SELECT n FROM filled")).scalars().all())
    assert fills == [1] and counts == [[1], [1]]  # the second is the first's copy
    assert len(list((tmp_path / "kept").glob("test_company-*.sqlite3"))) == 1
