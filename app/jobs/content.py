"""The content of a job description as plain data, and its validation.

One shape serves the editor form, the API, the importer, the library of base job descriptions,
cloning, comparison, the PDF context and the appraisal snapshot::

    {"title": str, "purpose": str, "authority": str, "management_responsibility": str,
     "working_conditions": str,
     "sections": [{"id": int|None, "heading": str,
                   "duties": [{"id": int|None, "text": str, "frequency": str|None,
                               "standard": str, "weight": Decimal|None,
                               "functions": [int]}]}],
     "requirements": [{"id": int|None, "kind": str, "text": str, "required": bool}],
     "competencies": [{"id": int|None, "competency_id": int, "level": int}],
     "kpis": [{"id": int|None, "kpi_id": int, "target": Decimal, "threshold": Decimal|None,
               "stretch": Decimal|None, "weight": Decimal, "period": str, "note": str}]}

A duty's ``functions`` are the ids of the department functions it serves (``DutyFunction``, the
coverage matrix of ``app.jobs.coverage``); submitted content without the key keeps the duty's
links as they are (the editor form and the Word round trip do not show them).

Numbers are Decimals, exactly as typed (``app.core.numbers``); in stored JSON (the library of
base job descriptions) and hashes, their exact text.

``clean_content`` checks a submitted structure and returns it normalised, or raises a
ServiceError whose ``errors`` name each bad field by its dotted path ("sections.0.duties.2.weight"),
all problems at once, so the editor can show every message next to its field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import ServiceError
from app.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS, NumberError, exact, parse_number, plain
from app.extensions import db
from app.jobs.enums import HasDirection
from app.jobs.models import (
    SCALE_MAX,
    Competency,
    Direction,
    Frequency,
    JobDescriptionVersion,
    Kpi,
    Period,
    RequirementKind,
)

TEXT_FIELDS = ("purpose", "authority", "management_responsibility", "working_conditions")
MAX_TITLE = 120
MAX_HEADING = 200
MAX_ITEM = 2000
MAX_STANDARD = 200
MAX_LONG_TEXT = 20000
MAX_ITEMS = 500  # per list: a job description with more duties than this is a pasted book


def empty_content(title: str = "") -> dict:
    return {
        "title": title,
        **{name: "" for name in TEXT_FIELDS},
        "sections": [],
        "requirements": [],
        "competencies": [],
        "kpis": [],
    }


def _exact(value) -> Decimal | None:
    """A stored number as the Decimal it is (one spelling: 100000, never 100000.0000)."""
    return exact(value)


def version_content(version: JobDescriptionVersion, with_ids: bool = True) -> dict:
    """The content of ``version`` as plain data (ids included for the editor)."""

    def ident(obj):
        return obj.id if with_ids else None

    return {
        "title": version.title,
        **{name: getattr(version, name) or "" for name in TEXT_FIELDS},
        "sections": [
            {
                "id": ident(section),
                "heading": section.heading or "",
                "duties": [
                    {
                        "id": ident(duty),
                        "text": duty.text,
                        "frequency": duty.frequency,
                        "standard": duty.standard or "",
                        "weight": _exact(duty.weight),
                        "functions": function_ids(duty),
                    }
                    for duty in section.duties
                ],
            }
            for section in version.sections
        ],
        "requirements": [
            {"id": ident(r), "kind": r.kind, "text": r.text, "required": r.required} for r in version.requirements
        ],
        "competencies": [
            {"id": ident(c), "competency_id": c.competency_id, "level": c.level} for c in version.competencies
        ],
        "kpis": [
            {
                "id": ident(t),
                "kpi_id": t.kpi_id,
                "target": _exact(t.target),
                "threshold": _exact(t.threshold),
                "stretch": _exact(t.stretch),
                "weight": _exact(t.weight),
                "period": t.period,
                "note": t.note or "",
            }
            for t in version.kpi_targets
        ],
    }


def function_ids(duty) -> list[int]:
    """The ids of the department functions ``duty`` serves (those still existing), in order."""
    return [link.function_id for link in duty.function_links if link.function_id is not None]


def _function_refs(duty) -> list[dict]:
    return [{"id": link.function_id, "label": link.function_label} for link in duty.function_links]


@dataclass(frozen=True)
class KpiLabel(HasDirection):
    """A KPI as a version shows it: its own copy of the library's code, name, unit, direction."""

    code: str
    name: str
    unit: str
    direction: str


