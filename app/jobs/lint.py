"""The job-description linter: findings shown while drafting, each fixed or waived (with a
reason) before a version can be approved.

Rules: requirements that are likely discriminatory (age, gender, marital or family status,
ethnicity, household registration, appearance, health beyond the job's real needs; Simplified
and Traditional Chinese alike); duty or KPI
weights that are used but do not sum to 100; no KPI; duplicate duties; a duty that repeats one
of another position of the same department; empty sections; very long items; once a version is
submitted, the functions of its department that no position's duties would serve with this
version in force (coverage gaps, ``app.jobs.coverage``), when the department links duties to
its functions at all.

A finding's ``key`` depends on the rule and the text it is about, not on row ids or order, so a
waiver survives edits that leave that text alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.jobs.chinese import simplified
from app.jobs.models import Duty, DutySection, JobDescriptionVersion, Period, Status

LONG_ITEM = 300  # characters
SIMILAR = 0.9  # duplicate duties in one description
OVERLAP = 0.85  # a duty repeating another position's


@dataclass
class Finding:
    key: str
    rule: str
    severity: str  # "error" (likely unlawful) or "warning"
    message: str  # what is wrong, in the user's language
    hint: str  # how to fix it
    where: str = ""  # dotted path of the item ("requirements.2"), for the editor
    subject: str = ""  # the text it is about


def _key(rule: str, subject: str) -> str:
    return f"{rule}:{hashlib.sha1(subject.encode('utf-8')).hexdigest()[:12]}"


def normalise(text: str) -> str:
    """Text for comparisons: NFKC, case-folded, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


# --- discriminatory requirements ----------------------------------------------------------------

_DISCRIMINATION = [
    (
        "age",
        re.compile(
            r"(?:\d+\s*[-—–~～至到]\s*)?\d+\s*周?岁(?:之间|以下|以上|以内)?|年龄|年纪|\bages?\b|\baged\b"
            r"|years? old|\d+\s*[-—–~～至到]\s*\d+\s*(?:之间|以内)",
            re.I,
        ),
        lambda: _("age"),
        lambda: _("Ask for the experience or abilities the age was meant to stand for."),
    ),
    (
        "gender",
        re.compile(
            r"(?<!不)限?(?:男性|女性|男士|女士|限男|限女)|性别(?!不限)|\b(?:fe)?male\b|\bgender\b"
            r"|\b(?:man|woman|men|women) only\b",
            re.I,
        ),
        lambda: _("gender"),
        lambda: _("Remove it: the work can be done by anyone with the skills."),
    ),
    (
        "marital",
        re.compile(
            r"已婚|未婚|婚否|婚育|已育|未育|生育|\bmarried\b|\bsingle(?= only| status)|\bmarital\b|\bpregnan|\bno children\b",
            re.I,
        ),
        lambda: _("marital or family status"),
        lambda: _("Remove it: it says nothing about the ability to do the job."),
    ),
    (
        "ethnicity",
        re.compile(r"民族|汉族|\bethnic|\brace\b|\bracial\b", re.I),
        lambda: _("ethnicity"),
        lambda: _("Remove it."),
    ),
    (
        "household",
        re.compile(r"户口|户籍|本地人|本地户|\bhukou\b|household registration|\blocals? only\b", re.I),
        lambda: _("household registration (户口)"),
        lambda: _("Remove it, or state the real need (e.g. can commute to the office)."),
    ),
    (
        "appearance",
        re.compile(
            r"形象好|形象佳|五官端正|相貌|长相|身高|体重|颜值|气质佳|\bappearance\b|good[- ]looking"
            r"|\bheight\b|\battractive\b",
            re.I,
        ),
        lambda: _("appearance"),
        lambda: _("Remove it, unless the job truly needs it (then say why)."),
    ),
    (
        "health",
        re.compile(r"身体健康|健康证|无病史|乙肝|残疾|\bhealthy\b|good health|\bdisabilit", re.I),
        lambda: _("health"),
        lambda: _("State the physical demand of the work instead (e.g. “can work evening and rotating shifts”)."),
    ),
]


