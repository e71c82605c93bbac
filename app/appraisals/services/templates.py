"""Appraisal templates: the standard settings, their validation, and labels in the user's language.

Labels of the standard rating levels and outcomes are stored empty and shown translated, so one
template serves Chinese and English speakers alike; a label HR types is shown as typed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.appraisals.models import AppraisalTemplate
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.core.numbers import NumberError, parse_number, plain
from app.extensions import db

MAX_SCORE = 120
MAX_LEVELS = 10
MAX_BANDS = 8
MAX_OUTCOMES = 12
OUTCOME_CODE = re.compile(r"^[a-z0-9_]{1,40}$")

STANDARD_LEVELS = {
    1: (_l("Unsatisfactory"), _l("Falls clearly short of what the position requires; needs close support.")),
    2: (_l("Needs improvement"), _l("Meets some requirements; several important points need work.")),
    3: (_l("Meets expectations"), _l("Does what the position requires, reliably and to standard.")),
    4: (_l("Exceeds expectations"), _l("Often goes beyond what is required; a model for colleagues.")),
    5: (_l("Outstanding"), _l("Far beyond what is required; shapes how the team works.")),
}
STANDARD_OUTCOMES = {
    "reward": _l("Reward"),
    "promotion_candidate": _l("Promotion candidate"),
    "no_action": _l("No action"),
    "improvement_plan": _l("Improvement plan"),
    "probation_review": _l("Probation review"),
}
DEFAULT_BANDS = [{"band": "A", "min": 90}, {"band": "B", "min": 75}, {"band": "C", "min": 60}, {"band": "D", "min": 0}]
DEFAULT_NAME = "Standard"
BAND_KEYS = ("band", "min", "guide_min", "guide_max", "bonus", "salary_raise")
SELF_REVIEW_MODES = ("required", "optional", "skipped")  # app.appraisals.models.SelfReviewMode


def default_settings() -> dict:
    """The standard template: KPI 70 / competencies 30, levels 1–5, bands A ≥ 90, B ≥ 75,
    C ≥ 60, D below, and the five outcomes."""
    return {
        "name": DEFAULT_NAME,
        "kpi_weight": 70.0,
        "competency_weight": 30.0,
        "levels": 5,
        "scale": [{"level": n, "label": "", "description": ""} for n in range(1, 6)],
        "bands": [dict(b) for b in DEFAULT_BANDS],
        "outcomes": [{"code": code, "label": ""} for code in STANDARD_OUTCOMES],
        "self_review": SELF_REVIEW_MODES[0],
        "reviewer_enters_self_review": False,
        "feedback": dict(FEEDBACK_DEFAULTS),
        "goals": dict(GOALS_DEFAULTS),
    }


def level_label(level: dict) -> str:
    standard = STANDARD_LEVELS.get(level.get("level"))
    return level.get("label") or (str(standard[0]) if standard else str(level.get("level")))


def level_description(level: dict) -> str:
    standard = STANDARD_LEVELS.get(level.get("level"))
    if level.get("description"):
        return level["description"]
    return str(standard[1]) if standard and not level.get("label") else ""


def outcome_label(outcomes: list[dict] | None, code: str | None) -> str:
    if not code:
        return "—"
    for outcome in outcomes or []:
        if outcome.get("code") == code and outcome.get("label"):
            return outcome["label"]
    standard = STANDARD_OUTCOMES.get(code)
    return str(standard) if standard else code


def frozen_settings(template) -> dict:
    """What a cycle keeps of its template at launch."""
    return {
        "template": template.name,
        "kpi_weight": float(template.kpi_weight),
        "competency_weight": float(template.competency_weight),
        "scale": list(template.scale),
        "bands": list(template.bands),
        "outcomes": list(template.outcomes),
        "scale_max": template.scale_max,
        "self_review": template.self_review or SELF_REVIEW_MODES[0],
        "reviewer_enters_self_review": bool(template.reviewer_enters_self_review),
        "feedback": dict(template.feedback or {}),
        "goals": dict(template.goals or {}),
    }


def cycle_settings(cycle) -> dict:
    """The settings a cycle scores with: frozen at launch, the template's before."""
    return cycle.settings or frozen_settings(cycle.template)


