"""Job descriptions that RoleBook exported as Word documents (``app.documents.word``), read back
exactly from their visible text.

    imported = read_exported(extracted_text, "电商运营主管")   # None: not our layout

The export has a fixed layout, in Chinese or English labels: a header table of "label：| value"
rows, "岗位目的：…" paragraphs, duty sections ("（一）…" / "A. …") of numbered duties each followed
by a duty-details table under its header row (序号 | 频率 | 标准或时限 | 权重), a competency table,
requirement groups ("（一）学历要求（必须）"), a KPI table and the signatures. Read as text (the
upload's extraction: paragraphs as lines, table rows as TAB-joined cells), the parts come back
as they were written: frequencies, deadlines and weights from the details table, competencies
and KPI targets matched to the library by name or code (a KPI's note in brackets after its
name), numbers as shown. Only the visible text is read, so what a user changed in Word (a duty
reworded, a row added, a weight changed) is what comes back; the document is recognised by its
headings and header rows, not by hidden data. A document that no longer follows the layout
(``NotOurs``: a line the layout has no place for) is left to the general parser.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _

from app.jobs import library
from app.jobs.chinese import simplified
from app.jobs.content import empty_content
from app.jobs.models import Frequency, Period, RequirementKind

LANGUAGES = ("zh_CN", "en")
DASH = "—"
_CHINESE_NUMBER = "[一二三四五六七八九十]+"


class NotOurs(Exception):
    """The text does not follow the export's layout (any more)."""


class _Labels:
    """The export's labels in one language (the same messages as ``app.documents.word``);
    build inside ``force_locale``."""

    def __init__(self, lang: str):
        self.zh = lang == "zh_CN"
        colon = "：" if self.zh else ":"
        self.colon = colon
        fields = {
            "title": _("Position title"),
            "code": _("Position code"),
            "department": _("Department"),
            "grade": _("Grade"),
            "superior": _("Direct superior"),
            "subordinates": _("Direct subordinates"),
            "working_conditions": _("Working conditions"),
            "headcount": _("Headcount"),
        }
        self.fields = {label + colon: name for name, label in fields.items()}
        self.texts = {
            _("Purpose") + colon: "purpose",
            _("Authority") + colon: "authority",
            _("Management responsibility") + colon: "management_responsibility",
        }
        self.parts = {
            _("Basic information"): "basic",
            _("Duties"): "duties",
            _("Competencies"): "competencies",
            _("Requirements"): "requirements",
            _("Key performance indicators"): "kpis",
            _("Signatures"): "signatures",
        }
        self.details_caption = _("Performance evaluation") + colon
        self.details_header = [_("No."), _("Frequency"), _("Standard or deadline"), _("Weight")]
        self.competency_header = [_("Competency"), _("Required level"), _("What the level means")]
        self.kpi_header = [
            _("KPI"),
            _("Unit"),
            _("Target"),
            _("Threshold"),
            _("Stretch"),
            _("Weight") + " %",
            _("Period"),
        ]
        self.frequencies = {member.label: member.value for member in Frequency}
        self.periods = {member.label: member.value for member in Period}
        self.groups = {}
        for member in RequirementKind:
            self.groups[_("%(kind)s requirements (required)", kind=member.label)] = (member.value, True)
            self.groups[_("%(kind)s requirements (preferred)", kind=member.label)] = (member.value, False)
        self.separator = "、" if self.zh else ", "
        # the headings of the parse API's answer (``parse_answer``), in the document's language
        self.headings = {
            "competencies": _("Competencies"),
            "kpis": _("Key performance indicators"),
            "authority": _("Authority"),
            "management_responsibility": _("Management responsibility"),
            "working_conditions": _("Working conditions"),
        }
        self.group_headings = {group: heading for heading, group in self.groups.items()}

    def part(self, line: str) -> str | None:
        """The part a heading line opens ("二、工作职责" / "Duties:"), or None."""
        if self.zh:
            match = re.fullmatch(f"{_CHINESE_NUMBER}、(.+)", line)
            return self.parts.get(match.group(1)) if match else None
        return self.parts.get(line[:-1]) if line.endswith(":") else None

    def subheading(self, line: str) -> str | None:
        """The text of a duty section's or requirement group's heading line, or None."""
        if self.zh:
            match = re.fullmatch(f"（{_CHINESE_NUMBER}）(.*)", line)
        else:
            match = re.fullmatch(r"[A-Z]\. (.*)", line) or re.fullmatch(r"(.*):", line)
        return match.group(1).strip() if match else None

    def item(self, line: str) -> tuple[int, str] | None:
        match = re.fullmatch(r"([0-9]+)、(.*)" if self.zh else r"([0-9]+)\. ?(.*)", line)
        return (int(match.group(1)), match.group(2).strip()) if match else None


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _value(text: str) -> str:
    return "" if text == DASH else text


