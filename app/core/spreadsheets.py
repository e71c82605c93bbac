"""Spreadsheet exports (XLSX and CSV) that are safe to open in Excel, WPS and LibreOffice.

Every value goes through :func:`safe_cell`: numbers, dates and booleans stay typed; text that a
spreadsheet could take for a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, OWASP "CSV injection") gets a leading single quote, so it shows as text and is
never evaluated, even after the file is re-saved as CSV. XLSX text cells are also written with
an explicit string type. Chinese text is kept as is (XLSX is UTF-8; the CSV has a BOM so that
Excel reads it as UTF-8).

    sheet = Sheet(_("Positions"), [Column(_("Code")), Column(_("Headcount"), number_format="#,##0")],
                  rows=[(p.code, p.headcount) for p in positions])
    return xlsx_response("岗位-2026-11-22.xlsx", [sheet])
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from itertools import chain, islice
from typing import IO, Any
from urllib.parse import quote

from flask import Response, request
from werkzeug.wsgi import wrap_file

from app.core import clock
from app.core.numbers import exact, plain

SHEET_DIGITS = 15  # significant digits a spreadsheet keeps in a number cell
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"

# First characters that make a spreadsheet read a cell as a formula (OWASP), and their
# full-width forms, which some CJK input methods produce and some spreadsheets accept.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters XML 1.0 cannot hold
_EXCEL_MAX_TEXT = 32767
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_WIDTH_SAMPLE_ROWS = 200  # column widths are measured on the first rows (the rest streams)


# --- values ---------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet could read it as a formula or DDE call."""
    if text and (text[0] in FORMULA_TRIGGERS or text.lstrip(" \u3000")[:1] in FORMULA_TRIGGERS):
        return "'" + text
    return text


def sheet_number(value: Decimal) -> float | str:
    """A stored number as a cell that reads back exactly: a number cell when a float holds it
    (spreadsheets keep 15 significant digits), else its exact text (99999999999999.9999), which
    the importers read back digit for digit."""
    number = exact(value)
    as_float = float(number)
    # A float may hold 17 digits that Excel and openpyxl write back with fewer (1256475507840.5042
    # comes back as ...504): a number cell only within the 15 digits a spreadsheet keeps.
    digits = len(number.as_tuple().digits) if number is not None else 0
    return as_float if digits <= SHEET_DIGITS and exact(as_float) == number else neutralise(plain(number))


def safe_cell(value: Any) -> Any:
    """A value fit for a spreadsheet cell: None, bool, int, float, Decimal, date, datetime and
    time stay as they are (an aware datetime becomes the naive time of the company's time zone,
    as spreadsheets know no time zones and people read their own clock); everything else becomes text, neutralised against formula injection and stripped of
    the control characters that XLSX cannot hold."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, Decimal):
        return sheet_number(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = clock.local(value).replace(tzinfo=None, microsecond=0)
        return value
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, Enum):
        value = value.value
    text = _ILLEGAL_XML.sub("", str(value))
    return neutralise(text)


# --- description of a sheet ----------------------------------------------------------------


@dataclass
class Column:
    header: str
    width: float | None = None  # in characters; measured from the data when None
    number_format: str | None = None  # Excel format for numbers in this column, e.g. "#,##0" or "0.0%"


@dataclass
class Row:
    """A row with a look: bold (subtotals), a background colour (RGB hex, e.g. "F8D7DA") and an
    indent of the first cell (tree levels). Plain tuples are rows without a look."""

    values: Sequence[Any]
    bold: bool = False
    fill: str | None = None
    indent: int = 0


@dataclass
class Sheet:
    """One worksheet: a header row from ``columns``, then ``rows`` (sequences or :class:`Row`;
    an iterator is streamed), then ``footer`` rows (totals) that the auto-filter leaves out."""

    title: str
    columns: Sequence[Column | str]
    rows: Iterable[Sequence[Any] | Row]
    footer: Sequence[Sequence[Any] | Row] = field(default_factory=list)

    @property
    def column_specs(self) -> list[Column]:
        return [c if isinstance(c, Column) else Column(str(c)) for c in self.columns]


def _as_row(row) -> Row:
    return row if isinstance(row, Row) else Row(row)


def text_width(value: Any) -> int:
    """Display width in characters: CJK (wide and full-width) characters count twice."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    longest = 0
    for line in text.splitlines() or [""]:
        longest = max(longest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line))
    return longest


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_TITLE_FORBIDDEN.sub("_", _ILLEGAL_XML.sub("", str(title))).strip("' ")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