def _discrimination(content: dict) -> list[Finding]:
    findings = []
    items = [(f"requirements.{i}", r["text"]) for i, r in enumerate(content["requirements"])]
    if content.get("working_conditions"):
        items.append(("working_conditions", content["working_conditions"]))
    for where, text in items:
        matching = simplified(text)  # 年齡18-35歲 and 戶口 match as 年龄18-35岁 and 户口; same length
        for rule, pattern, what, hint in _DISCRIMINATION:
            match = pattern.search(matching)
            if match:
                findings.append(
                    Finding(
                        _key(f"discrimination-{rule}", normalise(text)),
                        f"discrimination-{rule}",
                        "error",
                        _(
                            "“%(text)s” is a condition on %(what)s: likely discriminatory unless the job "
                            "really requires it.",
                            text=text[match.start() : match.end()].strip(),
                            what=what(),
                        ),
                        hint(),
                        where,
                        text,
                    )
                )
    return findings


# --- weights, KPIs, structure -----------------------------------------------------------------


def _close(total: float) -> bool:
    return abs(total - 100) < 0.01


def _weights(content: dict) -> list[Finding]:
    findings = []
    duties = [d for s in content["sections"] for d in s["duties"]]
    weighted = [d["weight"] for d in duties if d.get("weight") is not None]
    if weighted and not _close(sum(weighted)):
        findings.append(
            Finding(
                _key("duty-weights", f"{sum(weighted):.2f}"),
                "duty-weights",
                "warning",
                _("Duty weights add up to %(total)s%%, not 100%%.", total=f"{sum(weighted):g}"),
                _("Adjust the weights, or clear them all if the duties are not weighted."),
                "sections",
            )
        )
    for period in Period:
        weights = [t["weight"] or 0 for t in content["kpis"] if t["period"] == period.value]
        if weights and not _close(sum(weights)):
            findings.append(
                Finding(
                    _key("kpi-weights", f"{period.value}:{sum(weights):.2f}"),
                    "kpi-weights",
                    "warning",
                    _(
                        "%(period)s KPI weights add up to %(total)s%%, not 100%%.",
                        period=period.label,
                        total=f"{sum(weights):g}",
                    ),
                    _(
                        "The weights of the targets of one period are what an appraisal of that period scores: "
                        "make them add up to 100."
                    ),
                    "kpis",
                )
            )
    if not content["kpis"]:
        findings.append(
            Finding(
                _key("no-kpi", ""),
                "no-kpi",
                "warning",
                _("The position has no KPI target."),
                _("Add at least one KPI, so the position can be appraised on results."),
                "kpis",
            )
        )
    return findings


def _structure(content: dict) -> list[Finding]:
    findings = []
    if not any(s["duties"] for s in content["sections"]):
        findings.append(
            Finding(
                _key("no-duties", ""),
                "no-duties",
                "error",
                _("There are no duties."),
                _("List what the holder of the position does."),
                "sections",
            )
        )
    for i, section in enumerate(content["sections"]):
        if not section["duties"]:
            findings.append(
                Finding(
                    _key("empty-section", normalise(section["heading"])),
                    "empty-section",
                    "warning",
                    _("The section “%(heading)s” has no duties.", heading=section["heading"]),
                    _("Add its duties or remove the section."),
                    f"sections.{i}",
                    section["heading"],
                )
            )
    if not content["requirements"]:
        findings.append(
            Finding(
                _key("no-requirements", ""),
                "no-requirements",
                "warning",
                _("There are no requirements."),
                _("Add the education, experience and skills the position needs."),
                "requirements",
            )
        )
    items = [
        (f"sections.{i}.duties.{j}", d["text"])
        for i, s in enumerate(content["sections"])
        for j, d in enumerate(s["duties"])
    ]
    items += [(f"requirements.{i}", r["text"]) for i, r in enumerate(content["requirements"])]
    for where, text in items:
        if len(text) > LONG_ITEM:
            findings.append(
                Finding(
                    _key("long-item", normalise(text)),
                    "long-item",
                    "warning",
                    _("An item is %(num)d characters long.", num=len(text)),
                    _("Split it into shorter items of one task or requirement each."),
                    where,
                    text,
                )
            )
    return findings