@dataclass(frozen=True)
class CompetencyLabel:
    """A competency as a version shows it: its copy of the name and of its level's description."""

    code: str
    name: str
    level: int
    description: str

    def level_text(self, level: int) -> str:
        return self.description if level == self.level else ""


def libraries_of(version: JobDescriptionVersion) -> tuple[dict, dict]:
    """({kpi id: KpiLabel}, {competency id: CompetencyLabel}) of a version's loaded targets and
    competencies, from the version's own copies (never today's library), without a query."""
    return (
        {t.kpi_id: KpiLabel(t.kpi_code, t.kpi_name, t.kpi_unit, t.kpi_direction) for t in version.kpi_targets},
        {
            c.competency_id: CompetencyLabel(c.competency_code, c.competency_name, c.level, c.level_description)
            for c in version.competencies
        },
    )


def version_document(version: JobDescriptionVersion) -> dict:
    """A version as a self-contained plain document: its content with the codes, names, units and
    level descriptions of KPIs and competencies as the version keeps them (copied from the
    libraries when the draft was saved), for the API, PDFs and appraisal snapshots. Rows keep their ids (and
    the library ids of competencies and KPIs), as in ``version_content``. Needs the content
    loaded (``services.get_version``); runs no query of its own."""
    return {
        "id": version.id,
        "position_id": version.position_id,
        "number": version.number,
        "status": version.status,
        "effective_date": version.effective_date,
        "title": version.title,
        **{name: getattr(version, name) or "" for name in TEXT_FIELDS},
        "sections": [
            {
                "id": section.id,
                "heading": section.heading or "",
                "duties": [
                    {
                        "id": d.id,
                        "text": d.text,
                        "frequency": d.frequency,
                        "standard": d.standard or "",
                        "weight": _exact(d.weight),
                        "functions": _function_refs(d),
                    }
                    for d in section.duties
                ],
            }
            for section in version.sections
        ],
        "duties": [
            {
                "id": d.id,
                "text": d.text,
                "frequency": d.frequency,
                "standard": d.standard or "",
                "weight": _exact(d.weight),
                "section": section.heading or "",
            }
            for section in version.sections
            for d in section.duties
        ],
        "requirements": [
            {"id": r.id, "kind": r.kind, "text": r.text, "required": r.required} for r in version.requirements
        ],
        "competencies": [
            {
                "id": c.id,
                "competency_id": c.competency_id,
                "code": c.competency_code,
                "name": c.competency_name,
                "level": c.level,
                "level_description": c.level_description,
            }
            for c in version.competencies
        ],
        "kpis": [
            {
                "id": t.id,
                "kpi_id": t.kpi_id,
                "code": t.kpi_code,
                "name": t.kpi_name,
                "unit": t.kpi_unit,
                "direction": t.kpi_direction,
                "target": _exact(t.target),
                "threshold": _exact(t.threshold),
                "stretch": _exact(t.stretch),
                "weight": _exact(t.weight),
                "period": t.period,
                "note": t.note or "",
            }
            for t in version.kpi_targets
        ],
    }


def without_ids(content: dict) -> dict:
    """A copy of ``content`` with every row id dropped (to copy it into another version)."""
    copy = json.loads(json.dumps(content, default=json_number))
    for section in copy.get("sections", []):
        section["id"] = None
        for duty in section.get("duties", []):
            duty["id"] = None
    for name in ("requirements", "competencies", "kpis"):
        for row in copy.get(name, []):
            row["id"] = None
    return copy


def without_links(content: dict) -> dict:
    """``content`` with the duties' links to department functions left out (a base job
    description of the library belongs to no department)."""
    for section in content.get("sections", []):
        for duty in section.get("duties", []):
            duty.pop("functions", None)
    return content


