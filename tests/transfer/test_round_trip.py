"""Export and import again: nothing changes, on both engines, in XLSX and CSV; an export imported
into an empty organisation rebuilds it exactly; rows may refer to rows further down the file."""

from __future__ import annotations

import csv
import io

import pytest

from app.core import clock
from app.core.spreadsheets import csv_bytes, xlsx_bytes
from app.extensions import db
from app.org.models import Assignment, Department, Employee, Position, dotted_lines
from app.transfer import services
from tests.transfer.helpers import FORMULA, build_org, check, counts, read_xlsx, xlsx

KINDS = ("departments", "positions", "employees", "assignments")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_export_imports_back_as_unchanged(login, fmt):
    hr = login("hr")
    build_org()
    before = counts()
    for kind in KINDS:
        response = hr.get(f"/transfer/export/{kind}.{fmt}")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
        report = check(response.data, f"{kind}.{fmt}", kind)
        assert report.valid and not report.has_changes, services.Report.to_dict(report)
        assert {row.action for sheet in report.sheets for row in sheet.rows} == {"unchanged"}
        assert (
            len(report.sheets[0].rows)
            == before[
                {
                    "departments": "Department",
                    "positions": "Position",
                    "employees": "Employee",
                    "assignments": "Assignment",
                }[kind]
            ]
        )
    assert counts() == before  # nothing written, not even to the audit trail


def _organisation_csv() -> dict[str, str]:
    return {kind: csv_bytes(services.export_sheet(kind)).decode("utf-8-sig") for kind in KINDS}


def _empty_organisation() -> None:
    for table in (
        "assignments",
        "employees",
        "position_dotted_lines",
        "department_collaborations",
        "department_functions",
    ):
        db.session.execute(db.metadata.tables[table].delete())
    db.session.execute(db.update(Department).values(head_position_id=None))
    db.session.execute(db.update(Position).values(reports_to_id=None, acting_position_id=None))
    db.session.execute(db.delete(Position))
    db.session.execute(db.update(Department).values(parent_id=None))
    db.session.execute(db.delete(Department))
    db.session.commit()


def test_the_workbook_rebuilds_an_emptied_organisation_exactly(ctx):
    build_org()
    workbook = xlsx_bytes(services.sheets_for("all"))
    exported = _organisation_csv()
    _empty_organisation()
    assert counts()["Department"] == 0
    report = check(workbook, "organisation.xlsx", "all", apply=True)
    assert report.applied, [(s.kind, r.row, r.errors) for s in report.sheets for r in s.rows if r.errors]
    assert report.counts["create"] == sum(len(s.rows) for s in report.sheets)
    assert _organisation_csv() == exported
    shop = db.session.scalar(db.select(Department).where(Department.code == "EC"))
    assert shop.head_position.code == "EC-MGR" and shop.parent.code == "GM"
    assert [(c.partner.code if c.partner else None, c.duty) for c in shop.collaborations] == [
        ("MK", "制定并执行整合营销方案"),
        (None, "保障供货"),
    ]
    agent = db.session.scalar(db.select(Position).where(Position.code == "EC-CS"))
    assert agent.acting_position.code == "EC-MGR" and [p.code for p in agent.dotted_superiors] == ["MK-MGR"]
    assert db.session.scalar(db.select(Employee.user_id).where(Employee.employee_no == "E001")) is not None
    # applied through the services: every row is in the audit trail
    from app.audit.models import AuditEvent

    assert (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "positions", AuditEvent.action == "create")
        )
        >= 4
    )


def test_rows_may_refer_to_rows_further_down_the_file(ctx):
    data = xlsx(
        {
            "departments": [
                ["code", "name", "parent_code", "head_position_code", "collaborations"],
                ["EC", "电商部", "GM", "EC-MGR", "MK: 推广"],
                ["MK", "市场部", "GM"],
                ["GM", "总经理办公室", "", "GM-1"],
            ],
            "positions": [
                ["code", "title", "department_code", "reports_to_code", "acting_position_code", "dotted_line_codes"],
                ["EC-CS", "在线客服", "EC", "EC-MGR", "", "MK-MGR"],
                ["EC-MGR", "电商部经理", "EC", "GM-1", "EC-CS"],
                ["MK-MGR", "市场部经理", "MK", "GM-1"],
                ["GM-1", "总经理", "GM"],
            ],
            "assignments": [["employee_no", "position_code", "start_date"], ["E1", "EC-CS", "2024-05-06"]],
            "employees": [["employee_no", "name"], ["E1", "王强"]],
        }
    )
    report = check(data, "forward.xlsx", "all", apply=True)
    assert report.applied and report.counts == {"create": 9, "update": 0, "unchanged": 0, "error": 0}
    shop = db.session.scalar(db.select(Department).where(Department.code == "EC"))
    assert shop.parent.code == "GM" and shop.head_position.code == "EC-MGR"
    assert shop.collaborations[0].partner.code == "MK"
    agent = db.session.scalar(db.select(Position).where(Position.code == "EC-CS"))
    assert agent.reports_to.code == "EC-MGR" and agent.reports_to.reports_to.code == "GM-1"
    assert agent.reports_to.acting_position.code == "EC-CS"
    assert db.session.scalar(db.select(db.func.count()).select_from(dotted_lines)) == 1
    assert db.session.scalar(db.select(Assignment.start_date)).isoformat() == "2024-05-06"


