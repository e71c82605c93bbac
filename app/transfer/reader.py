"""Reading an uploaded spreadsheet (XLSX or CSV) into plain rows of cells, refusing what is not
a spreadsheet, too large, or in an encoding we cannot read.

CSV files come from many programs: UTF-8 with or without a byte-order mark (our exports, Excel's
"CSV UTF-8", LibreOffice), UTF-16 with a mark ("Unicode text"), and GB18030/GBK (what Chinese
Excel writes for plain "CSV"). A file that decodes as strict UTF-8 is UTF-8 (GBK text almost
never does); otherwise GB18030, a superset of GBK, is tried.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core.errors import ServiceError
from app.core.spreadsheets import csv_text

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and other Office 97 files)
MAX_UNCOMPRESSED_FACTOR = 40  # a zip that inflates more than this is refused (zip bomb)


class FileProblem(ServiceError):
    """The upload cannot be read at all; the message goes next to the file field."""

    @classmethod
    def of(cls, message: str) -> FileProblem:
        return cls(message, {"file": [message]})


@dataclass
class RawSheet:
    title: str
    header: list = field(default_factory=list)
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number as the spreadsheet shows it, cells)


@dataclass
class RawBook:
    filename: str
    format: str  # "xlsx" or "csv"
    sheets: list[RawSheet]
    encoding: str | None = None


def file_format(filename: str) -> str:
    """ "xlsx" or "csv" from the file name, else a FileProblem naming what is accepted."""
    name = (filename or "").lower().rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension in ("xlsx", "xlsm"):
        return "xlsx"
    if extension in ("csv", "txt"):
        return "csv"
    if extension in ("xls", "et", "wps"):
        raise FileProblem.of(_("Old Excel (.xls) and WPS files cannot be read: save the file as .xlsx or CSV."))
    raise FileProblem.of(_("Wrong file type: upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def read_book(data: bytes, filename: str, max_rows: int, max_bytes: int) -> RawBook:
    if not data:
        raise FileProblem.of(_("The file is empty."))
    if len(data) > max_bytes:
        raise FileProblem.of(too_large_message(max_bytes))
    kind = file_format(filename)
    if data.startswith(OLE_MAGIC):
        raise FileProblem.of(_("Old Excel (.xls) and WPS files cannot be read: save the file as .xlsx or CSV."))
    if kind == "csv" and data.startswith(XLSX_MAGIC):
        raise FileProblem.of(_("This is an Excel workbook, not a CSV file: give it the .xlsx extension."))
    if kind == "xlsx":
        book = _read_xlsx(data, filename, max_rows, max_bytes)
    else:
        book = _read_csv(data, filename, max_rows)
    return book


def too_large_message(max_bytes: int) -> str:
    return _(
        "The file is too large (at most %(size)s MB): split it, or import the kinds one by one.",
        size=f"{max_bytes / 1_000_000:g}",
    )


def _too_many_rows(max_rows: int) -> FileProblem:
    return FileProblem.of(_("The file has more than %(max)d rows: split it into smaller files.", max=max_rows))


def _trim(cells) -> list:
    cells = list(cells)
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    return cells


def _read_xlsx(data: bytes, filename: str, max_rows: int, max_bytes: int) -> RawBook:
    from openpyxl import load_workbook

    if not data.startswith(XLSX_MAGIC):
        raise FileProblem.of(_("This file is not a valid Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        if inflated > max(max_bytes, len(data)) * MAX_UNCOMPRESSED_FACTOR:
            raise FileProblem.of(too_large_message(max_bytes))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception:  # openpyxl raises many kinds of errors on damaged or foreign files
        raise FileProblem.of(_("This file is not a valid Excel workbook (.xlsx).")) from None
    sheets, total = [], 0
    try:
        for worksheet in workbook.worksheets:
            sheet = RawSheet(worksheet.title)
            for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
                cells = _trim(cells)
                if number == 1:
                    sheet.header = cells
                elif cells:
                    total += 1
                    if total > max_rows:
                        raise _too_many_rows(max_rows)
                    sheet.rows.append((number, cells))
            sheets.append(sheet)
    except FileProblem:
        raise
    except Exception:
        raise FileProblem.of(_("This file is not a valid Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()
    return RawBook(filename, "xlsx", sheets)


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes."""
    found = csv_text(data)
    if found is None:
        raise FileProblem.of(_("The file's characters cannot be read: save it as CSV in UTF-8 (or GBK)."))
    return found


def _read_csv(data: bytes, filename: str, max_rows: int) -> RawBook:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise FileProblem.of(_("This is not a text file: upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    sheet = RawSheet(filename.rsplit("/", 1)[-1])
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            cells = _trim(cells)
            if number == 1:
                sheet.header = cells
            elif cells:
                if len(sheet.rows) >= max_rows:
                    raise _too_many_rows(max_rows)
                sheet.rows.append((number, cells))
    except csv.Error as error:
        raise FileProblem.of(_("The CSV file could not be read: %(error)s", error=str(error))) from None
    return RawBook(filename, "csv", [sheet], encoding)
