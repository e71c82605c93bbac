"""Bulk KPI actuals: upload a CSV or XLSX file, see every row's result (dry run), then apply a
clean file in one transaction."""

from __future__ import annotations

import json

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.appraisals import services
from app.appraisals.access import can_manage_appraisals
from app.appraisals.forms import ImportForm
from app.appraisals.services import kpi_actuals
from app.appraisals.views import bp
from app.auth.permissions import requires
from app.core.errors import ServiceError
from app.extensions import db


@bp.route("/cycles/<int:cycle_id>/import", methods=["GET", "POST"])
@requires(can_manage_appraisals)
def cycle_import(cycle_id: int):
    cycle = services.get_cycle(cycle_id)
    form = ImportForm()
    rows, status = None, 200
    if request.method == "POST" and form.validate_on_submit():
        status = 422
        try:
            if request.form.get("action") == "apply":
                try:
                    data = json.loads(form.rows.data or "[]")
                except ValueError:
                    data = None
                count = kpi_actuals.apply(cycle, kpi_actuals.deserialise(data), current_user, form.number_format.data)
                flash(_("%(num)d actual(s) imported; the scores are updated.", num=count), "success")
                return redirect(url_for("appraisals.cycle", cycle_id=cycle.id))
            upload = request.files.get("file")
            rows = kpi_actuals.check(
                cycle,
                kpi_actuals.read_rows(upload.filename if upload else "", upload.read() if upload else b""),
                current_user,
                form.number_format.data,
            )
            status = 200
        except ServiceError as error:
            db.session.rollback()
            if "file" in error.errors:
                form.file.errors = list(error.errors["file"])
            else:
                flash(error.message, "danger")
    clean = rows is not None and all(r.ok for r in rows)
    return render_template(
        "appraisals/import.html",
        cycle=cycle,
        form=form,
        rows=rows,
        clean=clean,
        payload=json.dumps(kpi_actuals.serialise(rows)) if clean else "",
    ), status
