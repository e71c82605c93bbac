"""Every kind of problem is reported next to its row and column, and nothing is applied."""

from __future__ import annotations

import pytest

from app.core.spreadsheets import csv_bytes
from app.extensions import db
from app.transfer import services
from app.transfer.reader import FileProblem, read_book
from tests.transfer.helpers import build_org, check, counts, problems, xlsx


def _has(found, kind, row, column, text):
    return any(k == kind and r == row and c == column and text in m for k, r, c, m in found)


def test_a_file_with_every_kind_of_problem_reports_each_and_applies_nothing(ctx):
    build_org()
    before = counts()
    data = xlsx(
        {
            "departments": [
                ["code", "name", "parent_code", "colour"],
                ["NEW", "新部门", "NOPE", "red"],  # 2: unknown parent
                ["DUP", "甲", "GM"],
                ["DUP", "乙", "GM"],  # 3, 4: duplicate key
                ["L1", "环一", "L2"],
                ["L2", "环二", "L1"],  # 5, 6: parent loop
                ["bad code!", "坏"],  # 7: invalid code
            ],
            "positions": [
                ["code", "title", "department_code", "headcount", "reports_to_code"],
                ["P-NEG", "负编制", "EC", -1, ""],  # 2: negative headcount
                ["P-TXT", "文字", "EC", "three", ""],  # 3: not a number
                ["P-A", "甲", "EC", 1, "P-B"],
                ["P-B", "乙", "EC", 1, "P-A"],  # 4, 5: reporting loop
                ["P-X", "无部门", "ZZ", 1, ""],  # 6: unknown department
                ["GM-1", "总经理", "GM", 1, "EC-CS"],  # 7: loop through the database
            ],
            "employees": [
                ["employee_no", "name", "hire_date", "status", "email"],
                ["E100", "赵六", "2020-13-45", "regular", ""],  # 2: bad date
                ["E101", "钱七", "2021-01-01", "retired", "not-an-email"],  # 3: unknown status, bad e-mail
            ],
            "assignments": [
                ["employee_no", "position_code", "start_date", "end_date"],
                ["E001", "EC-CS", "2023-01-01", ""],  # 2: overlaps E001's primary assignment
                ["E999", "EC-CS", "2023-01-01", ""],  # 3: unknown employee
                ["E002", "EC-CS", "2024-01-01", "2023-01-01"],  # 4: ends before it starts
            ],
            "notes": [["anything"], ["x"]],  # unknown sheet
        }
    )
    report = check(data, "problems.xlsx", "all", apply=True)
    found = problems(report)
    assert not report.applied and not report.valid
    assert any("Unknown sheet “notes”" in m for _k, _r, _c, m in found)
    assert _has(found, "departments", None, "colour", "Unknown column “colour”")
    assert _has(found, "departments", 2, "parent_code", "No department has the code “NOPE”")
    assert _has(found, "departments", 3, "code", "also in row 4") and _has(found, "departments", 4, "code", "row 3")
    assert _has(found, "departments", 5, "parent_code", "L1 → L2 → L1") or _has(
        found, "departments", 5, "parent_code", "L2 → L1 → L2"
    )
    assert _has(found, "departments", 6, "parent_code", "inside each other")
    assert _has(found, "departments", 7, "code", "Use letters, digits")
    assert _has(found, "positions", 2, "headcount", "cannot be below zero")
    assert _has(found, "positions", 3, "headcount", "“three” is not a whole number")
    assert _has(found, "positions", 4, "reports_to_code", "loop") and _has(
        found, "positions", 5, "reports_to_code", "loop"
    )
    assert _has(found, "positions", 6, "department_code", "No department has the code “ZZ”")
    assert _has(found, "positions", 7, "reports_to_code", "This reporting line would create a loop: 总经理")
    assert _has(found, "employees", 2, "hire_date", "“2020-13-45” is not a date")
    assert _has(found, "employees", 3, "status", "Unknown status “retired”")
    assert _has(found, "employees", 3, "email", "Enter a valid e-mail address.")
    assert _has(found, "assignments", 2, "start_date", "This overlaps the primary assignment to 电商部经理")
    assert _has(found, "assignments", 3, "employee_no", "No employee has the number “E999”")
    assert _has(found, "assignments", 4, "end_date", "cannot be before the start date")
    assert counts() == before  # nothing applied, nothing audited


def test_a_missing_required_column_and_an_unnamed_column_are_reported(ctx):
    report = check("title,department_code,,\r\n总经理,GM,,stray\r\n".encode("utf-8"), "positions.csv", "positions")
    found = problems(report)
    assert _has(found, "positions", None, "code", "The required column “code” is missing.")
    assert _has(found, "positions", None, "", "Row 2 has values in a column without a name.")
    assert not report.valid