# --- XLSX -------------------------------------------------------------------------------------


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of ``sheets`` as bytes (see :func:`write_xlsx`)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


def write_xlsx(sheets: Sequence[Sheet], target: IO[bytes]) -> None:
    """Write a workbook of ``sheets`` to the binary file ``target``, streamed (write-only mode)
    so large exports stay small in memory: bold, frozen header with an auto-filter, measured
    column widths, typed numbers and dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "RoleBook"
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    styles: dict[tuple, Any] = {}
    used_titles: set[str] = set()

    for sheet in sheets:
        ws = workbook.create_sheet(_sheet_title(sheet.title, used_titles))
        columns = sheet.column_specs
        ncols = max(len(columns), 1)
        rows = iter(sheet.rows)
        sample = [_as_row(r) for r in islice(rows, _WIDTH_SAMPLE_ROWS)]
        for index, column in enumerate(columns, 1):
            width = column.width
            if width is None:
                measured = [text_width(column.header)] + [
                    text_width(safe_cell(r.values[index - 1])) + (2 * r.indent if index == 1 else 0)
                    for r in chain(sample, map(_as_row, sheet.footer))
                    if len(r.values) >= index
                ]
                width = min(max(max(measured) + 2, 8), 60)
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A2"

        def style(number_format: str | None, row: Row | None, indent: int, header: bool = False):
            """The cell style for this combination, built once per workbook and then copied:
            assigning fonts and fills cell by cell is what makes openpyxl slow."""
            key = (number_format, row.bold if row else False, row.fill if row else None, indent, header)
            if key not in styles:
                proto = WriteOnlyCell(ws)
                if header:
                    proto.font, proto.fill = bold, header_fill
                    proto.alignment = Alignment(vertical="center", wrap_text=True)
                if number_format:
                    proto.number_format = number_format
                if key[1]:
                    proto.font = bold
                if key[2]:
                    proto.fill = PatternFill("solid", fgColor=key[2])
                if indent:
                    proto.alignment = Alignment(indent=indent)
                styles[key] = proto._style
            return copy(styles[key])

        def cell(value, column: Column | None, row: Row | None = None, header: bool = False, first: bool = False):
            value = safe_cell(value)
            if isinstance(value, str) and len(value) > _EXCEL_MAX_TEXT:
                value = value[:_EXCEL_MAX_TEXT]
            number_format = None
            if isinstance(value, datetime):
                number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                number_format = "yyyy-mm-dd"
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and column is not None:
                number_format = column.number_format
            indent = row.indent if (row is not None and first) else 0
            styled = header or number_format or indent or (row is not None and (row.bold or row.fill))
            # A neutralised string never starts with "=", so openpyxl types it as text, except
            # for the few that spell an Excel error value ("#N/A"): those get an explicit type.
            if not styled and not (isinstance(value, str) and value in ERROR_CODES):
                return value
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                c.data_type = "s"
            if styled:
                c._style = style(number_format, row, indent, header)
            return c

        def write(row: Row):
            values = list(row.values)
            if row.fill or row.bold:  # style the whole width of the row, empty cells included
                values += [""] * (ncols - len(values))
            ws.append(
                [
                    cell(value, columns[i] if i < len(columns) else None, row, first=(i == 0))
                    for i, value in enumerate(values)
                ]
            )

        ws.append([cell(column.header, column, header=True) for column in columns])
        count = 0
        for row in chain(sample, map(_as_row, rows)):
            write(row)
            count += 1
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(ncols)}{count + 1}"
        for row in sheet.footer:
            write(_as_row(row))

    workbook.save(target)


# --- CSV --------------------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)  # every digit; a number's text is no formula
    value = safe_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def csv_bytes(sheet: Sheet) -> bytes:
    """One sheet as CSV: UTF-8 with a BOM (so Excel reads Chinese correctly), CRLF line ends,
    text fields quoted, every value neutralised like the XLSX cells."""
    return b"".join(csv_chunks(sheet))


def csv_chunks(sheet: Sheet, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """:func:`csv_bytes` in pieces of ``rows_per_chunk`` rows, to write to a file as they come: a
    sheet whose rows come from an iterator is never held whole in memory."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([_csv_value(c.header) for c in sheet.column_specs])
    for count, row in enumerate(chain(sheet.rows, sheet.footer), 1):
        writer.writerow([_csv_value(v) for v in _as_row(row).values])
        if count % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


