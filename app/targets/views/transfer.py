"""A plan's tree as an XLSX download, and its import: a dry run that lists every problem by row
and column, then (when clean) the same file applied. The checked file waits in the instance
folder under a name only its uploader's next request knows."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import requires
from app.core.errors import ServiceError
from app.core.forms import attempt
from app.core.spreadsheets import xlsx_response
from app.targets import access, spreadsheet
from app.targets.forms import ImportForm
from app.targets.views import bp
from app.targets.views.plans import _plan_or_404

DIGEST = re.compile(r"[0-9a-f]{64}")


def held_upload(kind: str, plan_id: int, digest: str) -> Path:
    """Where a checked file of ``kind`` (a plan, actuals) waits for the user to apply it: named
    by the plan, the user and its hash, so that what is applied is what was checked."""
    folder = Path(current_app.instance_path) / "target-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kind}-{plan_id}-{current_user.id}-{digest}.bin"


def hold_upload(kind: str, plan_id: int, data: bytes) -> str:
    """Keep a clean file until it is applied; its hash (the form's ``digest``)."""
    digest = hashlib.sha256(data).hexdigest()
    held_upload(kind, plan_id, digest).write_bytes(data)
    return digest


@bp.route("/plans/<int:plan_id>/plan.xlsx")
@requires(access.can_use_plans)
def plan_xlsx(plan_id: int):
    plan = _plan_or_404(plan_id)
    return xlsx_response(
        f"{plan.department.name}-{plan.fiscal_year}-r{plan.revision}.xlsx", [spreadsheet.plan_sheet(plan)]
    )


@bp.route("/plans/<int:plan_id>/import", methods=["GET", "POST"])
@requires(access.can_use_plans)
def plan_import(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = ImportForm()
    checked, digest, status = None, None, 200
    if form.validate_on_submit():
        confirm = bool(form.confirm_over.data)
        if form.digest.data:  # apply what the dry run checked
            if not DIGEST.fullmatch(form.digest.data) or not held_upload("plan", plan.id, form.digest.data).exists():
                abort(404)
            path = held_upload("plan", plan.id, form.digest.data)
            result = attempt(lambda: _apply(plan, path.read_bytes(), confirm))
            if result.ok:
                path.unlink(missing_ok=True)
                flash(_("Imported %(num)d rows.", num=result.value), "success")
                return redirect(url_for("targets.plan", plan_id=plan.id))
            return redirect(url_for("targets.plan_import", plan_id=plan.id))
        upload = form.file.data
        data = upload.read() if upload else b""
        try:
            checked = spreadsheet.check(
                plan, spreadsheet.read_rows(data), access.may_over_allocate(current_user), confirm
            )
        except ServiceError as error:
            form.file.errors = list(form.file.errors) + error.errors.get("file", [error.message])
            status = 422
        if checked is not None and checked.clean:
            digest = hold_upload("plan", plan.id, data)
        elif checked is not None:
            status = 422
    return render_template("targets/import.html", plan=plan, form=form, checked=checked, digest=digest), status


def _apply(plan, data: bytes, confirm: bool) -> int:
    checked = spreadsheet.check(plan, spreadsheet.read_rows(data), access.may_over_allocate(current_user), confirm)
    return spreadsheet.apply(plan, checked)