def _row_text(cells: list[str]) -> str:
    return " ".join(cell for cell in cells if _value(cell))


_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def _number(text: str) -> Decimal | None:
    """A number as the export shows it ("1,200,000", "30%", "—"); raises ValueError otherwise."""
    text = text.replace(",", "").replace("，", "").replace("\u00a0", "").replace(" ", "").rstrip("%％")
    if text in ("", DASH):
        return None
    if not _PLAIN_NUMBER.fullmatch(text):  # the export writes digits only: no exponent, NaN or Infinity
        raise ValueError(text)
    return Decimal(text)


def recognised(lines: list[str], labels: _Labels) -> int | None:
    """The index of the basic-information heading when the header table's first row follows it."""
    for i, line in enumerate(lines[:6]):
        if labels.part(line) == "basic" and i + 1 < len(lines) and _cells(lines[i + 1])[0] == next(iter(labels.fields)):
            return i
    return None


def _read(text: str) -> _Reader | None:
    """The reader that read ``text`` to its end, or None when the text is not an export (any more)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for lang in LANGUAGES:
        with force_locale(lang):
            labels = _Labels(lang)
        start = recognised(lines, labels)
        if start is None:
            continue
        reader = _Reader(lines, start + 1, labels)
        try:
            reader.read()
        except NotOurs:
            return None
        return reader
    return None


def _read_warning() -> str:
    return _(
        "Read as a job description exported from RoleBook: duty details, competencies and KPI targets "
        "come from its tables."
    )


def read_exported(text: str, title: str = ""):
    """The ``text_to_content.Imported`` of an exported job description's text, or None when the text
    is not one (or no longer follows the layout)."""
    from app.jobs.text_to_content import Imported, title_warning

    reader = _read(text)
    if reader is None:
        return None
    found = reader.fields.get("title") or ""
    content = reader.content
    content["title"] = title or found
    warnings = [_read_warning()]
    mismatch = title_warning(found, title)
    warnings[:0] = [mismatch] if mismatch else []
    return Imported(
        content=content, fields=reader.parser_fields(), title=found or None, warnings=warnings + reader.warnings
    )


def parse_answer(text: str) -> dict | None:
    """The parse API's answer (``parser.parse_job_description``'s shape) for an exported job
    description's text, read exactly: duty sections and requirement groups as the document names
    them, competencies and KPIs as their table rows (cells joined by a space, like the parser's
    table rows), authority, management responsibility and working conditions in sections of their
    own. None when the text is not an export."""
    reader = _read(text)
    if reader is None:
        return None
    content, headings = reader.content, reader.labels.headings
    sections = []
    for name, kind in (
        ("authority", "authority"),
        ("management_responsibility", "authority"),
        ("working_conditions", "other"),
    ):
        lines = [line.strip() for line in content[name].splitlines() if line.strip()]
        if lines:
            sections.append({"heading": headings[name], "kind": kind, "items": lines})
    sections += [
        {"heading": section["heading"] or None, "kind": "duties", "items": [duty["text"] for duty in section["duties"]]}
        for section in content["sections"]
    ]
    if reader.competency_rows:
        sections.append({"heading": headings["competencies"], "kind": "other", "items": reader.competency_rows})
    for requirement in content["requirements"]:
        heading = reader.labels.group_headings[(requirement["kind"], requirement["required"])]
        if not (sections and sections[-1]["kind"] == "requirements" and sections[-1]["heading"] == heading):
            sections.append({"heading": heading, "kind": "requirements", "items": []})
        sections[-1]["items"].append(requirement["text"])
    if reader.kpi_rows:
        sections.append({"heading": headings["kpis"], "kind": "kpis", "items": reader.kpi_rows})
    fields = {
        "reports_to": None,
        "direct_reports": [],
        "department": None,
        "headcount": None,
        "purpose": None,
        **reader.parser_fields(),
    }
    return {
        "title": reader.fields.get("title") or None,
        "fields": fields,
        "sections": sections,
        "duties": [item for s in sections if s["kind"] == "duties" for item in s["items"]],
        "requirements": [item for s in sections if s["kind"] == "requirements" for item in s["items"]],
        "warnings": [_read_warning()] + reader.warnings,
    }


class _Reader:
    def __init__(self, lines: list[str], at: int, labels: _Labels):
        self.lines, self.at, self.labels = lines, at, labels
        self.content = empty_content()
        self.fields: dict[str, str] = {}
        self.warnings: list[str] = []
        self.competency_rows: list[str] = []  # the table rows as the document shows them (``parse_answer``)
        self.kpi_rows: list[str] = []
        # what the editor offers (the library's entries in use), by code: the first code wins a repeated name
        self.kpi_library = sorted(library.kpi_choices(), key=lambda kpi: kpi.code)
        self.competency_library = sorted(library.competency_choices(), key=lambda competency: competency.code)

    # ---- the cursor ----------------------------------------------------------------------------
    def peek(self) -> str | None:
        return self.lines[self.at] if self.at < len(self.lines) else None

    def take(self) -> str:
        line = self.lines[self.at]
        self.at += 1
        return line

    def rows(self, header: list[str]) -> list[list[str]]:
        """The rows of a table under its header row (which must come next)."""
        if self.peek() is None or _cells(self.peek()) != header:
            raise NotOurs
        self.take()
        rows = []
        while self.peek() is not None and "\t" in self.peek():
            cells = _cells(self.take())
            if len(cells) != len(header):
                raise NotOurs
            if any(cells):
                rows.append(cells)
        return rows

    # ---- the parts -----------------------------------------------------------------------------
    def read(self) -> None:
        labels = self.labels
        while self.peek() is not None and "\t" in self.peek():
            cells = _cells(self.take())
            if len(cells) != 2 or cells[0] not in labels.fields:
                raise NotOurs
            self.fields[labels.fields[cells[0]]] = _value(cells[1])
        if "title" not in self.fields:
            raise NotOurs
        self.content["working_conditions"] = self.fields.get("working_conditions", "")
        current = None
        while self.peek() is not None and labels.part(self.peek()) is None:
            line = self.take()
            label = next((label for label in labels.texts if line.startswith(label)), None)
            if label:
                current = labels.texts[label]
                self.content[current] = _value(line[len(label) :].strip())
            elif current:
                self.content[current] += ("\n" if self.content[current] else "") + line
            else:
                raise NotOurs
        while self.peek() is not None:
            part = labels.part(self.take())
            if part == "signatures":
                return
            if part is None or part == "basic":
                raise NotOurs
            {
                "duties": self.duties,
                "competencies": self.competencies,
                "requirements": self.requirements,
                "kpis": self.kpis,
            }[part]()

    def duties(self) -> None:
        labels, section = self.labels, None
        while self.peek() is not None and labels.part(self.peek()) is None:
            line = self.take()
            item = labels.item(line)
            if item:
                if section is None:
                    section = {"id": None, "heading": "", "duties": []}
                    self.content["sections"].append(section)
                section["duties"].append(
                    {"id": None, "text": item[1], "frequency": None, "standard": "", "weight": None}
                )
            elif line == labels.details_caption and section is not None:
                self.details(section)
            elif (heading := labels.subheading(line)) is not None:
                section = {"id": None, "heading": heading, "duties": []}
                self.content["sections"].append(section)
            else:
                raise NotOurs

    def details(self, section: dict) -> None:
        for row in self.rows(self.labels.details_header):
            try:
                duty = section["duties"][int(row[0]) - 1] if int(row[0]) >= 1 else None
            except (ValueError, IndexError):
                duty = None
            if duty is None:
                self.not_understood(row[0], row)
                continue
            frequency = _value(row[1])
            if frequency:
                duty["frequency"] = self.labels.frequencies.get(frequency)
                if duty["frequency"] is None:
                    from app.jobs.text_to_content import guess_frequency

                    duty["frequency"] = guess_frequency(frequency)
                    if duty["frequency"] is None:
                        self.not_understood(row[1], row)
            duty["standard"] = _value(row[2])
            try:
                duty["weight"] = _number(row[3])  # a Decimal: every digit as written
            except ValueError:
                self.not_understood(row[3], row)

    def competencies(self) -> None:
        for name, level_text, _meaning in self.rows(self.labels.competency_header):
            competency = self.match(self.competency_library, name)
            match = re.search(r"([0-9]+)\s*/\s*[0-9]+", level_text) or re.fullmatch(r"\s*([0-9]+)\s*", level_text)
            level = int(match.group(1)) if match else level_text.count("★") or None
            if competency is None:
                self.warnings.append(
                    _("“%(name)s” is not in the library of competencies and KPIs: it was left out.", name=name)
                )
            elif level is None or not 1 <= level <= 5:
                self.not_understood(level_text, [name, level_text])
            else:
                self.content["competencies"].append({"id": None, "competency_id": competency.id, "level": level})
                self.competency_rows.append(_row_text([name, level_text]))

    def requirements(self) -> None:
        labels, group = self.labels, None
        while self.peek() is not None and labels.part(self.peek()) is None:
            line = self.take()
            item = labels.item(line)
            heading = labels.subheading(line)
            if item and group:
                self.content["requirements"].append(
                    {"id": None, "kind": group[0], "text": item[1], "required": group[1]}
                )
            elif heading is not None and heading in labels.groups:
                group = labels.groups[heading]
            else:
                raise NotOurs

    def kpis(self) -> None:
        if self.peek() == DASH:
            self.take()
            return
        for row in self.rows(self.labels.kpi_header):
            name_note, unit = row[0], row[1]
            kpi, note = self.match_kpi(name_note, unit)
            if kpi is None:
                self.warnings.append(
                    _("“%(name)s” is not in the library of competencies and KPIs: it was left out.", name=name_note)
                )
                continue
            values = {}
            for key, cell in zip(("target", "threshold", "stretch", "weight"), row[2:6]):
                try:
                    values[key] = _number(cell)
                except ValueError:
                    self.not_understood(cell, row)
                    values[key] = None
            period = self.labels.periods.get(row[6])
            if period is None:
                self.not_understood(row[6], row)
            self.content["kpis"].append({"id": None, "kpi_id": kpi.id, **values, "period": period, "note": note})
            self.kpi_rows.append(_row_text(row))

    # ---- helpers -------------------------------------------------------------------------------
    def not_understood(self, cell: str, row: list[str]) -> None:
        self.warnings.append(
            _(
                "“%(text)s” in the table row “%(row)s” was not understood: check the draft.",
                text=cell,
                row=" | ".join(row),
            )
        )

    @staticmethod
    def match(library: list, text: str):
        """The library entry of that name or code (the first by code when names repeat)."""
        key = simplified(text).casefold()
        return next((entry for entry in library if entry.code.casefold() == key), None) or next(
            (entry for entry in library if simplified(entry.name).casefold() == key), None
        )

    def match_kpi(self, text: str, unit: str):
        """(KPI, note) of a KPI table's first cell: "销售额" or "销售额（note）" / "Sales (note)"."""
        candidates = [
            (kpi, "") for kpi in self.kpi_library if simplified(kpi.name) == simplified(text) or kpi.code == text
        ]
        if not candidates:
            for kpi in self.kpi_library:
                rest = text[len(kpi.name) :] if simplified(text).startswith(simplified(kpi.name)) else None
                match = re.fullmatch(r"\s*[（(](.*)[）)]", rest or "")
                if match:
                    candidates.append((kpi, match.group(1).strip()))
        candidates.sort(key=lambda pair: (_value(unit) != (pair[0].unit or ""), -len(pair[0].name)))
        return candidates[0] if candidates else (None, "")

    def parser_fields(self) -> dict:
        """The header fields as the parser names them (compared with the position on the page)."""
        fields = {"purpose": self.content["purpose"] or None}
        if self.fields.get("department"):
            fields["department"] = self.fields["department"]
        if self.fields.get("superior"):
            fields["reports_to"] = self.fields["superior"]
        if "subordinates" in self.fields:
            fields["direct_reports"] = [s for s in self.fields["subordinates"].split(self.labels.separator) if s]
        digits = re.search(r"[0-9]+", self.fields.get("headcount", ""))
        if digits:
            fields["headcount"] = int(digits.group())
        return {key: value for key, value in fields.items() if value is not None}
