"""Backups: every table in a portable archive, restored across engines with the same content."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from app.audit.models import AuditEvent
from app.auth.services import issue_token
from app.backup.archive import code_revision, table_counts
from app.backup.create import create_backup
from app.backup.restore import prepare_schema, restore_backup
from app.core.errors import ServiceError
from app.extensions import db
from app.org import services as org
from app.org.models import Department, Position
from tests import factories
from tests.transfer.helpers import build_org


def _archive() -> bytes:
    buffer = io.BytesIO()
    create_backup(buffer)
    return buffer.getvalue()


def _manifest(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("manifest.json"))


def _rows(data: bytes, table: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [json.loads(line) for line in archive.read(f"tables/{table}.jsonl").decode("utf-8").splitlines()]


def _rewrite(data: bytes, name: str, change) -> bytes:
    """A copy of the archive with the member ``name`` changed by ``change(bytes) -> bytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == name else content)
    return out.getvalue()


def _company() -> None:
    """Data of every kind: the organisation (with the department ↔ head position cycle and
    self-references), accounts, an API token, a published job description with KPIs and
    competencies, and audit events with JSON changes."""
    orgs = build_org()
    kpi, competency = factories.create_kpi("SALES", "销售额"), factories.create_competency("OPS", "电商运营能力")
    factories.publish_jd(
        orgs["manager"],
        factories.jd_content(
            "电商部经理",
            duties=("带领团队完成销售目标", "控制推广成本"),
            kpis=((kpi, 1000000.5, 60, "monthly", 800000, 1200000),),
            competencies=((competency, 4),),
        ),
    )
    owner = factories.create_user("admin", email="admin@example.test", name="系统管理员")
    issue_token(owner, "payroll sync")
    # a child department whose id is lower than its parent's (a move): parents are not always first
    late_parent = factories.create_department("LATE", "后建部门")
    first = db.session.scalar(db.select(Department).where(Department.code == "MK"))
    org.update_department(
        first, org.DepartmentData(code="MK", name="市场部", parent_id=late_parent.id), seen_version=None
    )
    db.session.commit()
    # a figure with more decimals than its NUMERIC(18, 4) column, written by hand (on SQLite the
    # column holds ten-thousandths, see app.db.ExactNumber): the archive holds it at the column's scale
    sqlite = db.session.connection().dialect.name == "sqlite"
    stretch = "12000001234.56789" if sqlite else "1200000.123456789"
    db.session.execute(db.text(f"UPDATE jd_kpi_targets SET stretch = {stretch}"))
    db.session.commit()


def _same_content(a: bytes, b: bytes) -> None:
    """Every table holds the same rows; b's audit trail has a's events plus its restore events."""
    tables_a = {t["name"]: t for t in _manifest(a)["tables"]}
    tables_b = {t["name"]: t for t in _manifest(b)["tables"]}
    assert tables_a.keys() == tables_b.keys()
    for name in tables_a:
        if name != "audit_events":
            assert (tables_a[name]["rows"], tables_a[name]["checksum"]) == (
                tables_b[name]["rows"],
                tables_b[name]["checksum"],
            ), name
    events_b = [row for row in _rows(b, "audit_events") if row["action"] != "restore"]
    assert events_b == _rows(a, "audit_events")


def test_the_archive_holds_every_table_with_counts_and_checksums(ctx):
    _company()
    data = _archive()
    manifest = _manifest(data)
    assert manifest["format"] == "rolebook-backup" and manifest["alembic_revision"] == code_revision()
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in db.metadata.sorted_tables]
    counts = table_counts()
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == counts and counts["audit_events"] > 10
    shop = next(row for row in _rows(data, "departments") if row["code"] == "EC")
    assert shop["name"] == "电商部" and shop["created_at"].endswith("+00:00")
    event = next(row for row in _rows(data, "audit_events") if row["entity"] == "departments")
    assert isinstance(event["changes"], dict)  # JSON stays JSON
    assert next(row for row in _rows(data, "assignments") if row["end_date"])["end_date"] == "2019-12-31"