def json_number(value) -> str:
    """Numbers in stored JSON (the library's content, hashes) as their exact text ("1200000")."""
    if isinstance(value, Decimal):
        return plain(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def content_hash(content: dict) -> str:
    """A stable hash of the content (ids left out): equal content, equal hash."""
    canonical = json.dumps(without_ids(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- validation -------------------------------------------------------------------------------


class _Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            count = sum(len(v) for v in self.errors.values())
            raise ServiceError(
                _("The job description has %(num)d problem(s): see the marked fields.", num=count), self.errors
            )


def _text(value, limit: int, errors: _Errors, path: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.add(path, _("Enter text."))
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.add(path, _("At most %(num)d characters (this has %(len)d).", num=limit, len=len(value)))
    return value


def _number(
    value,
    errors: _Errors,
    path: str,
    required: bool = False,
    low=None,
    high=None,
    decimals: int = MAX_DECIMALS,
    integer_digits: int = MAX_INTEGER_DIGITS,
) -> Decimal | None:
    try:
        return parse_number(
            value, required=required, low=low, high=high, decimals=decimals, integer_digits=integer_digits
        )
    except NumberError as error:
        errors.add(path, error.message)
        return None


def _weight(value, errors: _Errors, path: str, required: bool = False) -> Decimal | None:
    """A weight in %: 0 to 100, at most two decimals (what the column keeps)."""
    return _number(value, errors, path, required=required, low=0, high=100, decimals=2, integer_digits=3)


def _id(value) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _rows(content: dict, name: str, errors: _Errors) -> list:
    rows = content.get(name) or []
    if not isinstance(rows, list):
        errors.add(name, _("Expected a list."))
        return []
    if len(rows) > MAX_ITEMS:
        errors.add(name, _("At most %(num)d items.", num=MAX_ITEMS))
        return []
    return [row if isinstance(row, dict) else {} for row in rows]


def _function_list(value, allowed, errors: _Errors, path: str) -> list[int] | None:
    """A duty's function ids: None when not given (the links stay as they are), else a list of
    ids of ``allowed`` (the functions of the position's department; None: not checked here)."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        errors.add(path, _("Expected a list of function ids."))
        return None
    ids: list[int] = []
    for item in value:
        number = _id(item) if not isinstance(item, bool) else None
        if number is None or (allowed is not None and number not in allowed):
            errors.add(path, _("Choose functions of the position's department."))
            return None
        if number not in ids:
            ids.append(number)
    return ids


def clean_content(content: dict, keep: dict | None = None, functions=None) -> dict:
    """``content`` validated and normalised (blank rows dropped, text stripped, numbers parsed),
    or a ServiceError listing every problem by its dotted path. Archived KPIs and competencies
    cannot be chosen, except those ``keep`` lists ({"kpis": ids, "competencies": ids}: what the
    version already uses, so that archiving a library entry never blocks editing a draft).
    ``functions``: the ids duties may be linked to (the department's functions)."""
    keep = keep or {}
    if not isinstance(content, dict):
        raise ServiceError(_("Expected a job description."), {"content": [_("Expected an object.")]})
    errors = _Errors()
    clean = {"title": _text(content.get("title"), MAX_TITLE, errors, "title")}
    if not clean["title"]:
        errors.add("title", _("Enter a title."))
    for name in TEXT_FIELDS:
        clean[name] = _text(content.get(name), MAX_LONG_TEXT, errors, name)

    clean["sections"] = []
    for i, section in enumerate(_rows(content, "sections", errors)):
        path = f"sections.{i}"
        heading = _text(section.get("heading"), MAX_HEADING, errors, f"{path}.heading")
        duties = []
        raw_duties = section.get("duties") or []
        if not isinstance(raw_duties, list):
            errors.add(f"{path}.duties", _("Expected a list."))
            raw_duties = []
        for j, duty in enumerate(d if isinstance(d, dict) else {} for d in raw_duties[:MAX_ITEMS]):
            dpath = f"{path}.duties.{j}"
            text = _text(duty.get("text"), MAX_ITEM, errors, f"{dpath}.text")
            frequency = duty.get("frequency") or None
            standard = _text(duty.get("standard"), MAX_STANDARD, errors, f"{dpath}.standard")
            weight = _weight(duty.get("weight"), errors, f"{dpath}.weight")
            if not text:
                if standard or weight is not None or frequency:
                    errors.add(f"{dpath}.text", _("Describe the duty, or remove the row."))
                continue  # a blank row is dropped
            if frequency is not None and frequency not in Frequency.values():
                errors.add(f"{dpath}.frequency", _("Choose a frequency from the list."))
                frequency = None
            duties.append(
                {
                    "id": _id(duty.get("id")),
                    "text": text,
                    "frequency": frequency,
                    "standard": standard,
                    "weight": weight,
                    "functions": _function_list(duty.get("functions"), functions, errors, f"{dpath}.functions"),
                }
            )
        if duties or heading:
            clean["sections"].append({"id": _id(section.get("id")), "heading": heading, "duties": duties})

    clean["requirements"] = []
    for i, row in enumerate(_rows(content, "requirements", errors)):
        path = f"requirements.{i}"
        text = _text(row.get("text"), MAX_ITEM, errors, f"{path}.text")
        if not text:
            continue
        kind = row.get("kind") or RequirementKind.OTHER.value
        if kind not in RequirementKind.values():
            errors.add(f"{path}.kind", _("Choose a type from the list."))
        required = row.get("required", True)
        if isinstance(required, str):
            required = required.strip().lower() not in ("", "0", "false", "no", "off", "preferred")
        clean["requirements"].append({"id": _id(row.get("id")), "kind": kind, "text": text, "required": bool(required)})

    clean["competencies"] = []
    rows = _rows(content, "competencies", errors)
    wanted = {_id(row.get("competency_id")) for row in rows} - {None}
    known = {c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(wanted)))} if wanted else {}
    seen: set[int] = set()
    for i, row in enumerate(rows):
        path = f"competencies.{i}"
        competency_id = _id(row.get("competency_id"))
        level = row.get("level")
        if competency_id is None and level in (None, ""):
            continue
        if competency_id not in known or (
            known[competency_id].archived_at is not None and competency_id not in keep.get("competencies", ())
        ):
            errors.add(f"{path}.competency_id", _("Choose a competency from the library."))
            continue
        if competency_id in seen:
            errors.add(f"{path}.competency_id", _("This competency is already listed."))
            continue
        seen.add(competency_id)
        level_number = _number(level, errors, f"{path}.level", required=True, low=1, high=SCALE_MAX)
        if level_number is not None and level_number != int(level_number):
            errors.add(f"{path}.level", _("Choose a whole level from 1 to %(num)d.", num=SCALE_MAX))
            level_number = None
        clean["competencies"].append(
            {"id": _id(row.get("id")), "competency_id": competency_id, "level": int(level_number or 1)}
        )

    clean["kpis"] = []
    rows = _rows(content, "kpis", errors)
    wanted = {_id(row.get("kpi_id")) for row in rows} - {None}
    kpis = {k.id: k for k in db.session.scalars(select(Kpi).where(Kpi.id.in_(wanted)))} if wanted else {}
    seen_targets: set[tuple[int, str]] = set()
    for i, row in enumerate(rows):
        path = f"kpis.{i}"
        kpi_id = _id(row.get("kpi_id"))
        if kpi_id is None and all(row.get(k) in (None, "") for k in ("target", "threshold", "stretch", "weight")):
            continue
        kpi = kpis.get(kpi_id)
        if kpi is None or (kpi.archived_at is not None and kpi_id not in keep.get("kpis", ())):
            errors.add(f"{path}.kpi_id", _("Choose a KPI from the library."))
            continue
        period = row.get("period") or Period.MONTHLY.value
        if period not in Period.values():
            errors.add(f"{path}.period", _("Choose a period from the list."))
        elif (kpi_id, period) in seen_targets:
            errors.add(f"{path}.kpi_id", _("This KPI already has a target for this period."))
        seen_targets.add((kpi_id, period))
        target = _number(row.get("target"), errors, f"{path}.target", required=True)
        threshold = _number(row.get("threshold"), errors, f"{path}.threshold")
        stretch = _number(row.get("stretch"), errors, f"{path}.stretch")
        weight = _weight(row.get("weight"), errors, f"{path}.weight", required=True)
        _check_sides(kpi, target, threshold, stretch, errors, path)
        clean["kpis"].append(
            {
                "id": _id(row.get("id")),
                "kpi_id": kpi_id,
                "target": target,
                "threshold": threshold,
                "stretch": stretch,
                "weight": weight,
                "period": period,
                "note": _text(row.get("note"), MAX_ITEM, errors, f"{path}.note"),
            }
        )
    errors.raise_if_any()
    return clean


def _check_sides(kpi: Kpi, target, threshold, stretch, errors: _Errors, path: str) -> None:
    """The threshold lies on the worse side of the target, the stretch on the better side."""
    if target is None:
        return
    higher = kpi.direction == Direction.HIGHER.value
    if threshold is not None and (threshold >= target if higher else threshold <= target):
        errors.add(
            f"{path}.threshold",
            _("For “%(kpi)s” (higher is better) the threshold must be below the target.", kpi=kpi.name)
            if higher
            else _("For “%(kpi)s” (lower is better) the threshold must be above the target.", kpi=kpi.name),
        )
    if stretch is not None and (stretch <= target if higher else stretch >= target):
        errors.add(
            f"{path}.stretch",
            _("For “%(kpi)s” (higher is better) the stretch must be above the target.", kpi=kpi.name)
            if higher
            else _("For “%(kpi)s” (lower is better) the stretch must be below the target.", kpi=kpi.name),
        )