def test_headers_may_be_the_labels_in_either_language(ctx):
    build_org()
    data = "编码,部门名称,上级部门编码\r\nEC,电商部 (新),GM\r\n".encode("utf-8")
    report = check(data, "部门.csv", "departments")
    assert report.valid and report.sheets[0].rows[0].changes == {"name": ["电商部", "电商部 (新)"]}


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "empty.csv", "The file is empty."),
        (b"%PDF-1.7 ...", "org.pdf", "Wrong file type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "org.xls", "Old Excel (.xls)"),
        (b"PK\x03\x04 not really a zip", "org.xlsx", "not a valid Excel workbook"),
        (b"code,name\r\n" + b"x" * 2000, "big.csv", "The file is too large (at most 0.001 MB)"),
        ("code,name\r\nA,甲\r\nB,乙\r\nC,丙\r\n".encode("utf-8"), "rows.csv", "more than 2 rows"),
        ("code,name\r\nA,\xff\xfe".encode("latin-1"), "odd.csv", "characters cannot be read"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(data, filename, message):
    with pytest.raises(FileProblem) as refused:
        read_book(data, filename, max_rows=2, max_bytes=1000)
    assert message in refused.value.message


def test_a_sheet_with_only_column_names_is_reported_as_empty(ctx):
    report = check(csv_bytes(services.template_sheet("employees")), "employees.csv", "employees")
    assert _has(problems(report), "employees", None, "", "There are no rows under the column names.")
    assert not report.valid


def test_a_csv_from_chinese_excel_in_gbk_is_read(ctx):
    data = "employee_no,name,hire_date\r\nE7,王小明,2024/3/1\r\nE8,欧阳娜娜,2024年3月2日\r\n".encode("gbk")
    report = check(data, "员工.csv", "employees", apply=True)
    assert report.applied
    from app.extensions import db
    from app.org.models import Employee

    assert dict(db.session.execute(db.select(Employee.employee_no, Employee.name)).all()) == {
        "E7": "王小明",
        "E8": "欧阳娜娜",
    }


@pytest.mark.parametrize("encoding, delimiter", [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t")])
def test_csv_in_utf8_with_or_without_bom_and_other_delimiters(ctx, encoding, delimiter):
    data = delimiter.join(["employee_no", "name"]) + "\r\n" + delimiter.join(["E9", "周杰"]) + "\r\n"
    book = read_book(data.encode(encoding), "e.csv", 10, 10_000)
    assert book.sheets[0].header == ["employee_no", "name"] and book.sheets[0].rows == [(2, ["E9", "周杰"])]


def test_a_workbook_with_an_xml_bomb_is_refused():
    import io
    import zipfile

    from tests.transfer.helpers import xlsx as make_xlsx

    source, out = (
        zipfile.ZipFile(io.BytesIO(make_xlsx({"employees": [["employee_no", "name"], ["E1", "甲"]]}))),
        io.BytesIO(),
    )
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = bomb + data.replace(b">E1<", b">&lol2;<", 1)
            target.writestr(info, data)
    with pytest.raises(FileProblem, match="not a valid Excel workbook"):
        read_book(out.getvalue(), "bomb.xlsx", max_rows=10, max_bytes=100_000)


def test_a_decimal_comma_in_a_headcount_is_refused_with_both_readings(ctx):
    """The same rule as every number imported (app.core.numbers): "1,500" groups thousands,
    "1,5" could be 1.5 or 15 and is refused, never read as 15."""
    build_org()
    data = csv_bytes_of(
        [
            ["code", "title", "department_code", "headcount"],
            ["P-A", "甲", "EC", "1,5"],
            ["P-B", "乙", "EC", "1,500"],
            ["P-C", "丙", "EC", "2.5"],
            ["P-D", "丁", "EC", "1e3"],
        ]
    )
    found = problems(check(data, "positions.csv", "positions", apply=True))
    assert _has(found, "positions", 2, "headcount", "1.5") and _has(found, "positions", 2, "headcount", "15")
    assert not any(r == 3 and c == "headcount" for _k, r, c, _m in found)
    assert _has(found, "positions", 4, "headcount", "is not a whole number")
    assert _has(found, "positions", 5, "headcount", "exponent")


def csv_bytes_of(rows) -> bytes:
    from app.core.spreadsheets import Sheet

    return csv_bytes(Sheet("positions", rows[0], rows[1:]))


def test_the_number_format_chosen_settles_an_ambiguous_headcount(ctx):
    build_org()
    data = csv_bytes_of(
        [["code", "title", "department_code", "headcount"], ["P-A", "甲", "EC", "1.500"], ["P-B", "乙", "EC", "2,000"]]
    )
    auto = problems(check(data, "positions.csv", "positions"))
    assert _has(auto, "positions", 2, "headcount", "is not a whole number")  # 1.5 in the automatic reading
    raw = read_book(data, "positions.csv", 1000, 10_000_000)
    report = services.run_import(raw, "positions", number_format="comma")  # 1.500 = 1500, 2,000 = 2
    db.session.rollback()
    assert report.valid, problems(report)
    assert {row.key: row.changes["headcount"][1] for sheet in report.sheets for row in sheet.rows} == {
        "P-A": 1500,
        "P-B": 2,
    }