def test_numbers_are_stored_at_their_column_scale_on_every_engine(ctx):
    from app.appraisals.models import AppraisalTemplate

    _company()
    template = AppraisalTemplate(name="三分之一", kpi_weight=100 / 3, competency_weight=200 / 3)
    db.session.add(template)
    db.session.commit()
    db.session.expire_all()
    template = db.session.get(AppraisalTemplate, template.id)
    assert (template.kpi_weight, template.competency_weight) == (Decimal("33.33"), Decimal("66.67"))
    # exact numbers are written as their digits (JSON numbers would be read back as floats)
    assert {row["stretch"] for row in _rows(_archive(), "jd_kpi_targets")} == {"1200000.1235"}


def test_sqlite_and_postgresql_restore_each_others_backups(ctx, new_database, this_engine, other_engine):
    _company()
    original = _archive()
    there = new_database(other_engine)
    with there.app_context():
        summary = restore_backup(io.BytesIO(original), label="original.zip")  # creates the schema first
        db.session.commit()
        assert summary["rows"] == sum(t["rows"] for t in _manifest(original)["tables"])
        copy = _archive()
        # the id sequences moved past the restored ids: new rows get new ids
        department = org.create_department(org.DepartmentData(code="NEW", name="新部门"))
        db.session.commit()
        assert department.id > max(row["id"] for row in _rows(original, "departments"))
        shop = db.session.scalar(db.select(Department).where(Department.code == "EC"))
        assert shop.head_position.code == "EC-MGR" and shop.parent.code == "GM"
        assert db.session.scalar(db.select(Position).where(Position.code == "EC-CS")).acting_position.code == "EC-MGR"
    _same_content(original, copy)
    back = new_database(this_engine)
    with back.app_context():
        restore_backup(io.BytesIO(copy))
        db.session.commit()
        again = _archive()
    _same_content(original, again)
    assert _manifest(original)["engine"] == this_engine and _manifest(copy)["engine"] == other_engine


def test_a_database_with_data_is_replaced_only_when_forced(ctx, new_database, this_engine):
    _company()
    data = _archive()
    target = new_database(this_engine)
    with target.app_context():
        prepare_schema()
        factories.create_department("ONLY-HERE", "只在这里")
        with pytest.raises(ServiceError, match="The database is not empty"):
            restore_backup(io.BytesIO(data))
        db.session.rollback()
        assert db.session.scalar(db.select(Department.code)) == "ONLY-HERE"
        restore_backup(io.BytesIO(data), force=True)
        db.session.commit()
        codes = set(db.session.scalars(db.select(Department.code)))
        assert "ONLY-HERE" not in codes and {"GM", "EC", "MK", "LATE"} <= codes
        restore = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "restore"))
        assert restore.changes["replaced"] is True


def test_another_schema_revision_and_damaged_archives_are_refused(ctx, new_database, this_engine):
    _company()
    data = _archive()
    other_revision = _rewrite(data, "manifest.json", lambda m: m.replace(code_revision().encode(), b"0123456789ab"))
    damaged = _rewrite(data, "tables/departments.jsonl", lambda t: t.replace("电商部".encode(), "电商部X".encode()))
    target = new_database(this_engine)
    with target.app_context():
        with pytest.raises(ServiceError, match="schema revision 0123456789ab"):
            restore_backup(io.BytesIO(other_revision))
        db.session.rollback()
        with pytest.raises(ServiceError, match="damaged: the data of table departments"):
            restore_backup(io.BytesIO(damaged))
        db.session.rollback()
        assert table_counts()["departments"] == 0  # all or nothing
        with pytest.raises(ServiceError, match="not a RoleBook backup"):
            restore_backup(io.BytesIO(b"PK\x03\x04 nope"))


