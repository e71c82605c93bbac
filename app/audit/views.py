from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from app.audit import services, vocabulary
from app.auth.permissions import can_view_audit, requires
from app.core.listing import page_of

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/")
@requires(can_view_audit)
def events():
    filters = {
        "entity": request.args.get("entity", "").strip() or None,
        "action": request.args.get("action", "").strip() or None,
        "actor": request.args.get("actor", "").strip() or None,
        "entity_id": request.args.get("q", "").strip() or None,
        "since": _date_arg("since"),
        "until": _date_arg("until"),
    }
    page = page_of(services.list_events(**filters))
    return render_template("audit/events.html", page=page, filters=filters, shown=vocabulary.present(page.items),
                           entities=vocabulary.entity_choices(services.entity_names()),
                           actions=vocabulary.action_choices(services.ACTIONS))
