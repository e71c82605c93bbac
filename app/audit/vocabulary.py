"""The audit trail in the reader's words: record types, fields and actions in the user's
language, values formatted (dates in the company's time zone, states by their labels, numbers
grouped, ids replaced by names), every actor named, and a link to each record that still exists.

The trail stores table and column names (they outlive any translation); this module turns a page
of events into what HR reads. It looks rows up through the tables of the shared metadata, a few
queries per page whatever its size (one per kind of record shown or named), and takes the labels
of the domains' states and events from what each domain registers here (``register_value_labels``,
``register_event_labels``, called by the domains' pages), so that the audit package depends on no
domain.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import format_date, format_datetime, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.core.formatting import number
from app.extensions import db

RECORD_TYPES = {
    "users": _l("User account"),
    "api_tokens": _l("API token"),
    "notification_preferences": _l("Notification preference"),
    "outbox_mails": _l("Mail"),
    "departments": _l("Department"),
    "department_functions": _l("Department function"),
    "department_collaborations": _l("Collaboration"),
    "positions": _l("Position"),
    "employees": _l("Employee"),
    "assignments": _l("Assignment"),
    "jd_versions": _l("Job description"),
    "jd_duty_sections": _l("Duty section"),
    "jd_duties": _l("Duty"),
    "jd_duty_functions": _l("Function a duty serves"),
    "jd_requirements": _l("Requirement"),
    "jd_kpi_targets": _l("KPI target"),
    "jd_competencies": _l("Required competency"),
    "jd_lint_waivers": _l("Check waived"),
    "jd_version_events": _l("Job description history"),
    "jd_acknowledgements": _l("Acknowledgement"),
    "jd_templates": _l("Base job description"),
    "kpis": _l("KPI"),
    "competencies": _l("Competency"),
    "appraisal_templates": _l("Appraisal template"),
    "appraisal_cycles": _l("Appraisal cycle"),
    "appraisal_reviews": _l("Appraisal"),
    "appraisal_kpi_results": _l("KPI result"),
    "appraisal_competency_ratings": _l("Competency rating"),
    "appraisal_review_events": _l("Appraisal history"),
    "appraisal_feedback_nominations": _l("Feedback respondent"),
    "appraisal_feedback_responses": _l("Feedback answer"),
    "appraisal_goals": _l("Goal"),
    "appraisal_key_results": _l("Key result"),
    "appraisal_goal_check_ins": _l("Check-in"),
    "target_plans": _l("Target plan"),
    "target_lines": _l("KPI of a target plan"),
    "target_shares": _l("Target handed down"),
    "target_actuals": _l("Monthly actual"),
    "database": _l("Database"),
    "organisation": _l("Organisation"),
}

ACTIONS = {
    "create": _l("Added"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "password_change": _l("Changed password"),
    "import": _l("Imported"),
    "backup": _l("Backup"),
    "restore": _l("Restored"),
    "launch": _l("Launched"),
    "recompute": _l("Scores recomputed"),
    "bulk": _l("Bulk action"),
    "export": _l("Exported"),
    "send_again": _l("Sent again"),
}

# Field names, by column; a few columns mean something else in one kind of record.
FIELDS = {
    "id": _l("Id"),
    "code": _l("Code"),
    "name": lazy_pgettext("thing", "Name"),
    "title": _l("Title"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "active": _l("Active"),
    "locale": _l("Language"),
    "must_change_password": _l("Must change password"),
    "password_changed_at": _l("Password changed"),
    "created_at": _l("Created"),
    "updated_at": _l("Last saved"),
    "archived_at": _l("Archived"),
    "revoked_at": _l("Revoked"),
    "prefix": _l("Token prefix"),
    "user_id": _l("User account"),
    "parent_id": _l("Parent department"),
    "path": _l("Place in the tree"),
    "depth": _l("Level"),
    "nature": _l("Nature"),
    "service_object": _l("Serves"),
    "authority": _l("Authority"),
    "management_functions": _l("Management functions"),
    "evaluation_criteria": _l("Evaluation criteria"),
    "head_position_id": _l("Head position"),
    "functions": _l("Functions"),
    "collaborations": _l("Collaborations"),
    "department_id": _l("Department"),
    "position": _l("Order"),
    "text": _l("Text"),
    "partner_id": _l("Partner department"),
    "partner_name": _l("Partner"),
    "duty": _l("Duty"),
    "grade": _l("Grade"),
    "headcount": _l("Headcount"),
    "reports_to_id": _l("Reports to"),
    "purpose": _l("Purpose"),
    "management_responsibility": _l("Management responsibility"),
    "working_conditions": _l("Working conditions"),
    "acting_position_id": _l("Acting for"),
    "acting_note": _l("Acting note"),
    "dotted_superior_ids": _l("Dotted-line superiors"),
    "employee_no": _l("Employee number"),
    "hire_date": _l("Hire date"),
    "status": _l("Status"),
    "employee_id": _l("Employee"),
    "position_id": _l("Position"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "is_primary": _l("Primary"),
    "number": _l("Version"),
    "effective_date": _l("Effective date"),
    "review_comment": _l("Review comment"),
    "content_hash": _l("Content fingerprint"),
    "based_on_id": _l("Based on"),
    "created_by_id": _l("Created by"),
    "submitted_by_id": _l("Submitted by"),
    "approved_by_id": _l("Approved by"),
    "published_by_id": _l("Published by"),
    "updated_by_id": _l("Last saved by"),
    "submitted_at": _l("Submitted"),
    "approved_at": _l("Approved"),
    "published_at": _l("Published"),
    "version_id": _l("Job description"),
    "heading": _l("Heading"),
    "section_id": _l("Duty section"),
    "frequency": _l("Frequency"),
    "standard": _l("Standard"),
    "weight": _l("Weight"),
    "kind": _l("Kind"),
    "required": _l("Required"),
    "kpi_id": _l("KPI"),
    "target": _l("Target"),
    "threshold": _l("Threshold"),
    "stretch": _l("Stretch"),
    "period": _l("Period"),
    "note": _l("Note"),
    "kpi_code": _l("KPI code"),
    "kpi_name": _l("KPI"),
    "kpi_unit": _l("Unit"),
    "kpi_direction": _l("Direction"),
    "competency_id": _l("Competency"),
    "level": _l("Level"),
    "competency_code": _l("Competency code"),
    "competency_name": _l("Competency"),
    "competency_description": _l("Description"),
    "level_description": _l("Level description"),
    "finding_key": _l("Check"),
    "reason": _l("Reason"),
    "at": _l("When"),
    "action": _l("Action"),
    "comment": _l("Comment"),
    "actor_id": _l("By"),
    "actor_label": _l("By"),
    "acknowledged_at": _l("Acknowledged"),
    "source": _l("Source"),
    "content": _l("Content"),
    "unit": _l("Unit"),
    "direction": _l("Direction"),
    "definition": _l("Definition"),
    "records": _l("Records"),
    "count": _l("Count"),
    "measurement": _l("Measurement"),
    "description": _l("Description"),
    "levels": _l("Levels"),
    "kpi_weight": _l("KPI weight %"),
    "competency_weight": _l("Competency weight %"),
    "scale": _l("Rating scale"),
    "bands": _l("Bands"),
    "outcomes": _l("Outcomes"),
    "period_type": _l("Period type"),
    "self_review_due": _l("Self-review due"),
    "manager_review_due": _l("Manager review due"),
    "include_subdepartments": _l("Include sub-departments"),
    "template_id": _l("Appraisal template"),
    "settings": _l("Settings"),
    "launched_at": _l("Launched"),
    "closed_at": _l("Closed"),
    "cycle_id": _l("Appraisal cycle"),
    "reviewer_id": _l("Reviewer"),
    "jd_version_id": _l("Job description"),
    "notes": _l("Notes"),
    "self_comment": _l("Self-review comment"),
    "manager_comment": _l("Manager's comment"),
    "employee_comment": _l("Employee's comment"),
    "outcome": _l("Outcome"),
    "kpi_score": _l("KPI score"),
    "competency_score": _l("Competency score"),
    "final_score": _l("Final score"),
    "band": _l("Band"),
    "calibrated_band": _l("Calibrated band"),
    "calibration_reason": _l("Calibration reason"),
    "self_submitted_at": _l("Self-review submitted"),
    "manager_submitted_at": _l("Manager review submitted"),
    "finalised_at": _l("Finalised"),
    "review_id": _l("Appraisal"),
    "self_actual": _l("Actual (self-review)"),
    "actual": _l("Actual"),
    "attainment": _l("Attainment"),
    "required_level": _l("Required level"),
    "self_rating": _l("Self rating"),
    "manager_rating": _l("Manager rating"),
    "reviews_created": _l("Reviews created"),
    "actuals": _l("Actuals"),
    "reviews": _l("Reviews"),
    "file": _l("File"),
    "created": _l("Created"),
    "updated": _l("Changed"),
    "self_review_state": _l("Self-review"),
    "excluded_at": _l("Excluded"),
    "exclusion_reason": _l("Reason for exclusion"),
    "exclusion_comment": _l("Comment on the exclusion"),
    "unscored_reason": _l("Reason for finalising without a score"),
    "self_review": _l("Self-review"),
    "reviewer_enters_self_review": _l("Reviewer may enter a paper self-review"),
    "per_page": _l("Rows per page"),
    "worker": _l("Process"),
    # 360° feedback (issue 18)
    "feedback": _l("360° feedback"),
    "feedback_score": _l("Feedback score"),
    "respondent_id": _l("Respondent"),
    "relation": _l("Relation"),
    "nominated_by": _l("Nominated by"),
    "responded_at": _l("Answered"),
    "feedback_nominations_approved": _l("Feedback respondents approved"),
    "feedback_lists_approved": _l("Feedback lists approved"),
    "feedback_lists_left": _l("Feedback lists left"),
    "goals": _l("Individual goals"),
    "goals_score": _l("Goals score"),
    "goals_agreed_at": _l("Goals agreed"),
    "key_results": _l("Key results"),
    "check_ins": _l("Check-ins"),
}
FIELDS_OF = {
    # target plans (app/targets): the figures of a line or a share are the fiscal year's periods
    ("target_plans", "fiscal_year"): _l("Fiscal year"),
    ("target_plans", "start_month"): _l("First month of the fiscal year"),
    ("target_plans", "revision"): _l("Revision"),
    ("target_plans", "change_note"): _l("Why the plan is revised"),
    ("target_plans", "previous_id"): _l("Previous revision"),
    ("target_plans", "approved_at"): _l("Approved"),
    ("target_plans", "locked_at"): _l("Locked"),
    ("target_plans", "lines"): _l("KPIs"),
    ("target_plans", "shares"): _l("Targets handed down"),
    ("target_lines", "plan_id"): _l("Target plan"),
    ("target_lines", "rule"): _l("How the parts combine"),
    ("target_lines", "base_kpi_id"): _l("Weighted by (rates)"),
    ("target_lines", "split"): _l("Split over the months"),
    ("target_lines", "percents"): _l("Percentages of the months"),
    ("target_shares", "plan_id"): _l("Target plan"),
    ("target_shares", "line_id"): _l("KPI of a target plan"),
    ("target_shares", "parent_department_id"): _l("Handed down from"),
    ("target_shares", "department_id"): _l("Receiving department"),
    ("target_shares", "position_id"): _l("Receiving position"),
    ("target_actuals", "plan_id"): _l("Target plan"),
    ("target_actuals", "month"): _l("Month"),
    ("target_actuals", "value"): _l("Actual"),
    **{
        (table, period): label
        for table in ("target_lines", "target_shares")
        for period, label in (
            ("y", _l("Year")),
            *((f"q{i}", _l("Quarter %(num)d of the fiscal year", num=i)) for i in range(1, 5)),
            *((f"m{i}", _l("Month %(num)d of the fiscal year", num=i)) for i in range(1, 13)),
        )
    },
    ("users", "name"): _l("Name"),
    ("employees", "name"): _l("Name"),  # a person's name
    ("jd_versions", "title"): _l("Position title"),
    ("notification_preferences", "email"): _l("By e-mail"),
    ("notification_preferences", "kind"): _l("Kind of notification"),
    ("outbox_mails", "to_address"): _l("To"),
    ("department_functions", "title"): _l("Short title"),
    ("jd_duty_functions", "function_id"): _l("Department function"),
    ("jd_duty_functions", "function_label"): _l("Department function"),
    ("jd_duty_functions", "duty_id"): _l("Duty"),
}

# Columns that hold the id of another record: the table it is in.
REFERENCES = {
    "user_id": "users",
    "actor_id": "users",
    "created_by_id": "users",
    "submitted_by_id": "users",
    "approved_by_id": "users",
    "published_by_id": "users",
    "updated_by_id": "users",
    "parent_id": "departments",
    "partner_id": "departments",
    "department_id": "departments",
    "head_position_id": "positions",
    "reports_to_id": "positions",
    "acting_position_id": "positions",
    "position_id": "positions",
    "employee_id": "employees",
    "reviewer_id": "employees",
    "based_on_id": "jd_versions",
    "version_id": "jd_versions",
    "jd_version_id": "jd_versions",
    "section_id": "jd_duty_sections",
    "duty_id": "jd_duties",
    "function_id": "department_functions",
    "kpi_id": "kpis",
    "base_kpi_id": "kpis",
    "parent_department_id": "departments",
    "competency_id": "competencies",
    "template_id": "appraisal_templates",
    "cycle_id": "appraisal_cycles",
    "review_id": "appraisal_reviews",
}
REFERENCE_LISTS = {"dotted_superior_ids": "positions"}

# The page of each kind of record (endpoint, argument); child rows link to their parent's page.
PAGES = {
    "users": ("auth.user_detail", "user_id"),
    "departments": ("org.department_detail", "department_id"),
    "positions": ("org.position_detail", "position_id"),
    "employees": ("org.employee_detail", "employee_id"),
    "jd_versions": ("jobs.version", "version_id"),
    "jd_templates": ("jobs.template", "template_id"),
    "kpis": ("jobs.kpi_form", "kpi_id"),
    "competencies": ("jobs.competency_form", "competency_id"),
    "appraisal_templates": ("appraisals.template_form", "template_id"),
    "appraisal_cycles": ("appraisals.cycle", "cycle_id"),
    "appraisal_reviews": ("appraisals.review", "review_id"),
    "target_plans": ("targets.plan", "plan_id"),
}
PARENTS = {
    "api_tokens": "user_id",
    "notification_preferences": "user_id",
    "department_functions": "department_id",
    "department_collaborations": "department_id",
    "assignments": "employee_id",
    "jd_duty_sections": "version_id",
    "jd_requirements": "version_id",
    "jd_kpi_targets": "version_id",
    "jd_competencies": "version_id",
    "jd_lint_waivers": "version_id",
    "jd_version_events": "version_id",
    "jd_acknowledgements": "version_id",
    "appraisal_kpi_results": "review_id",
    "appraisal_competency_ratings": "review_id",
    "appraisal_review_events": "review_id",
}
# The columns a record's name is made of, where it is not simply its own name.
NAMED_BY = {
    "appraisal_reviews": ("employee_id", "cycle_id"),
    "assignments": ("employee_id", "position_id"),
    "jd_acknowledgements": ("employee_id", "version_id"),
    "jd_kpi_targets": ("kpi_name",),
    "jd_competencies": ("competency_name",),
    "appraisal_kpi_results": ("review_id", "name"),
    "appraisal_competency_ratings": ("review_id", "name"),
    "api_tokens": ("user_id", "name"),
}
HIDDEN = frozenset({"id", "content_hash", "path", "depth"})  # bookkeeping, not what anyone changed
LONG_TEXT = 160  # longer values are cut on the page (the whole text is in the cell's title)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SYSTEM_ACTORS = {
    "system": _l("System"),
    "cli": _l("Command line"),
    "demo": _l("Demo data"),
    "anonymous": _l("Not logged in"),
    "anonymous respondent": _l("Anonymous respondent"),
}


def record_type(entity: str) -> str:
    return str(RECORD_TYPES.get(entity, entity.replace("_", " ")))


def action_label(action: str) -> str:
    return str(ACTIONS[action]) if action in ACTIONS else action.replace("_", " ")


def field_label(entity: str, column: str) -> str:
    if " · " in column:  # a name made of codes and a period ("EC-SELL · SALES · 2026-01"): as recorded
        return column
    label = FIELDS_OF.get((entity, column)) or FIELDS.get(column)
    return str(label) if label is not None else column.replace("_", " ").capitalize()


_VALUE_LABELS: dict[tuple[str | None, str], Callable[[], dict]] = {}
_EVENT_LABELS: dict[str, Callable[[str], str]] = {}


def register_value_labels(sources: dict[tuple[str | None, str], Callable[[], dict]]) -> None:
    """A domain names the stored values of its columns: {(record type, or None for a column of
    that name anywhere, column): function returning {stored value: label}}, called when a page is
    drawn (so that labels are in the reader's language)."""
    _VALUE_LABELS.update(sources)


def register_field_labels(labels: dict[tuple[str, str], object]) -> None:
    """A domain names its columns, {(record type, column): label}, for those the trail has no
    word of its own for (a field added to a domain's declaration gets its label here)."""
    for (entity, column), label in labels.items():
        if column not in FIELDS:
            FIELDS_OF.setdefault((entity, column), label)


def register_event_labels(labels: dict[str, Callable[[str], str]]) -> None:
    """A domain names the actions of its event tables: {event table: function(action) -> label}."""
    _EVENT_LABELS.update(labels)


def enum_labels(enum) -> Callable[[], dict]:
    """For ``register_value_labels``: the labels of an enum's members, read when called."""
    return lambda: {member.value: member.label for member in enum}


def _value_labels() -> dict:
    """{(record type or None, column): {stored value: label}}: the accounts' roles and languages,
    and what the domains registered."""
    from flask import current_app

    from app.auth.models import Role

    labels = {key: source() for key, source in _VALUE_LABELS.items()}
    labels[(None, "role")] = enum_labels(Role)()
    labels[(None, "locale")] = dict(current_app.config["LANGUAGES"])
    return labels


def _event_actions() -> dict:
    return _EVENT_LABELS


@dataclass
class Change:
    field: str
    before: str
    after: str
    before_full: str = ""
    after_full: str = ""


@dataclass
class Shown:
    """One event as the page shows it."""

    event: object
    when: datetime
    actor: str
    actor_note: str
    action: str
    record_type: str
    record: str
    link: str | None
    changes: list[Change] = field(default_factory=list)


class _Names:
    """Names of the records a page refers to, looked up once per table."""

    def __init__(self):
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.rows: dict[str, dict[int, dict]] = {}

    def want(self, table: str, value) -> None:
        ident = _as_id(value)
        if ident is not None:
            self.wanted[table].add(ident)

    def load(self) -> None:
        """Fetch what was asked for, then what those rows' own names need (reviews name an
        employee and a cycle, accounts the employee who holds them)."""
        for _round in range(3):
            pending = {t: ids - set(self.rows.get(t, {})) for t, ids in self.wanted.items()}
            pending = {t: ids for t, ids in pending.items() if ids and t in db.metadata.tables}
            if not pending:
                return
            for table_name, ids in pending.items():
                table = db.metadata.tables[table_name]
                found = {
                    row["id"]: dict(row)
                    for row in db.session.execute(select(table).where(table.c.id.in_(ids))).mappings()
                }
                self.rows.setdefault(table_name, {}).update(found)
                for row in found.values():
                    for column in NAMED_BY.get(table_name, ()):
                        if column in REFERENCES:
                            self.want(REFERENCES[column], row.get(column))
                if table_name == "users" and found:
                    employees = db.metadata.tables["employees"]
                    for user_id, name in db.session.execute(
                        select(employees.c.user_id, employees.c.name).where(employees.c.user_id.in_(list(found)))
                    ):
                        self.rows["users"][user_id]["employee_name"] = name

    def row(self, table: str, value) -> dict | None:
        return self.rows.get(table, {}).get(_as_id(value))

    def name(self, table: str, value) -> str | None:
        row = self.row(table, value)
        return None if row is None else self.describe(table, row)

    def describe(self, table: str, row: dict) -> str:
        if table == "users":
            return person_label(row)
        if table == "jd_versions":
            return f"{row['title']} v{row['number']}"
        if table == "positions":
            return f"{row['title']} ({row['code']})"
        if table == "jd_duty_sections":
            return row["heading"]
        parts = []
        for column in NAMED_BY.get(table, ()):
            if column in REFERENCES:
                parts.append(self.name(REFERENCES[column], row.get(column)) or f"#{row.get(column)}")
            elif row.get(column):
                parts.append(str(row[column]))
        if parts:
            return " · ".join(parts)
        for column in ("name", "title", "code", "employee_no", "heading", "text", "email"):
            if row.get(column):
                return str(row[column])[:80]
        return f"#{row['id']}"


def person_label(user: dict) -> str:
    """How a person is named everywhere: the name of the employee who holds the account, else
    the account's name, else its e-mail."""
    return user.get("employee_name") or user.get("name") or user.get("email") or ""


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdecimal():
        return int(value)
    return None


def _plain_value(entity: str, column: str, value, names: _Names, labels: dict) -> str:
    if value is None or value == "":
        return ""
    if column in REFERENCES and _as_id(value) is not None:
        return names.name(REFERENCES[column], value) or _("#%(id)s (deleted)", id=value)
    if column in REFERENCE_LISTS and isinstance(value, list):
        return "、".join(names.name(REFERENCE_LISTS[column], v) or f"#{v}" for v in value)
    choices = labels.get((entity, column)) or labels.get((None, column))
    if choices and isinstance(value, str) and value in choices:
        return str(choices[value])
    if column == "actor_label" and value in SYSTEM_ACTORS:
        return str(SYSTEM_ACTORS[value])
    if column == "action" and entity in _event_actions():
        return str(_event_actions()[entity](value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, list):
        return "、".join(
            _plain_value(entity, column, v, names, labels)
            if not isinstance(v, (dict, list))
            else json.dumps(v, ensure_ascii=False)
            for v in value
        )
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if _DATE.match(text):
        try:
            return format_date(date.fromisoformat(text), "medium")
        except ValueError:
            return text
    if _DATETIME.match(text):
        try:
            return format_datetime(datetime.fromisoformat(text), "short")
        except ValueError:
            return text
    return text


def _cut(text: str) -> str:
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def present(events) -> list[Shown]:
    """The events of one page as the page shows them."""
    events = list(events)
    names = _Names()
    for event in events:
        if event.actor_id:
            names.want("users", event.actor_id)
        names.want(event.entity, event.entity_id)
        for column, values in (event.changes or {}).items():
            if not isinstance(values, list) or len(values) != 2:
                continue
            for value in values:
                if column in REFERENCES:
                    names.want(REFERENCES[column], value)
                elif column in REFERENCE_LISTS and isinstance(value, list):
                    for item in value:
                        names.want(REFERENCE_LISTS[column], item)
    names.load()
    # a child row's parent, named and linked (the child's own row, or its last known values)
    for event in events:
        parent = PARENTS.get(event.entity)
        if parent:
            row = names.row(event.entity, event.entity_id) or _last_values(event)
            names.want(REFERENCES[parent], row.get(parent))
    names.load()
    labels = _value_labels()
    return [_show(event, names, labels) for event in events]


def _last_values(event) -> dict:
    return {
        column: (values[1] if values[1] is not None else values[0])
        for column, values in (event.changes or {}).items()
        if isinstance(values, list) and len(values) == 2
    }


def _show(event, names: _Names, labels: dict) -> Shown:
    actor, note = actor_name(event, names)
    row = names.row(event.entity, event.entity_id)
    record, link = event.label or "", None
    if row is not None:
        record = names.describe(event.entity, row)
    parent = PARENTS.get(event.entity)
    if parent:
        values = row or _last_values(event)
        parent_table = REFERENCES[parent]
        parent_row = names.row(parent_table, values.get(parent))
        if parent_row is not None:
            record = (
                f"{names.describe(parent_table, parent_row)} · {record}"
                if record
                else names.describe(parent_table, parent_row)
            )
            link = _link(parent_table, parent_row["id"])
    elif row is not None:
        link = _link(event.entity, row["id"])
    changes = []
    for column, values in (event.changes or {}).items():
        if column in HIDDEN or (column == "actor_label" and _changed_to(event, "actor_id")):
            continue
        if isinstance(values, list) and len(values) == 2:
            before, after = (_plain_value(event.entity, column, v, names, labels) for v in values)
        else:  # a summary figure (an import's counts, a launch's reviews)
            before, after = "", _plain_value(event.entity, column, values, names, labels)
        changes.append(Change(field_label(event.entity, column), _cut(before), _cut(after), before, after))
    return Shown(
        event=event,
        when=event.at,
        actor=actor,
        actor_note=note,
        action=action_label(event.action),
        record_type=record_type(event.entity),
        record=record,
        link=link,
        changes=changes,
    )


def actor_text(people: dict, actor_id: int | None, label: str) -> str:
    """How a history panel names who acted: the person (``people`` from
    ``app.auth.services.person_names``), else the system, the command line or the stored label."""
    if actor_id and people.get(actor_id):
        return people[actor_id]
    label = re.sub(r"\s*\(task \d+\)$", "", label or "")
    return str(SYSTEM_ACTORS[label]) if label in SYSTEM_ACTORS else (label or str(SYSTEM_ACTORS["system"]))


def _changed_to(event, column: str):
    values = (event.changes or {}).get(column)
    return values[1] if isinstance(values, list) and len(values) == 2 else None


def actor_name(event, names: _Names) -> tuple[str, str]:
    """(who, a note such as the background task) of an event: a person by their name, else the
    system, the command line or "not logged in"."""
    label = event.actor_label or ""
    note = ""
    task = re.search(r"\((task \d+)\)$", label)
    if task:
        note = _("background task %(number)s", number=task.group(1).removeprefix("task "))
    if event.actor_id:
        name = names.name("users", event.actor_id)
        if name:
            return name, note
    if task:
        return label[: task.start()].strip(), note
    if label in SYSTEM_ACTORS:
        return str(SYSTEM_ACTORS[label]), note
    return label or str(SYSTEM_ACTORS["system"]), note


def _link(table: str, ident: int) -> str | None:
    page = PAGES.get(table)
    return url_for(page[0], **{page[1]: ident}) if page else None


def actor_condition(text: str, audit_event):
    """The events of actors whose name, account name or e-mail contains ``text``."""
    users, employees = db.metadata.tables["users"], db.metadata.tables["employees"]
    matching = (
        select(users.c.id)
        .outerjoin(employees, employees.c.user_id == users.c.id)
        .where(
            or_(
                users.c.name.icontains(text, autoescape=True),
                users.c.email.icontains(text, autoescape=True),
                employees.c.name.icontains(text, autoescape=True),
            )
        )
    )
    return or_(audit_event.actor_label.icontains(text, autoescape=True), audit_event.actor_id.in_(matching))


def entity_choices(entities) -> list[tuple[str, str]]:
    return sorted(((e, record_type(e)) for e in entities), key=lambda pair: pair[1])


def action_choices(actions) -> list[tuple[str, str]]:
    return [(a, action_label(a)) for a in actions]