# --- validation -------------------------------------------------------------------------------


def _number(value, errors: dict, path: str, low, high, decimals: int = 2) -> Decimal | None:
    """A weight (two decimals, like its column), a band's minimum score (four) or a count, read
    by the shared rule (``app.core.numbers``)."""
    try:
        return parse_number(
            value, required=True, low=low, high=high, decimals=decimals, integer_digits=3, whole=not decimals
        )
    except NumberError as error:
        errors.setdefault(path, []).append(error.message)
        return None


def bounded_text(value, limit: int, errors: dict, path: str) -> str:
    """``value`` stripped, cut to ``limit`` characters; when it was longer, an error at ``path``."""
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if len(text) > limit:
        errors.setdefault(path, []).append(
            _("At most %(num)d characters (this has %(len)d).", num=limit, len=len(text))
        )
    return text[:limit]


def _optional(value, errors: dict, path: str, low, high, decimals: int, integer_digits: int) -> str | None:
    """An optional number of a band (guideline share, bonus coefficient, salary adjustment),
    kept as the digits typed (a JSON string: exact, never a binary float)."""
    try:
        number = parse_number(value, low=low, high=high, decimals=decimals, integer_digits=integer_digits)
    except NumberError as error:
        errors.setdefault(path, []).append(error.message)
        return None
    return None if number is None else plain(number)


def _band_practice(row: dict, errors: dict, i: int) -> dict:
    """What a band means beyond its score: the guideline (the share of reviews it should hold,
    at least ``guide_min`` %, at most ``guide_max`` %) and the reward (a bonus coefficient and a
    salary adjustment in %, which the payroll export of a closed cycle carries)."""
    practice = {
        "guide_min": _optional(row.get("guide_min"), errors, f"bands.{i}.guide_min", 0, 100, 2, 3),
        "guide_max": _optional(row.get("guide_max"), errors, f"bands.{i}.guide_max", 0, 100, 2, 3),
        "bonus": _optional(row.get("bonus"), errors, f"bands.{i}.bonus", 0, 99, 4, 2),
        "salary_raise": _optional(row.get("salary_raise"), errors, f"bands.{i}.salary_raise", -100, 100, 2, 3),
    }
    low, high = practice["guide_min"], practice["guide_max"]  # digit strings
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        errors.setdefault(f"bands.{i}.guide_max", []).append(
            _("The most a band may hold cannot be below the least it must hold (%(min)s %%).", min=low)
        )
    return {key: value for key, value in practice.items() if value is not None}  # unset: not stored


def _check_guideline(bands: list[dict], errors: dict) -> None:
    """The shares of a guideline must be possible together: the least each band must hold adds
    up to at most 100 %, and when every band has a most, those add up to at least 100 %."""
    minima = [Decimal(b["guide_min"]) for b in bands if b.get("guide_min") is not None]
    if sum(minima, Decimal(0)) > 100:
        errors.setdefault("bands", []).append(
            _(
                "The guideline asks more than 100 %% of the reviews (the least shares add up to %(sum)s %%).",
                sum=plain(sum(minima, Decimal(0))),
            )
        )
    maxima = [b.get("guide_max") for b in bands]
    if bands and all(m is not None for m in maxima) and sum((Decimal(m) for m in maxima), Decimal(0)) < 100:
        errors.setdefault("bands", []).append(
            _(
                "The guideline leaves reviews nowhere (the most shares add up to %(sum)s %%, under 100 %%).",
                sum=plain(sum((Decimal(m) for m in maxima), Decimal(0))),
            )
        )