def test_admin_downloads_a_backup_from_the_page(login):
    admin = login("admin")
    page = admin.get("/backup/").get_data(as_text=True)
    assert "backup restore" in page and "0 3 * * 0" in page
    response = admin.post("/backup/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_data()
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "backup"))
    assert event.actor_id == admin.user.id and event.label.startswith("rolebook-backup-")
    assert any(row["action"] == "backup" for row in _rows(data, "audit_events"))  # the download is in it
    assert event.label in admin.get("/backup/").get_data(as_text=True)
    for role in ("hr", "manager", "employee"):
        client = login(role)
        assert client.post("/backup/download").status_code == 403
        assert "/backup/" not in client.get("/").get_data(as_text=True)


def test_command_line_backup_and_restore(data_app, ctx, tmp_path, new_database, this_engine):
    _company()
    path = tmp_path / "weekly.zip"
    result = data_app.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0 and "Wrote" in result.output and path.exists()
    target = new_database(this_engine)
    runner = target.test_cli_runner()
    with target.app_context():  # the commands run in the current app: the target's
        result = runner.invoke(args=["backup", "restore", str(path)])
        assert result.exit_code == 0 and "counts and checksums verified" in result.output, result.output
        result = runner.invoke(args=["backup", "restore", str(path)])
        assert result.exit_code == 1 and "--force" in result.output
        assert runner.invoke(args=["backup", "restore", str(path), "--force"]).exit_code == 0
        assert (
            db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(AuditEvent.action == "restore"))
            == 1
        )  # replaced, then restored again
        from app.org.models import Employee

        assert (
            org.primary_position(
                db.session.scalar(db.select(Employee).where(Employee.employee_no == "E001")), date(2024, 1, 1)
            ).code
            == "EC-MGR"
        )


SQL_NULL = "<SQL NULL>"


def _json_columns(engine_app) -> dict:
    """{(table, column): {primary key: SQL_NULL, else the parsed JSON}} read with plain SQL, so
    that SQL NULL and the JSON text 'null' (None here) differ."""
    found = {}
    with engine_app.app_context():
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                keys = [c.name for c in table.primary_key.columns]
                for column in table.columns:
                    if not isinstance(column.type, db.JSON):
                        continue
                    rows = connection.execute(
                        db.text(f"SELECT {', '.join(keys)}, CAST({column.name} AS TEXT) FROM {table.name}")
                    ).all()
                    found[(table.name, column.name)] = {
                        tuple(row[:-1]): SQL_NULL if row[-1] is None else json.loads(row[-1]) for row in rows
                    }
    return found


def _same_json(before: dict, after: dict) -> None:
    for key, values in before.items():
        if key == ("audit_events", "changes"):  # the restores added their own events
            assert {k: v for k, v in after[key].items() if k in values} == values
        else:
            assert after[key] == values, key


def test_sql_null_json_stays_null_through_both_engines(app, ctx, new_database, this_engine, other_engine):
    """SQLite → PostgreSQL → SQLite (or the reverse): every JSON value compares equal, SQL NULL
    staying SQL NULL (not the JSON text 'null')."""
    from app.appraisals.models import AppraisalCycle, AppraisalTemplate

    _company()
    template = AppraisalTemplate(name="季度考核")
    db.session.add(template)
    db.session.flush()
    db.session.add(
        AppraisalCycle(
            name="2026-Q4", template_id=template.id, start_date=date(2026, 10, 1), end_date=date(2026, 12, 31)
        )
    )  # settings: SQL NULL until launched
    db.session.commit()
    before = _json_columns(app)
    assert SQL_NULL in before[("appraisal_cycles", "settings")].values()
    original = _archive()
    there = new_database(other_engine)
    with there.app_context():
        restore_backup(io.BytesIO(original))
        db.session.commit()
        copy = _archive()
    _same_json(before, _json_columns(there))
    back = new_database(this_engine)
    with back.app_context():
        restore_backup(io.BytesIO(copy))
        db.session.commit()
    _same_json(before, _json_columns(back))
