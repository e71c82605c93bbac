"""Reading the rows of a sheet into typed values, each cell's problem kept with its row and column."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.transfer.reader import RawBook, RawSheet
from app.transfer.report import ORDER
from app.transfer.spec import (
    ALL,
    KEEP,
    KINDS,
    CellError,
    Kind,
    header_aliases,
    normalise_header,
    read_cell,
    sheet_kind,
    text_of,
)


@dataclass
class ParsedRow:
    number: int
    values: dict  # column: value in normal form (blank "as it is" cells left out)
    errors: list  # [column, message]
    key: tuple | None = None
    label: str = ""  # the key as written in the file, for the preview


@dataclass
class ParsedSheet:
    kind: str
    title: str
    columns: list
    problems: list
    rows: list  # ParsedRow

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]


def _column_names(kind: Kind) -> str:
    return ", ".join(kind.columns)


def parse_sheet(kind: str, raw: RawSheet, number_format: str = "auto") -> ParsedSheet:
    """The rows of one sheet read and checked cell by cell (numbers written as text in
    ``number_format``, see app.core.numbers); problems with the columns and with duplicate keys
    are reported, not raised."""
    spec = KINDS[kind]
    aliases = header_aliases(spec)
    sheet = ParsedSheet(kind, raw.title, [], [], [])
    if not raw.header and not raw.rows:
        sheet.problems.append(["", _("The sheet is empty: its first row must hold the column names.")])
        return sheet
    columns: list[str | None] = []
    for header in raw.header:
        name = normalise_header(text_of(header))
        key = aliases.get(name) if name else None
        if name and key is None:
            sheet.problems.append(
                [
                    text_of(header),
                    _(
                        "Unknown column “%(name)s”. The columns of this sheet are: %(columns)s.",
                        name=text_of(header),
                        columns=_column_names(spec),
                    ),
                ]
            )
        elif key in sheet.columns:
            sheet.problems.append([key, _("The column “%(name)s” appears twice.", name=key)])
            key = None
        if key:
            sheet.columns.append(key)
        columns.append(key)
    missing = [k for k in spec.key_fields if k not in sheet.columns]
    for key in missing:
        sheet.problems.append([key, _("The required column “%(name)s” is missing.", name=key)])
    if not raw.rows:
        sheet.problems.append(["", _("There are no rows under the column names.")])
    unnamed = None
    for number, cells in raw.rows:
        row = ParsedRow(number, {}, [])
        for index, key in enumerate(columns):
            if key is None:
                continue
            try:
                value = read_cell(spec.field(key), cells[index] if index < len(cells) else None, number_format)
            except CellError as error:
                row.errors.append([key, str(error)])
                continue
            if value is not KEEP:
                row.values[key] = value
        if unnamed is None and any(
            text_of(value) and (i >= len(columns) or not text_of(raw.header[i])) for i, value in enumerate(cells)
        ):
            unnamed = number
        if not missing:
            row.key = tuple(row.values.get(k) for k in spec.key_fields)
            row.label = " / ".join(
                text_of(cells[columns.index(k)]) if columns.index(k) < len(cells) else "" for k in spec.key_fields
            )
            for k in spec.key_fields:
                if row.values.get(k) in (None, "") and not any(e[0] == k for e in row.errors):
                    row.errors.append([k, _("Enter a value: this column identifies the row.")])
        sheet.rows.append(row)
    if unnamed is not None:
        sheet.problems.append(["", _("Row %(row)d has values in a column without a name.", row=unnamed)])
    if not missing:
        _flag_duplicates(sheet)
    return sheet


def _flag_duplicates(sheet: ParsedSheet) -> None:
    seen: dict[tuple, list[ParsedRow]] = {}
    for row in sheet.rows:
        if all(part not in (None, "") for part in row.key):
            seen.setdefault(row.key, []).append(row)
    column = sheet.spec.key_fields[0]
    for rows in seen.values():
        if len(rows) > 1:
            for row in rows:
                others = ", ".join(str(r.number) for r in rows if r is not row)
                row.errors.append([column, _("Duplicate: the same key is also in row %(rows)s.", rows=others)])


def parse_book(raw: RawBook, kind: str, number_format: str = "auto") -> tuple[list[str], list[ParsedSheet]]:
    """(problems with the file as a whole, the sheets to import in order) for an import of
    ``kind`` (one kind, or ALL: a workbook with a sheet per kind)."""
    if kind != ALL:
        candidates = [s for s in raw.sheets if s.header or s.rows]
        chosen = next((s for s in raw.sheets if sheet_kind(s.title) == kind), None) or (
            candidates[0] if candidates else raw.sheets[0]
        )
        return [], [parse_sheet(kind, chosen, number_format)]
    if raw.format != "xlsx":
        return [
            _("A CSV file holds one kind of rows: choose which, or upload a workbook (.xlsx) with one sheet per kind.")
        ], []
    problems, found = [], {}
    for sheet in raw.sheets:
        sheet_key = sheet_kind(sheet.title)
        if sheet_key is None:
            if sheet.header or sheet.rows:
                problems.append(
                    _(
                        "Unknown sheet “%(title)s”: name the sheets %(names)s.",
                        title=sheet.title,
                        names=", ".join(ORDER),
                    )
                )
        elif sheet_key in found:
            problems.append(_("Two sheets hold %(kind)s.", kind=sheet_key))
        else:
            found[sheet_key] = sheet
    if not found:
        problems.append(_("The workbook has no sheet named %(names)s.", names=", ".join(ORDER)))
    return problems, [parse_sheet(k, found[k], number_format) for k in ORDER if k in found]
