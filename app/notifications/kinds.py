"""The kinds of notification: what each says (in the reader's language, from the plain values
stored with it) and the group of the account page's preferences it belongs to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.appraisals.models import Step


@dataclass(frozen=True)
class Group:
    """A line of the preferences on the account page: e-mail and app, or app only."""

    key: str
    label: object


GROUPS = {
    group.key: group
    for group in (
        Group("jd_workflow", _l("Job descriptions submitted, returned or approved")),
        Group("jd_published", _l("New job descriptions to acknowledge")),
        Group("review_steps", _l("Appraisal steps opened for me, bands changed at calibration")),
        Group("tasks", _l("Background work I started is finished (big manuals, imports)")),
        Group("reminder_due", _l("Reminders: appraisal steps due soon or overdue")),
        Group("reminder_ack", _l("Reminders: job descriptions still to acknowledge")),
        Group("reminder_drafts", _l("Reminders: job descriptions waiting for review for long")),
        Group("reminder_plans", _l("Reminders: improvement-plan check-ins due")),
    )
}


@dataclass(frozen=True)
class Kind:
    key: str
    group: str
    label: object  # the filter's name of the kind
    text: Callable[[dict], str]  # one sentence, from the stored params


def _p(params: dict, name: str) -> str:
    value = params.get(name)
    return "—" if value in (None, "") else str(value)


def _step(params: dict) -> str:
    """An appraisal step, stored as its value, named in the reader's language."""
    value = params.get("step", "")
    return Step(value).label if value in Step.order() else _p(params, "step")


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "jd_submitted",
            "jd_workflow",
            _l("Job description submitted"),
            lambda p: _(
                "%(position)s: a job description was submitted for review by %(by)s.",
                position=_p(p, "position"),
                by=_p(p, "by"),
            ),
        ),
        Kind(
            "jd_returned",
            "jd_workflow",
            _l("Job description returned"),
            lambda p: _(
                "%(position)s: the job description was returned for changes: %(comment)s",
                position=_p(p, "position"),
                comment=_p(p, "comment"),
            ),
        ),
        Kind(
            "jd_approved",
            "jd_workflow",
            _l("Job description approved"),
            lambda p: _("%(position)s: the job description was approved.", position=_p(p, "position")),
        ),
        Kind(
            "jd_published",
            "jd_published",
            _l("Job description published"),
            lambda p: _(
                "%(position)s: a new job description applies from %(day)s. Read and acknowledge it.",
                position=_p(p, "position"),
                day=_p(p, "day"),
            ),
        ),
        Kind(
            "ack_requested",
            "jd_published",
            _l("Acknowledgement requested"),
            lambda p: _("%(position)s: please read and acknowledge your job description.", position=_p(p, "position")),
        ),
        Kind(
            "review_self_review",
            "review_steps",
            _l("Self-review open"),
            lambda p: _("%(cycle)s: your self-review is open.", cycle=_p(p, "cycle")),
        ),
        Kind(
            "review_manager_review",
            "review_steps",
            _l("Review waiting for the reviewer"),
            lambda p: _(
                "%(cycle)s: the review of %(employee)s is waiting for you.",
                cycle=_p(p, "cycle"),
                employee=_p(p, "employee"),
            ),
        ),
        Kind(
            "review_finalised",
            "review_steps",
            _l("Appraisal result ready"),
            lambda p: _("%(cycle)s: your appraisal result is ready. Read and acknowledge it.", cycle=_p(p, "cycle")),
        ),
        Kind(
            "review_reminder",
            "review_steps",
            _l("Reminder from HR"),
            lambda p: _(
                "%(cycle)s: HR reminds you that the review of %(employee)s is waiting for you.",
                cycle=_p(p, "cycle"),
                employee=_p(p, "employee"),
            ),
        ),
        Kind(
            "band_calibrated",
            "review_steps",
            _l("Band changed at calibration"),
            lambda p: _(
                "%(cycle)s: HR moved the band of %(employee)s from %(old)s to %(new)s.",
                cycle=_p(p, "cycle"),
                employee=_p(p, "employee"),
                old=_p(p, "old"),
                new=_p(p, "new"),
            ),
        ),
        Kind(
            "feedback_requested",
            "review_steps",
            _l("Feedback requested"),
            lambda p: _(
                "%(cycle)s: you are asked for feedback on %(employee)s, by %(day)s.",
                cycle=_p(p, "cycle"),
                employee=_p(p, "employee"),
                day=_p(p, "day"),
            ),
        ),
        Kind(
            "task_finished",
            "tasks",
            _l("Background work finished"),
            lambda p: _("“%(title)s” is finished.", title=_p(p, "title")),
        ),
        # The daily digest's items (a digest notification lists them; see ``reminders``).
        Kind(
            "due_soon",
            "reminder_due",
            _l("Due soon"),
            lambda p: _(
                "%(cycle)s: %(step)s of %(employee)s is due on %(day)s.",
                cycle=_p(p, "cycle"),
                step=_step(p),
                employee=_p(p, "employee"),
                day=_p(p, "day"),
            ),
        ),
        Kind(
            "overdue",
            "reminder_due",
            _l("Overdue"),
            lambda p: _(
                "%(cycle)s: %(step)s of %(employee)s was due on %(day)s and is overdue.",
                cycle=_p(p, "cycle"),
                step=_step(p),
                employee=_p(p, "employee"),
                day=_p(p, "day"),
            ),
        ),
        Kind(
            "ack_outstanding",
            "reminder_ack",
            _l("Acknowledgement outstanding"),
            lambda p: _("%(position)s: your job description is still to be acknowledged.", position=_p(p, "position")),
        ),
        Kind(
            "plan_checkin_due",
            "reminder_plans",
            _l("Improvement-plan check-in due"),
            lambda p: _(
                "Improvement plan of %(employee)s: a check-in is planned on %(day)s.",
                employee=_p(p, "employee"),
                day=_p(p, "day"),
            ),
        ),
        Kind(
            "drafts_waiting",
            "reminder_drafts",
            _l("Drafts waiting for review"),
            lambda p: _(
                "%(count)s job description(s) have waited for review for more than %(days)s days.",
                count=_p(p, "count"),
                days=_p(p, "days"),
            ),
        ),
    )
}

DIGEST = "digest"  # the kind of the daily reminder: its params hold the items of the kinds above


def digest_title(params: dict) -> str:
    return _("Your reminders for %(day)s", day=_p(params, "day"))


def label(kind: str) -> str:
    if kind == DIGEST:
        return _("Daily reminder")
    found = KINDS.get(kind)
    return str(found.label) if found else kind


def text(kind: str, params: dict) -> str:
    """The notification's sentence in the current language (a digest: its title)."""
    if kind == DIGEST:
        return digest_title(params)
    found = KINDS.get(kind)
    return found.text(params or {}) if found else kind


def items(kind: str, params: dict) -> list[dict]:
    """A digest's items as ``{"text", "link"}`` (other kinds: none)."""
    if kind != DIGEST:
        return []
    return [
        {"text": text(item.get("kind", ""), item.get("params") or {}), "link": item.get("link", "")}
        for item in (params or {}).get("items", [])
    ]


def group_of(kind: str) -> str | None:
    found = KINDS.get(kind)
    return found.group if found else None


def filter_choices() -> list[tuple[str, str]]:
    """The kinds a user filters the notifications page by."""
    keys = [DIGEST] + [
        key
        for key in KINDS
        if KINDS[key].group not in ("reminder_due", "reminder_ack", "reminder_drafts", "reminder_plans")
    ]
    return [(key, label(key)) for key in keys]