def clean_settings(data: dict) -> dict:
    """``data`` ({name, kpi_weight, competency_weight, scale, bands, outcomes}) validated and
    normalised (blank rows dropped), or a ServiceError naming every bad field by its dotted
    path (``bands.1.min``)."""
    errors: dict[str, list[str]] = {}
    name = bounded_text(data.get("name"), 120, errors, "name")
    if not name:
        errors.setdefault("name", []).append(_("Enter a name."))
    kpi_weight = _number(data.get("kpi_weight"), errors, "kpi_weight", 0, 100)
    competency_weight = _number(data.get("competency_weight"), errors, "competency_weight", 0, 100)
    feedback = clean_feedback(data.get("feedback") or {}, errors)
    goals = clean_goals(data.get("goals") or {}, errors)
    if kpi_weight is not None and competency_weight is not None and feedback is not None and goals is not None:
        sections = {"feedback": feedback, "goals": goals}
        total = (
            kpi_weight
            + competency_weight
            + Decimal(str(feedback_section_weight(sections)))
            + Decimal(str(goals_section_weight(sections)))
        )
        if total != 100:
            errors.setdefault("competency_weight", []).append(
                _(
                    "The section weights (KPI, competencies, feedback, goals) must add up to 100 (now %(sum)s).",
                    sum=plain(total),
                )
                if feedback["enabled"] or goals["enabled"]
                else _("The two section weights must add up to 100 (now %(sum)s).", sum=plain(total))
            )

    levels = _number(data.get("levels", len(data.get("scale") or [])), errors, "levels", 2, MAX_LEVELS, decimals=0)
    if levels is not None and levels != int(levels):
        errors.setdefault("levels", []).append(_("Enter a whole number."))
        levels = None
    scale = []
    rows = list(data.get("scale") or [])
    for i in range(int(levels or 0)):
        row = rows[i] if i < len(rows) and isinstance(rows[i], dict) else {}
        label = bounded_text(row.get("label"), 80, errors, f"scale.{i}.label")
        description = bounded_text(row.get("description"), 500, errors, f"scale.{i}.description")
        if not label and i + 1 not in STANDARD_LEVELS:
            errors.setdefault(f"scale.{i}.label", []).append(_("Name this level."))
        scale.append({"level": i + 1, "label": label, "description": description})

    bands, seen = [], set()
    rows = [r for r in (data.get("bands") or []) if any(str(r.get(key) or "").strip() for key in BAND_KEYS)]
    for i, row in enumerate(rows):
        band = bounded_text(row.get("band"), 10, errors, f"bands.{i}.band")
        if not band:
            errors.setdefault(f"bands.{i}.band", []).append(_("Name the band (e.g. A)."))
        elif band.upper() in seen:
            errors.setdefault(f"bands.{i}.band", []).append(_("This band is already listed."))
        seen.add(band.upper())
        last = i == len(rows) - 1
        minimum = 0.0 if last else _number(row.get("min"), errors, f"bands.{i}.min", 0, MAX_SCORE, decimals=4)
        minimum = None if minimum is None else float(minimum)  # JSON; at most 7 digits, kept exactly
        if minimum is not None and bands and bands[-1]["min"] is not None and minimum >= bands[-1]["min"]:
            errors.setdefault(f"bands.{i}.min", []).append(
                _("Each band's minimum must be below the one above it (%(min)s).", min=plain(bands[-1]["min"]))
            )
        bands.append({"band": band, "min": minimum, **_band_practice(row, errors, i)})
    if not 2 <= len(bands) <= MAX_BANDS:
        errors.setdefault("bands", []).append(_("Give from 2 to %(num)d bands.", num=MAX_BANDS))
    _check_guideline(bands, errors)

    outcomes, codes = [], set()
    for i, row in enumerate(data.get("outcomes") or []):
        code = (row.get("code") or "").strip().lower()
        label = bounded_text(row.get("label"), 80, errors, f"outcomes.{i}.label")
        if not code and not label:
            continue
        if not OUTCOME_CODE.match(code):
            errors.setdefault(f"outcomes.{i}.code", []).append(
                _("Use lower-case letters, digits and underscores (e.g. reward).")
            )
        elif code in codes:
            errors.setdefault(f"outcomes.{i}.code", []).append(_("This outcome is already listed."))
        elif not label and code not in STANDARD_OUTCOMES:
            errors.setdefault(f"outcomes.{i}.label", []).append(_("Name this outcome."))
        codes.add(code)
        outcomes.append({"code": code, "label": label})
    if not outcomes or len(outcomes) > MAX_OUTCOMES:
        errors.setdefault("outcomes", []).append(_("Give from 1 to %(num)d outcomes.", num=MAX_OUTCOMES))
    self_review = data.get("self_review") or SELF_REVIEW_MODES[0]
    if self_review not in SELF_REVIEW_MODES:
        errors.setdefault("self_review", []).append(_("Choose from the list."))
    reviewer_enters = data.get("reviewer_enters_self_review", False)
    if not isinstance(reviewer_enters, bool):
        errors.setdefault("reviewer_enters_self_review", []).append(_("Answer yes or no."))
    if errors:
        count = sum(len(v) for v in errors.values())
        raise ServiceError(_("The template has %(num)d problem(s): see the marked fields.", num=count), errors)
    return {
        "name": name,
        "kpi_weight": kpi_weight,
        "competency_weight": competency_weight,
        "scale": scale,
        "bands": bands,
        "outcomes": outcomes,
        "self_review": self_review,
        "reviewer_enters_self_review": reviewer_enters,
        "feedback": feedback,
        "goals": goals,
    }


