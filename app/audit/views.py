from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from app.audit import services, vocabulary
from app.auth.permissions import can_view_audit, requires
from app.core.listing import page_of

bp = Blueprint("audit", __name__, url_prefix="/audit")

TEXT_LIMIT = 254  # the longest actor label or record label the trail stores


def _filters() -> tuple[dict, dict, dict]:
    """(filters to apply, what the user typed, errors by field). A date that is not one, or an
    end before the start, is named next to its field, kept as typed, and not applied."""
    typed = {
        name: request.args.get(name, "").strip()[:TEXT_LIMIT]
        for name in ("entity", "action", "actor", "q", "since", "until")
    }
    errors, days = {}, {}
    for name in ("since", "until"):
        if typed[name]:
            try:
                days[name] = date.fromisoformat(typed[name])
            except ValueError:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
    if days.get("since") and days.get("until") and days["until"] < days["since"]:
        errors["until"] = _("The end date cannot be before the start date.")
        del days["until"]
    filters = {
        "entity": typed["entity"] or None,
        "action": typed["action"] or None,
        "actor": typed["actor"] or None,
        "entity_id": typed["q"] or None,
        "since": days.get("since"),
        "until": days.get("until"),
    }
    return filters, typed, errors


@bp.route("/")
@requires(can_view_audit)
def events():
    filters, typed, errors = _filters()
    page = page_of(services.list_events(**filters))
    return render_template(
        "audit/events.html",
        page=page,
        filters=filters,
        typed=typed,
        errors=errors,
        shown=vocabulary.present(page.items),
        entities=vocabulary.entity_choices(services.entity_names()),
        actions=vocabulary.action_choices(services.ACTIONS),
    )
