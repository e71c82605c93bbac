"""Paste-to-structure: a messy pasted document becomes job-description content (unsaved) that
HR checks side by side with the source before saving it as a draft.

The parser (``app.jobs.parser``) finds the structure; this module maps it onto the content
shape of ``app.jobs.content``: the purpose, duty sections with a frequency and a deadline or
standard read from each duty's text, typed requirements marked required or preferred, the
authority text, the working conditions (工作条件 / 工作环境 / Working conditions),
the KPIs of the library that the text names (as suggestions: a target needs numbers the text
rarely has), and the header fields for comparison with the position. A job description that
RoleBook exported as a Word document is read exactly instead, tables included (``exported``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.jobs import parser
from app.jobs.chinese import simplified
from app.jobs.content import empty_content
from app.jobs.messages import translate
from app.jobs.models import Frequency, Kpi, RequirementKind

_FREQUENCIES = [  # explicit rhythms only ("年度、季度和月度的销售计划" names plans, not a rhythm)
    (Frequency.DAILY, re.compile(r"每日|每天|当日|当天|\bdaily\b|every day|each day", re.I)),
    (Frequency.WEEKLY, re.compile(r"每周|每星期|\bweekly\b|every week|each week", re.I)),
    (Frequency.MONTHLY, re.compile(r"每月|\bmonthly\b|every month|each month", re.I)),
    (Frequency.QUARTERLY, re.compile(r"每季|\bquarterly\b|every quarter", re.I)),
    (Frequency.ANNUAL, re.compile(r"每年|\bannually\b|\byearly\b|every year", re.I)),
    (Frequency.AS_NEEDED, re.compile(r"不定期|临时|突发|\bas needed\b|\bad hoc\b", re.I)),
]
_STANDARD = re.compile(
    r"(?:须|需|必须)?在?\s*\d+\s*(?:个)?(?:小时|分钟|天|日|工作日|周)(?:内|以内)"
    r"|每周[一二三四五六日天]|每月\d+\s*[日号]|\d{1,2}[:：]\d{2}(?:前|之前)?"
    r"|within \d+ (?:hours?|minutes?|days?|working days?)|by \d{1,2}(?::\d{2})?\s*(?:am|pm)?",
    re.I,
)
_REQUIREMENT_KINDS = [
    (
        RequirementKind.EDUCATION,
        re.compile(
            r"学历|本科|大专|专科|硕士|博士|中专|高中|毕业|专业|degree|bachelor|master"
            r"|diploma|graduate|education",
            re.I,
        ),
    ),
    (RequirementKind.EXPERIENCE, re.compile(r"经验|工作经历|年以上|\d+\s*年|experience|years", re.I)),
    (RequirementKind.CERTIFICATION, re.compile(r"证书|资格证|认证|certif|licen[cs]e", re.I)),
    (RequirementKind.LANGUAGE, re.compile(r"英语|外语|普通话|粤语|日语|english|mandarin|cantonese|language", re.I)),
    (
        RequirementKind.WORKING_CONDITIONS,
        re.compile(r"轮班|晚班|夜班|倒班|加班|出差|shift|night|overtime|travel", re.I),
    ),
    (
        RequirementKind.SKILLS,
        re.compile(
            r"熟练|熟悉|精通|掌握|了解|会使用|能够|能力|技能|软件|photoshop|excel|office"
            r"|proficien|familiar|skill|able to|knowledge",
            re.I,
        ),
    ),
]
_RESPONSIBILITY = re.compile(r"管理责任|management responsibilit", re.I)
_CONDITIONS = re.compile(
    r"工作条件|工作环境|working conditions|work(?:ing)? environment"
    r"|physical (?:demands|requirements)",
    re.I,
)
_PREFERRED = re.compile(r"优先|加分|更佳|为佳|preferred|a plus|is a bonus|nice to have|desirable", re.I)


def guess_frequency(text: str) -> str | None:
    text = simplified(text)
    for frequency, pattern in _FREQUENCIES:
        if pattern.search(text):
            return frequency.value
    return None


def guess_standard(text: str) -> str:
    match = _STANDARD.search(simplified(text))  # the user's own characters are kept
    return text[match.start() : match.end()].strip().lstrip("必须需須在 ")[:200] if match else ""


def guess_requirement(text: str) -> tuple[str, bool]:
    """(kind, required) of a requirement's text."""
    text = simplified(text)
    kind = next((k.value for k, pattern in _REQUIREMENT_KINDS if pattern.search(text)), RequirementKind.OTHER.value)
    return kind, not _PREFERRED.search(text)