# --- 360° feedback settings (issue 18) ---------------------------------------------------------

FEEDBACK_DEFAULTS = {
    "enabled": False,
    "anonymous": True,
    "min_respondents": 3,
    "max_respondents": 8,
    "min_responses": 3,
    "days": 14,
    "questions": [],
    "weight": 0.0,
}
MAX_RESPONDENTS = 20
MAX_QUESTIONS = 5


def feedback_section_weight(settings: dict) -> float:
    """The weight of the 360° feedback section in the final score (0 without feedback)."""
    feedback = settings.get("feedback") or {}
    return float(feedback.get("weight") or 0) if feedback.get("enabled") else 0.0


def clean_feedback(data: dict, errors: dict) -> dict | None:
    """The feedback settings validated (errors under ``feedback.<name>``); None when a number is wrong."""
    if not isinstance(data, dict):
        errors.setdefault("feedback", []).append(_("Choose from the list."))
        return None
    values = {**FEEDBACK_DEFAULTS, **data}
    clean: dict = {}
    for name in ("enabled", "anonymous"):
        if not isinstance(values[name], bool):
            errors.setdefault(f"feedback.{name}", []).append(_("Answer yes or no."))
        clean[name] = bool(values[name])
    for name, low, high in (
        ("min_respondents", 1, MAX_RESPONDENTS),
        ("max_respondents", 1, MAX_RESPONDENTS),
        ("min_responses", 1, MAX_RESPONDENTS),
        ("days", 1, 365),
    ):
        number = _number(values[name], errors, f"feedback.{name}", low, high, decimals=0)
        clean[name] = None if number is None else int(number)
    weight = _number(values["weight"], errors, "feedback.weight", 0, 100)
    clean["weight"] = None if weight is None else float(weight)
    questions = values["questions"] if isinstance(values["questions"], list) else []
    clean["questions"] = [
        q
        for q in (
            bounded_text(q if isinstance(q, str) else "", 300, errors, f"feedback.questions.{i}")
            for i, q in enumerate(questions)
        )
        if q
    ]
    if len(clean["questions"]) > MAX_QUESTIONS:
        errors.setdefault("feedback.questions", []).append(_("At most %(num)d questions.", num=MAX_QUESTIONS))
    low, high, needed = clean["min_respondents"], clean["max_respondents"], clean["min_responses"]
    if low is not None and high is not None and low > high:
        errors.setdefault("feedback.max_respondents", []).append(
            _("At least the minimum number of respondents (%(num)d).", num=low)
        )
    if needed is not None and high is not None and needed > high:
        errors.setdefault("feedback.min_responses", []).append(
            _("At most the maximum number of respondents (%(num)d).", num=high)
        )
    if clean["anonymous"] and needed is not None and needed < 2:
        errors.setdefault("feedback.min_responses", []).append(
            _("An anonymous feedback needs at least 2 responses to hide who wrote what.")
        )
    return None if None in clean.values() else clean