# --- HTTP -------------------------------------------------------------------------------------


def csv_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) of a CSV file's bytes: a BOM's encoding (UTF-8, UTF-16), else UTF-8,
    else GB18030 (what Excel saves as CSV on a Chinese Windows); None when none reads it."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def safe_filename(filename: str, default: str = "export", max_stem: int = 150) -> str:
    """``filename`` without path separators, quotes or control characters (Chinese is kept; names
    often come from user text), its stem at most ``max_stem`` characters, the extension kept."""
    stem, dot, extension = unicodedata.normalize("NFC", filename).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = _FILENAME_FORBIDDEN.sub("_", stem).strip(" ._")[:max_stem]
    return f"{stem or default}{dot}{_FILENAME_FORBIDDEN.sub('_', extension)}"


def ascii_filename(filename: str) -> str:
    """An ASCII stand-in for clients that ignore ``filename*``: accents dropped, other non-ASCII
    characters removed, the extension kept ("编制表-电商部-2026-11-22.xlsx" → "2026-11-22.xlsx")."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""

    def simplify(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        text = re.sub(r"[^A-Za-z0-9._-]+", "-", text)
        return re.sub(r"([-_.])[-_.]+", r"\1", text).strip("-_. ")

    stem, ext = simplify(stem) or "export", simplify(ext)
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """``attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>`` (RFC 6266 / 5987)."""
    filename = safe_filename(filename)
    encoded = quote(filename, safe="!#$&+-.^_`|~")
    return f"{disposition}; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{encoded}"


def _download(data: bytes | IO[bytes], filename: str, mimetype: str) -> Response:
    if hasattr(data, "read"):  # an open file: sent in blocks, closed (and so deleted, if temporary) at the end
        data = wrap_file(request.environ, data)
    # content_type, not mimetype: werkzeug would add a second "; charset=utf-8" to a text type
    response = Response(data, content_type=mimetype, direct_passthrough=not isinstance(data, bytes))
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"  # exports hold staff data
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """A download of ``sheets`` as an .xlsx workbook named ``filename`` (Chinese allowed)."""
    return _download(xlsx_bytes(sheets), filename, XLSX_MIMETYPE)


def csv_response(filename: str, sheet: Sheet) -> Response:
    """A download of ``sheet`` as UTF-8 CSV with a BOM, named ``filename`` (Chinese allowed)."""
    return _download(csv_bytes(sheet), filename, CSV_MIMETYPE)


def xlsx_stream_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """Like :func:`xlsx_response` for large sheets whose rows come from an iterator (e.g. chunked
    queries): the workbook is written to a temporary file, so memory stays flat, and sent from
    there in blocks."""
    return download_file(_spooled(lambda fh: write_xlsx(sheets, fh)), filename, XLSX_MIMETYPE)


def csv_stream_response(filename: str, sheet: Sheet) -> Response:
    """Like :func:`csv_response` for large sheets: written chunk by chunk to a temporary file
    (the rows are read during the request, while its database session is there), then sent."""

    def write(fh):
        for chunk in csv_chunks(sheet):
            fh.write(chunk)

    return download_file(_spooled(write), filename, CSV_MIMETYPE)


def _spooled(write) -> IO[bytes]:
    spool = tempfile.TemporaryFile()
    try:
        write(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


def download_file(file: IO[bytes], filename: str, mimetype: str) -> Response:
    """A private, uncached download of an open binary file, sent in blocks and closed afterwards."""
    return _download(file, filename, mimetype)