@dataclass
class Imported:
    """The result of an import: content to check and save, and what the parser saw besides."""

    content: dict
    fields: dict
    title: str | None
    warnings: list[str] = field(default_factory=list)
    other: list[dict] = field(default_factory=list)  # sections that fit nowhere, shown to HR
    kpis: list[Kpi] = field(default_factory=list)  # KPIs of the library the text names: suggestions


def parse_error_message(error: parser.ParseError) -> str:
    """The parser's refusal (empty, too long, not text) in the user's language."""
    return translate(str(error))


def title_warning(found: str, title: str) -> str | None:
    """The warning when the document names another position than the one imported into."""
    if title and found and simplified(found) != simplified(title.strip()):
        return _(
            "The text is the job description of “%(found)s”; the draft keeps the position's "
            "title “%(title)s”. Check that you pasted the right document.",
            found=found,
            title=title,
        )
    return None


def import_text(text: str, title: str = "") -> Imported:
    """Structure pasted ``text``; raises ``parser.ParseError`` for empty or oversized text.
    ``title`` (the position's) is the draft's title; the text's own title is used only when
    there is none, and a different one is named in a warning (pasting a 客服 document into
    人事专员 must not rename the position's job description)."""
    if isinstance(text, str):
        from app.jobs.exported import read_exported  # a job description exported by RoleBook: read exactly

        exported = read_exported(text, title)
        if exported is not None:
            return exported
    result = parser.parse_job_description(text)
    found = (result["title"] or "").strip()
    content = empty_content(title or found)
    warnings = [translate(w) for w in result["warnings"]]
    mismatch = title_warning(found, title)
    if mismatch:
        warnings.insert(0, mismatch)
    kpis = _library_kpis()
    content["purpose"] = result["fields"].get("purpose") or ""
    other, authority, responsibility, kpi_lines, conditions = [], [], [], [], []
    for section in result["sections"]:
        kind, heading, items = section["kind"], section["heading"] or "", section["items"]
        if kind == "duties":
            content["sections"].append(
                {
                    "id": None,
                    "heading": heading,
                    "duties": [
                        {
                            "id": None,
                            "text": item,
                            "frequency": guess_frequency(item),
                            "standard": guess_standard(item),
                            "weight": None,
                        }
                        for item in items
                    ],
                }
            )
        elif kind == "requirements":
            for item in items:
                req_kind, required = guess_requirement(item)
                content["requirements"].append({"id": None, "kind": req_kind, "text": item, "required": required})
        elif kind == "authority":
            target = responsibility if _RESPONSIBILITY.search(heading) else authority
            target.extend(([heading] if heading and not items else []) + items)
        elif kind == "kpis":
            kpi_lines.extend(items or [heading])
        elif _CONDITIONS.search(simplified(heading)):
            conditions.extend(items)
        else:
            other.append({"heading": heading, "items": items})
    content["authority"] = "\n".join(authority)
    content["management_responsibility"] = "\n".join(responsibility)
    content["working_conditions"] = "\n".join(conditions)
    # KPIs of the library that the text names (in a KPI section, or in a duty such as "对销售额…KPI负责")
    mentioned = "\n".join(kpi_lines + [d["text"] for s in content["sections"] for d in s["duties"]])
    mentioned = simplified(mentioned)
    suggested = [kpi for kpi in kpis if kpi.name and simplified(kpi.name) in mentioned]
    if kpi_lines:
        other.append({"heading": _("Performance indicators named in the text"), "items": kpi_lines})
    return Imported(
        content=content, fields=result["fields"], title=result["title"], warnings=warnings, other=other, kpis=suggested
    )


def _library_kpis() -> list[Kpi]:
    return list(db.session.scalars(select(Kpi).where(Kpi.archived_at.is_(None)).order_by(Kpi.code)))