def test_an_update_changes_only_the_columns_in_the_file(ctx):
    build_org()
    data = "code,title,headcount\r\nEC-CS,在线客服专员,3\r\nEC-MGR,电商部经理,\r\n".encode("utf-8")
    report = check(data, "positions.csv", "positions")
    rows = {row.key: row for row in report.sheets[0].rows}
    assert rows["EC-CS"].action == "update"
    assert rows["EC-CS"].changes == {"title": ["在线客服", "在线客服专员"], "headcount": [2, 3]}
    assert rows["EC-MGR"].action == "unchanged"  # an empty headcount keeps the current one
    check(data, "positions.csv", "positions", apply=True)
    agent = db.session.scalar(db.select(Position).where(Position.code == "EC-CS"))
    assert (agent.title, agent.headcount, agent.working_conditions, agent.reports_to.code) == (
        "在线客服专员",
        3,
        "早晚班",
        "EC-MGR",
    )


def test_formula_like_cells_are_neutralised_and_read_back(login):
    hr = login("hr")
    build_org()
    sheets = read_xlsx(hr.get("/transfer/export/all.xlsx").data)
    titles = [row[1] for row in sheets["positions"][1:]]
    assert "'" + FORMULA in titles and FORMULA not in titles
    assert any(row[1] == "'@陈静" for row in sheets["employees"][1:])
    text = hr.get("/transfer/export/positions.csv").data.decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in csv.reader(io.StringIO(text)) for cell in row)
    report = check(text.encode("utf-8"), "positions.csv", "positions")
    assert report.valid and not report.has_changes  # the quote is taken off again on import


def test_chinese_is_intact_in_xlsx_and_csv(login):
    hr = login("hr")
    build_org()
    sheets = read_xlsx(hr.get("/transfer/export/departments.xlsx").data)
    assert ("EC", "电商部", "GM") in [row[:3] for row in sheets["departments"]]
    assert "负责网店日常维护\n负责网络推广" in [row[8] for row in sheets["departments"]]
    raw = hr.get("/transfer/export/positions.csv").data
    assert raw.startswith(b"\xef\xbb\xbf") and "电商部经理".encode("utf-8") in raw
    response = hr.get("/transfer/export/employees.csv")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


def test_templates_hold_exactly_the_columns_the_importer_reads(login):
    hr = login("hr")
    sheets = read_xlsx(hr.get("/transfer/template/all.xlsx").data)
    assert list(sheets) == list(KINDS)
    for kind in KINDS:
        assert list(sheets[kind][0]) == services.KINDS[kind].columns and len(sheets[kind]) == 1
    text = hr.get("/transfer/template/assignments.csv").data.decode("utf-8-sig")
    assert text.strip() == '"employee_no","position_code","start_date","end_date","is_primary"'
    assert hr.get("/transfer/export/all.csv").status_code == 404  # one kind per CSV file


def test_the_demo_organisation_from_the_seeds_round_trips(ctx):
    from app.audit.services import acting_as
    from app.demo.services import load_demo

    with acting_as("demo"):
        load_demo()
        db.session.commit()
    report = check(xlsx_bytes(services.sheets_for("all")), "demo.xlsx", "all")
    assert report.valid and report.counts["unchanged"] > 80 and not report.has_changes


def test_one_file_may_end_someones_assignments_and_mark_them_as_left(ctx):

    build_org()
    today = clock.today().isoformat()
    data = xlsx(
        {
            "employees": [["employee_no", "status"], ["E002", "left"]],
            "assignments": [
                ["employee_no", "position_code", "start_date", "end_date"],
                ["E002", "EC-CS", "2021-03-01", today],
            ],
        }
    )
    report = check(data, "leaving.xlsx", "all", apply=True)
    assert report.applied, [(s.kind, r.row, r.errors) for s in report.sheets for r in s.rows if r.errors]
    employee = db.session.scalar(db.select(Employee).where(Employee.employee_no == "E002"))
    assert employee.status == "left" and employee.assignments[0].end_date.isoformat() == today
    # without ending the assignment, the status is refused on its row
    data = xlsx({"employees": [["employee_no", "status"], ["E001", "left"]]})
    report = check(data, "leaving.xlsx", "all", apply=True)
    assert not report.applied
    errors = [error for sheet in report.sheets for row in sheet.rows for error in row.errors]
    assert any("电商部经理" in message for _column, message in errors), errors