GOALS_DEFAULTS = {"enabled": False, "weight": 0.0}


def goals_section_weight(settings: dict) -> float:
    """The weight of the individual goals' section in the final score (0 without goals)."""
    goals = settings.get("goals") or {}
    return float(goals.get("weight") or 0) if goals.get("enabled") else 0.0


def clean_goals(data: dict, errors: dict) -> dict | None:
    """The individual goals' settings validated (errors under ``goals.<name>``)."""
    if not isinstance(data, dict):
        errors.setdefault("goals", []).append(_("Choose from the list."))
        return None
    values = {**GOALS_DEFAULTS, **data}
    if not isinstance(values["enabled"], bool):
        errors.setdefault("goals.enabled", []).append(_("Answer yes or no."))
    weight = _number(values["weight"], errors, "goals.weight", 0, 100)
    return None if weight is None else {"enabled": bool(values["enabled"]), "weight": float(weight)}


# --- templates --------------------------------------------------------------------------------


def get_template(template_id: int) -> AppraisalTemplate:
    template = db.session.get(AppraisalTemplate, template_id)
    if template is None:
        raise NotFound(_("No such appraisal template."))
    return template


def list_templates(include_archived: bool = False):
    query = select(AppraisalTemplate)
    if not include_archived:
        query = query.where(AppraisalTemplate.archived_at.is_(None))
    return query.order_by(AppraisalTemplate.name)


def default_template() -> AppraisalTemplate:
    """The first active template, or the standard one, created when there is none."""
    template = db.session.scalar(list_templates().limit(1))
    if template is None:
        template = create_template(default_settings())
    return template


def _apply_template(template: AppraisalTemplate, clean: dict) -> None:
    duplicate = db.session.scalar(
        select(AppraisalTemplate.id).where(
            AppraisalTemplate.name == clean["name"], AppraisalTemplate.id != (template.id or 0)
        )
    )
    if duplicate is not None:
        raise ServiceError.field("name", _("Another template already has this name."))
    for name in (
        "name",
        "kpi_weight",
        "competency_weight",
        "scale",
        "bands",
        "outcomes",
        "self_review",
        "reviewer_enters_self_review",
        "feedback",
        "goals",
    ):
        setattr(template, name, clean[name])


def create_template(data: dict) -> AppraisalTemplate:
    template = AppraisalTemplate()
    _apply_template(template, clean_settings(data))
    db.session.add(template)
    db.session.flush()
    return template


def update_template(template: AppraisalTemplate, data: dict, seen_version: int | None) -> None:
    """Running cycles keep the settings they were launched with: editing is always allowed."""
    check_version(template, seen_version)
    _apply_template(template, clean_settings(data))
    db.session.flush()


def template_data(template: AppraisalTemplate) -> dict:
    return {
        "name": template.name,
        "kpi_weight": float(template.kpi_weight),
        "competency_weight": float(template.competency_weight),
        "levels": len(template.scale),
        "scale": list(template.scale),
        "bands": list(template.bands),
        "outcomes": list(template.outcomes),
        "self_review": template.self_review,
        "reviewer_enters_self_review": template.reviewer_enters_self_review,
        "feedback": {**FEEDBACK_DEFAULTS, **(template.feedback or {})},
        "goals": {**GOALS_DEFAULTS, **(template.goals or {})},
    }
