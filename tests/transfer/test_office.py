"""Exports opened by a real spreadsheet program: LibreOffice Calc (headless, from Debian's packages)
reads every sheet of the workbook and the CSV with Chinese intact, the same cells openpyxl reads,
and formula-like text stays text (no cell becomes a formula, nothing is evaluated)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from tests.transfer.helpers import FORMULA, build_org, read_xlsx

# Field separator 44 (comma), text delimiter 34 ("), character set 76 (UTF-8), from line 1; the last
# token (-1) writes every sheet of a workbook to its own file.
CSV_OUT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
CSV_IN = "CSV:44,34,76,1"


def _soffice(tmp_path: Path, source: Path, target: str, infilter: str | None = None) -> Path:
    program = shutil.which("soffice")
    assert program, "LibreOffice Calc is missing: `make test` installs libreoffice-calc-nogui"
    out = tmp_path / "out"
    command = [program, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    subprocess.run(
        command + ["--convert-to", target, "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def _shown(value) -> str:
    """A cell as Calc shows it: empty, TRUE or FALSE, a date in the sheets' yyyy-mm-dd format, or the text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    return value.date().isoformat() if isinstance(value, datetime) else str(value)


def test_libreoffice_reads_every_sheet_of_the_workbook_as_exported(login, tmp_path):
    hr = login("hr")
    build_org()
    data = hr.get("/transfer/export/all.xlsx").data
    source = tmp_path / "rolebook.xlsx"
    source.write_bytes(data)
    out = _soffice(tmp_path, source, CSV_OUT)
    expected = read_xlsx(data)
    for title, rows in expected.items():
        with open(out / f"rolebook-{title}.csv", encoding="utf-8", newline="") as handle:
            seen = list(csv.reader(handle))
        assert seen == [[_shown(cell) for cell in row] for row in rows], title
    positions = [row[1] for row in expected["positions"]]
    assert "电商部经理" in positions and "'" + FORMULA in positions  # text, not a hyperlink


def test_libreoffice_opens_the_csv_with_chinese_intact_and_no_formula(login, tmp_path):
    hr = login("hr")
    build_org()
    source = tmp_path / "positions.csv"
    source.write_bytes(hr.get("/transfer/export/positions.csv").data)
    out = _soffice(tmp_path, source, "xlsx", infilter=CSV_IN)
    sheet = load_workbook(out / "positions.xlsx").active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells]
    assert "电商部经理" in values and "'" + FORMULA in values
    assert sheet.cell(1, 1).value == "code"  # the byte-order mark is read as such, not as text
