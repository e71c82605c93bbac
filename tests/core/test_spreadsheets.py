"""Spreadsheet exports: typed values, formula injection neutralised (OWASP), Chinese intact."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal
from urllib.parse import unquote

import pytest
from flask import Flask
from openpyxl import Workbook, load_workbook

from app.core.numbers import exact
from app.core.spreadsheets import (
    Column,
    Row,
    Sheet,
    ascii_filename,
    content_disposition,
    csv_bytes,
    csv_response,
    safe_cell,
    sheet_number,
    text_width,
    xlsx_bytes,
    xlsx_response,
)

ATTACKS = [
    '=HYPERLINK("http://x","点我")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",  # full-width equals sign
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [None, 0, -5, 3.25, True, date(2026, 11, 22), datetime(2026, 11, 22, 9, 30)])
def test_numbers_dates_and_booleans_stay_typed(value):
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


def test_decimals_are_number_cells_when_a_spreadsheet_holds_them_exactly_else_their_digits():
    """A spreadsheet keeps 15 significant digits: 99999999999999.9999 as a number cell would
    come back as 100000000000000; its exact text comes back digit for digit."""
    assert safe_cell(Decimal("-1.50")) == -1.5 and type(safe_cell(Decimal("-1.50"))) is float
    assert safe_cell(Decimal("1200000")) == 1200000.0
    assert safe_cell(Decimal("99999999999999.9999")) == "99999999999999.9999"
    assert safe_cell(Decimal("-12345678901234.5678")) == "'-12345678901234.5678"  # the exporters' quote


def test_ordinary_text_is_unchanged_and_control_characters_are_dropped():
    assert safe_cell("电商部经理 (M2)") == "电商部经理 (M2)"
    assert safe_cell("a-b=c") == "a-b=c"
    assert safe_cell("bell\x07 and nul\x00") == "bell and nul"
    assert safe_cell(datetime(2026, 1, 1, 8, tzinfo=timezone.utc)).tzinfo is None
    assert safe_cell(float("nan")) is None


def test_cjk_characters_count_double_for_column_widths():
    assert text_width("电商部") == 6 and text_width("abc") == 3 and text_width("ab\n电商部经理") == 10


def _workbook(sheets):
    return load_workbook(io.BytesIO(xlsx_bytes(sheets)))


def test_xlsx_keeps_types_neutralises_formulas_and_keeps_chinese():
    sheet = Sheet(
        "编制表",
        [Column("名称"), Column("编制", number_format="#,##0"), Column("日期")],
        rows=[[attack, 1200, date(2026, 11, 22)] for attack in ATTACKS] + [["#N/A", -1, None]],
        footer=[Row(["合计", 1200 * len(ATTACKS) - 1, None], bold=True)],
    )
    ws = _workbook([sheet])["编制表"]
    header, *rows = list(ws.iter_rows())
    assert [c.value for c in header] == ["名称", "编制", "日期"] and header[0].font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:C{len(ATTACKS) + 2}"  # the footer is outside the filter
    for row, attack in zip(rows, ATTACKS):
        name, number, day = row
        assert name.data_type == "s" and not name.value.startswith("=")
        # a bare CR survives with lxml's writer and reads back as LF with openpyxl's own
        assert name.value in {"'" + attack, ("'" + attack).replace("\r", "\n")}
        assert number.data_type == "n" and number.value == 1200 and number.number_format == "#,##0"
        assert day.is_date and day.value.date() == date(2026, 11, 22)
    error_like = rows[len(ATTACKS)][0]
    assert error_like.data_type == "s" and error_like.value == "#N/A"  # text, not an Excel error value
    assert rows[-1][0].value == "合计" and rows[-1][0].font.b
    assert ws.column_dimensions["A"].width >= text_width('\'=HYPERLINK("http://x","点我")')


def test_xlsx_row_looks_and_sheet_titles():
    sheets = [
        Sheet("a/b:c*d?[e]" + "x" * 40, ["A", "B"], [Row(["深", 1], fill="F8D7DA", indent=2)]),
        Sheet("a/b:c*d?[e]" + "x" * 40, ["A"], iter([])),
    ]
    wb = _workbook(sheets)
    assert all(len(title) <= 31 and not set(title) & set("[]:*?/\\") for title in wb.sheetnames)
    assert len(set(wb.sheetnames)) == 2
    first = wb.worksheets[0]
    assert first["A2"].alignment.indent == 2 and first["B2"].fill.fgColor.rgb.endswith("F8D7DA")
    assert wb.worksheets[1].max_row == 1  # header only


def test_xlsx_streams_large_sheets():
    rows = ((f"岗位{i}", i) for i in range(20000))
    ws = _workbook([Sheet("big", ["title", "n"], rows)])["big"]
    assert ws.max_row == 20001 and ws.cell(20001, 2).value == 19999


def test_csv_has_bom_typed_numbers_and_neutralised_text():
    sheet = Sheet(
        "x",
        ["名称", "编制", "日期"],
        rows=[[attack, 3, date(2026, 1, 2)] for attack in ATTACKS],
        footer=[["合计", 24, None]],
    )
    data = csv_bytes(sheet)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["名称", "编制", "日期"]
    for row, attack in zip(rows[1:], ATTACKS):
        assert row == ["'" + attack, "3", "2026-01-02"]
    assert rows[-1] == ["合计", "24", ""]
    # numbers are written bare, text quoted, so a spreadsheet reads 3 as a number
    assert '"\'+cmd|\' /C calc\'!A0",3,"2026-01-02"' in data.decode("utf-8-sig")


def test_download_headers_carry_a_chinese_filename_with_an_ascii_fallback():
    header = content_disposition("编制表-电商部-2026-11-22.xlsx")
    assert header.startswith('attachment; filename="2026-11-22.xlsx"; ')
    assert unquote(header.split("filename*=UTF-8''")[1]) == "编制表-电商部-2026-11-22.xlsx"
    assert ascii_filename("Café/Ventes?.csv") == "Cafe-Ventes.csv"
    assert ascii_filename("编制表.xlsx") == "export.xlsx"
    header = content_disposition('../a"b\r\nX-Evil: 1.csv')
    assert "\r" not in header and "\n" not in header and "/" not in header.split(";")[1]

    app = Flask(__name__)
    with app.test_request_context():
        response = xlsx_response("编制表.xlsx", [Sheet("s", ["a"], [[1]])])
        assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert "no-store" in response.headers["Cache-Control"]
        assert load_workbook(io.BytesIO(response.get_data())).active["A2"].value == 1
        response = csv_response("编制表.csv", Sheet("s", ["名称"], [["=1+1"]]))
        assert response.mimetype == "text/csv"
        assert response.get_data().decode("utf-8-sig").splitlines() == ['"名称"', '"\'=1+1"']
        assert "filename*=UTF-8''%E7%BC%96%E5%88%B6%E8%A1%A8.csv" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("1200000", 1200000.0),
        ("0.985", 0.985),
        ("123456789012.345", 123456789012.345),  # 15 digits: a number cell
        ("1256475507840.5042", "1256475507840.5042"),  # 17 digits a float holds, a spreadsheet does not
        ("99999999999999.9999", "99999999999999.9999"),
    ],
)
def test_a_number_is_a_number_cell_only_when_the_sheet_keeps_every_digit(value, cell):
    written = sheet_number(Decimal(value))
    assert written == cell and type(written) is type(cell)
    workbook = Workbook()
    workbook.active["A1"] = written
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"].value
    assert exact(read) == Decimal(value) if isinstance(read, (int, float)) else read == value
