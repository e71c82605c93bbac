"""The headcount report (编制表): numbers per position and subtree, the page, the XLSX export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from app.core import clock
from app.extensions import db
from app.org import services
from app.org.headcount import headcount_report
from app.org.models import Department

ROLES = ("admin", "hr", "manager", "employee")
INJECTED_DEPARTMENT = '=HYPERLINK("http://x")'
INJECTED_TITLE = "+cmd|' /C calc'!A0"


def _employee(number, position=None, start=date(2020, 1, 1), end=None, primary=True):
    employee = services.create_employee(services.EmployeeData(employee_no=number, name=f"员工{number}"))
    if position is not None:
        services.assign(employee, position.id, start, end, is_primary=primary)
    return employee


@pytest.fixture
def org(ctx):
    """总经理办公室 (GM: 1 of 1) and 电商部 (manager: 2 of 1, over-staffed; operations: 1 of 3) with
    美工组 below it (designers: 0 of 2), plus what must not count: an archived position, an archived
    department, an ended, a future and a secondary assignment."""
    new_department = lambda code, name, parent=None: services.create_department(  # noqa: E731
        services.DepartmentData(code=code, name=name, parent_id=parent.id if parent else None)
    )
    new_position = lambda code, title, dep, n, grade="": services.create_position(  # noqa: E731
        services.PositionData(code=code, title=title, department_id=dep.id, headcount=n, grade=grade)
    )

    gm_office = new_department("GM", "总经理办公室")
    ec = new_department("EC", "电商部")
    art = new_department("EC-ART", "美工组", ec)
    old = new_department("EC-OLD", "旧部门", ec)
    gm = new_position("GM-1", "总经理", gm_office, 1, "M5")
    manager = new_position("EC-MGR", "电商部经理", ec, 1, "M2")
    ops = new_position("EC-OPS", "运营专员", ec, 3, "P3")
    designer = new_position("ART-1", "美工", art, 2, "P2")
    retired = new_position("ART-OLD", "排版员", art, 5)
    gone = new_position("OLD-1", "旧岗位", old, 4)
    services.archive_position(retired)
    services.archive_position(gone)
    services.archive_department(old)

    _employee("E1", gm)
    _employee("E2", manager)
    _employee("E3", manager)  # over-staffed
    _employee("E4", ops)
    _employee("E5", ops, date(2020, 1, 1), clock.today() - timedelta(days=1))  # left the post yesterday
    _employee("E6", designer, clock.today() + timedelta(days=10))  # starts later
    _employee("E7", designer, primary=False)  # a secondary post
    db.session.commit()
    return {
        "gm_office": gm_office,
        "ec": ec,
        "art": art,
        "old": old,
        "gm": gm,
        "manager": manager,
        "ops": ops,
        "designer": designer,
    }


def _numbers(line):
    return line.authorised, line.filled, line.vacant, line.over


def test_authorised_filled_vacant_and_over_per_position(org):
    report = headcount_report(None)
    lines = {p.code: p for block in report.departments for p in block.positions}
    assert set(lines) == {"GM-1", "EC-MGR", "EC-OPS", "ART-1"}  # archived positions left out
    assert _numbers(lines["GM-1"]) == (1, 1, 0, 0)
    assert _numbers(lines["EC-MGR"]) == (1, 2, 0, 1)
    assert _numbers(lines["EC-OPS"]) == (3, 1, 2, 0)
    assert _numbers(lines["ART-1"]) == (2, 0, 2, 0)
    assert (lines["EC-MGR"].title, lines["EC-MGR"].grade) == ("电商部经理", "M2")
    assert [p.code for p in report.over_staffed] == ["EC-MGR"]


def test_department_and_subtree_subtotals_and_tree_order(org):
    report = headcount_report(None)
    names = [d.name for d in report.departments]
    assert "旧部门" not in names  # archived department left out
    assert names.index("电商部") + 1 == names.index("美工组")  # a sub-department follows its parent
    blocks = {d.code: d for d in report.departments}
    ec, art = blocks["EC"], blocks["EC-ART"]
    assert _numbers(ec.own) == (4, 3, 2, 1) and ec.own.positions == 2
    assert _numbers(ec.subtree) == (6, 3, 4, 1) and ec.subtree.positions == 3
    assert _numbers(art.own) == _numbers(art.subtree) == (2, 0, 2, 0)
    assert (ec.level, art.level, ec.sub_departments) == (0, 1, 1)
    assert _numbers(report.total) == (7, 4, 4, 1) and report.total.positions == 4
    assert report.total.vacant - report.total.over == report.total.authorised - report.total.filled


def test_report_for_one_subtree(org):
    report = headcount_report(org["ec"])
    assert [d.code for d in report.departments] == ["EC", "EC-ART"]
    assert [d.level for d in report.departments] == [0, 1]
    assert _numbers(report.total) == (6, 3, 4, 1)
    art_only = headcount_report(org["art"])
    assert [d.code for d in art_only.departments] == ["EC-ART"] and art_only.departments[0].level == 0
    assert _numbers(art_only.total) == (2, 0, 2, 0)


def test_report_on_another_day(org):
    yesterday = headcount_report(None, clock.today() - timedelta(days=1))
    ops = next(p for d in yesterday.departments for p in d.positions if p.code == "EC-OPS")
    assert ops.filled == 2  # E5 still held the post
    later = headcount_report(None, clock.today() + timedelta(days=10))
    designer = next(p for d in later.departments for p in d.positions if p.code == "ART-1")
    assert designer.filled == 1


def test_empty_company(ctx):
    report = headcount_report(None)
    assert report.is_empty and _numbers(report.total) == (0, 0, 0, 0)


def test_report_runs_in_two_queries_whatever_the_size(org):
    ec = db.session.get(Department, org["ec"].id)  # loaded before counting (the commit expired it)
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)  # the engine of the test's own app
    try:
        headcount_report(None)
        headcount_report(ec)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 4


def test_page_shows_totals_subtotals_and_highlights_over_staffing(org, login):
    client = login("hr")
    response = client.get("/org/headcount")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-testid="total-authorised">7<' in page and 'data-testid="total-filled">4<' in page
    assert 'data-testid="total-vacant">4<' in page and 'data-testid="total-over">1<' in page
    assert 'role="progressbar"' in page and 'aria-valuenow="57"' in page  # 4 of 7
    manager_row = page.split(f'data-position="{org["manager"].id}"')[0].rsplit("<tr", 1)[1]
    assert "table-danger" in manager_row
    ops_row = page.split(f'data-position="{org["ops"].id}"')[0].rsplit("<tr", 1)[1]
    assert "table-danger" not in ops_row
    assert f'/org/positions/{org["manager"].id}"' in page and f'/org/departments/{org["ec"].id}"' in page
    assert "旧部门" not in page and "排版员" not in page
    assert "/org/headcount.xlsx" in page


def test_page_for_a_subtree_with_the_filter_selected(org, login):
    page = login("manager").get(f"/org/headcount?department={org['ec'].id}").get_data(as_text=True)
    assert "总经理" not in page.split('data-testid="headcount-table"')[1]
    assert 'data-testid="total-authorised">6<' in page
    assert f'<option value="{org["ec"].id}" selected>' in page
    assert f"/org/headcount.xlsx?department={org['ec'].id}" in page


def test_page_escapes_names(ctx, login):
    dep = services.create_department(services.DepartmentData(code="X", name="<script>alert(1)</script>"))
    services.create_position(services.PositionData(code="X1", title="<b>t</b>", department_id=dep.id))
    db.session.commit()
    page = login("hr").get(f"/org/headcount?department={dep.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page and "<b>t</b>" not in page


def test_empty_states(ctx, login):
    client = login("hr")
    assert "No departments yet." in client.get("/org/headcount").get_data(as_text=True)
    dep = services.create_department(services.DepartmentData(code="D", name="部门"))
    db.session.commit()
    assert "No positions here yet." in client.get("/org/headcount").get_data(as_text=True)
    services.archive_department(dep)
    db.session.commit()
    assert "This department is archived." in client.get(f"/org/headcount?department={dep.id}").get_data(as_text=True)


def test_page_makes_a_fixed_number_of_queries(ctx, login, count_queries):
    client = login("hr")

    def build(prefix, departments, positions_each):
        parent = None
        for d in range(departments):
            parent = services.create_department(
                services.DepartmentData(
                    code=f"{prefix}{d}", name=f"{prefix}部门{d}", parent_id=parent.id if parent else None
                )
            )
            for p in range(positions_each):
                position = services.create_position(
                    services.PositionData(
                        code=f"{prefix}{d}-{p}", title=f"岗位{p}", department_id=parent.id, headcount=2
                    )
                )
                _employee(f"{prefix}{d}-{p}", position)
        db.session.commit()

    build("A", 1, 3)
    with count_queries() as small:
        assert client.get("/org/headcount").status_code == 200
    build("B", 3, 9)  # 30 positions in all, in a deeper tree
    with count_queries() as large:
        page = client.get("/org/headcount").get_data(as_text=True)
    assert page.count("data-position=") == 30
    assert len(large) == len(small), large


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_report_and_downloads_it(org, login, role):
    client = login(role)
    assert client.get("/org/headcount").status_code == 200
    response = client.get(f"/org/headcount.xlsx?department={org['ec'].id}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_anonymous_users_are_sent_to_login(app, org):
    client = app.test_client()
    for url in ("/org/headcount", "/org/headcount.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "arg, status",
    [
        ("abc", 200),
        ("", 200),
        ("1.5", 200),
        ("%00", 400),
        ("999999", 404),
        ("0", 404),
        ("-3", 404),
        ("99999999999999999999999", 404),
    ],
)
def test_bad_department_arguments_never_fail(org, login, arg, status):
    client = login("hr")
    assert client.get(f"/org/headcount?department={arg}").status_code == status
    assert client.get(f"/org/headcount.xlsx?department={arg}").status_code == status


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.get_data()))


def test_xlsx_export_reads_back_with_chinese_numbers_and_totals(org, login):
    response, wb = _download(login("hr"), f"/org/headcount.xlsx?department={org['ec'].id}")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    filename = unquote(disposition.split("filename*=UTF-8''")[1])
    assert filename == f"Headcount plan-电商部-{clock.today().isoformat()}.xlsx"

    positions, departments = wb.worksheets
    header, *rows = [[c.value for c in row] for row in positions.iter_rows()]
    assert header == [
        "Department",
        "Department code",
        "Position code",
        "Position",
        "Grade",
        "Authorised",
        "Filled",
        "Vacant",
        "Over-staffed",
    ]
    by_code = {row[2]: row for row in rows[:-1]}
    assert by_code["EC-MGR"] == ["电商部", "EC", "EC-MGR", "电商部经理", "M2", 1, 2, 0, 1]
    assert by_code["EC-OPS"][5:] == [3, 1, 2, 0] and by_code["ART-1"][:2] == ["美工组", "EC-ART"]
    assert rows[-1][0] == "Total" and rows[-1][5:] == [6, 3, 4, 1]
    assert positions.freeze_panes == "A2" and positions["A1"].font.b
    numbers = [positions.cell(r, c) for r in range(2, positions.max_row + 1) for c in range(6, 10)]
    assert all(cell.data_type == "n" for cell in numbers)
    manager_row = next(r for r in positions.iter_rows(min_row=2) if r[2].value == "EC-MGR")
    assert manager_row[0].fill.fgColor.rgb.endswith("F8D7DA")  # over-staffed, as on the page

    dep_rows = [[c.value for c in row] for row in departments.iter_rows(min_row=2)]
    assert dep_rows[0][:3] == ["电商部", "EC", None] and dep_rows[0][3:] == [2, 4, 3, 2, 1, 6, 3, 4, 1]
    assert dep_rows[1][:3] == ["美工组", "EC-ART", "电商部"] and departments["A3"].alignment.indent == 1
    assert dep_rows[-1][0] == "Total"


def test_xlsx_export_of_the_whole_company_is_named_after_it(org, login, app):
    response, wb = _download(login("employee"), "/org/headcount.xlsx?department=abc")
    filename = unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert filename == f"Headcount plan-{app.config['COMPANY_NAME']}-{clock.today().isoformat()}.xlsx"
    assert wb.worksheets[0].max_row == 4 + 2  # header, four positions, total


def test_xlsx_export_neutralises_formula_injection(ctx, login):
    dep = services.create_department(services.DepartmentData(code="@X", name=INJECTED_DEPARTMENT))
    services.create_position(
        services.PositionData(code="-1", title=INJECTED_TITLE, department_id=dep.id, grade="=1+1", headcount=2)
    )
    db.session.commit()
    _, wb = _download(login("hr"), "/org/headcount.xlsx")
    row = list(wb.worksheets[0].iter_rows(min_row=2, max_row=2))[0]
    text_cells = row[:5]
    assert all(cell.data_type == "s" and not cell.value.startswith(("=", "+", "-", "@")) for cell in text_cells)
    assert [cell.value for cell in text_cells] == [
        "'" + INJECTED_DEPARTMENT,
        "'@X",
        "'-1",
        "'" + INJECTED_TITLE,
        "'=1+1",
    ]
    assert row[5].value == 2 and row[5].data_type == "n"
    dep_row = list(wb.worksheets[1].iter_rows(min_row=2, max_row=2))[0]
    assert dep_row[0].data_type == "s" and dep_row[0].value == "'" + INJECTED_DEPARTMENT


def test_export_as_csv_is_neutralised_too(ctx):
    import csv

    from app.core.spreadsheets import csv_bytes
    from app.org.headcount import headcount_sheets

    dep = services.create_department(services.DepartmentData(code="X", name=INJECTED_DEPARTMENT))
    services.create_position(services.PositionData(code="X1", title="电商部经理", department_id=dep.id))
    db.session.commit()
    data = csv_bytes(headcount_sheets(headcount_report(None))[0])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][:4] == ["'" + INJECTED_DEPARTMENT, "X", "X1", "电商部经理"] and rows[1][5:] == ["1", "0", "1", "0"]


def test_headcount_is_in_the_organisation_menu(login):
    page = login("employee").get("/").get_data(as_text=True)
    assert "/org/headcount" in page