def _similar(a: str, b: str, limit: float) -> bool:
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= limit and matcher.quick_ratio() >= limit and matcher.ratio() >= limit


def _duplicates(content: dict) -> list[Finding]:
    findings = []
    duties = [
        (f"sections.{i}.duties.{j}", d["text"], normalise(d["text"]))
        for i, s in enumerate(content["sections"])
        for j, d in enumerate(s["duties"])
    ]
    for n, (where, text, norm) in enumerate(duties):
        for _where, _text, earlier in duties[:n]:
            if norm and _similar(norm, earlier, SIMILAR):
                findings.append(
                    Finding(
                        _key("duplicate-duty", norm),
                        "duplicate-duty",
                        "warning",
                        _("This duty repeats another one: “%(text)s”.", text=text[:80]),
                        _("Merge the two duties or remove one."),
                        where,
                        text,
                    )
                )
                break
    return findings


def _overlaps(content: dict, version: JobDescriptionVersion | None) -> list[Finding]:
    """Duties that repeat a duty of another position of the same department (its version in force)."""
    if version is None or version.position is None:
        return []
    position = version.position
    rows = db.session.execute(
        select(Duty.text, JobDescriptionVersion.title)
        .join(DutySection, DutySection.id == Duty.section_id)
        .join(JobDescriptionVersion, JobDescriptionVersion.id == DutySection.version_id)
        .where(
            JobDescriptionVersion.status == Status.PUBLISHED.value,
            JobDescriptionVersion.position_id != position.id,
            JobDescriptionVersion.position.has(department_id=position.department_id),
        )
    ).all()
    others = [(normalise(text), title, text) for text, title in rows]
    findings = []
    for i, section in enumerate(content["sections"]):
        for j, duty in enumerate(section["duties"]):
            norm = normalise(duty["text"])
            for other, title, _other_text in others:
                if norm and _similar(norm, other, OVERLAP):
                    findings.append(
                        Finding(
                            _key("overlap", norm),
                            "overlap",
                            "warning",
                            _(
                                "“%(text)s” is also a duty of %(position)s in the same department.",
                                text=duty["text"][:80],
                                position=title,
                            ),
                            _("Say who owns this work, and describe each position's part of it."),
                            f"sections.{i}.duties.{j}",
                            duty["text"],
                        )
                    )
                    break
    return findings


def _coverage_gaps(version: JobDescriptionVersion | None) -> list[Finding]:
    """The department's functions left uncovered, for a submitted version (in review or
    approved) of a department that links duties to functions."""
    if (
        version is None
        or version.position is None
        or version.status not in (Status.IN_REVIEW.value, Status.APPROVED.value)
    ):
        return []
    from app.jobs.coverage import department_matrix

    matrix = department_matrix(version.position.department, replace=version)
    if not matrix.linked:
        return []
    return [
        Finding(
            _key("coverage-gap", f"{function.id}:{normalise(function.text)}"),
            "coverage-gap",
            "warning",
            _("No position of the department serves its function “%(function)s”.", function=function.label[:80]),
            _("Link a duty to it (Duties and functions), or waive this if the gap is known."),
            "",
            function.text,
        )
        for function in matrix.gaps
    ]


def lint_content(content: dict, version: JobDescriptionVersion | None = None) -> list[Finding]:
    """Every finding of ``content`` (clean content, see ``app.jobs.content``); ``version`` gives
    the position, for the overlap rule."""
    findings = (
        _discrimination(content)
        + _weights(content)
        + _structure(content)
        + _duplicates(content)
        + _overlaps(content, version)
        + _coverage_gaps(version)
    )
    unique: dict[str, Finding] = {}
    for finding in findings:
        unique.setdefault(finding.key, finding)
    return list(unique.values())


def lint_version(version: JobDescriptionVersion) -> list[Finding]:
    from app.jobs.content import version_content

    return lint_content(version_content(version), version)


def unwaived(findings: list[Finding], version: JobDescriptionVersion) -> list[Finding]:
    waived = {w.finding_key for w in version.waivers}
    return [f for f in findings if f.key not in waived]
