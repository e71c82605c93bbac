"""The pages of the bulk mechanism (``app.core.bulk``): changing a list's selection, and the
confirmation page of an action, which runs it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField

from app.core import bulk
from app.core.errors import ServiceError
from app.core.forms import apply_errors, attempt
from app.core.urls import parse_id, safe_next
from app.extensions import db

bp = Blueprint("bulk", __name__, url_prefix="/bulk")


def _list(key: str) -> bulk.BulkList:
    bulk_list = bulk.get_list(key)
    if bulk_list is None:
        abort(404)
    if not bulk_list.permission(current_user):
        abort(403)
    return bulk_list


def _list_url(bulk_list: bulk.BulkList) -> str:
    return safe_next(request.values.get("next")) if request.values.get("next") else url_for(bulk_list.endpoint)


def _ids(values) -> list[int]:
    return [i for i in (parse_id(value) for value in values) if i]


class _Selection(FlaskForm):
    """The selection form under a list: its CSRF token."""


@bp.route("/<key>/select", methods=["POST"])
def select(key: str):
    """Add the checked rows (``op=add``), remove them (``remove``), add every row the list's
    filters match (``all``, the filters read from ``next``), or clear the selection."""
    bulk_list = _list(key)
    back = _list_url(bulk_list)
    if not _Selection().validate_on_submit():
        abort(400)
    operation = request.form.get("op", "add")
    checked = _ids(request.form.getlist("id"))
    if operation == "all":
        filters: MultiDict[str, str] = MultiDict(parse_qsl(urlsplit(back).query))
        add = list(db.session.scalars(bulk_list.matching(filters)))
        saved = attempt(lambda: bulk.change(current_user, key, add=add))
    elif operation == "clear":
        saved = attempt(lambda: bulk.change(current_user, key, clear=True))
    elif operation == "remove":
        saved = attempt(lambda: bulk.change(current_user, key, remove=checked))
    else:
        visible = list(bulk_list.names(checked))  # only records the user may see
        saved = attempt(lambda: bulk.change(current_user, key, add=visible))
    if saved.ok:
        flash(_("%(num)d selected.", num=saved.value), "info")
    return redirect(back)


@bp.route("/<key>/<action_name>", methods=["GET", "POST"])
def confirm(key: str, action_name: str):
    """The count and the records, the action's own fields, and the button that runs it."""
    bulk_list = _list(key)
    action = bulk_list.actions.get(action_name)
    if action is None:
        abort(404)
    if not action.permission(current_user):
        abort(403)
    ids = bulk.selected(current_user, key)
    names = bulk_list.names(ids)
    ids = [i for i in ids if i in names]  # deleted since, or no longer visible to the user
    form_class = type("BulkForm", (action.form or FlaskForm,), {"count": HiddenField()})
    form = form_class()
    back = _list_url(bulk_list)
    status, error = 200, None
    if request.method == "GET":
        form.count.data = str(len(ids))
    elif form.validate_on_submit():
        if not ids:
            flash(_("Nothing is selected."), "warning")
            return redirect(back)
        if form.count.data != str(len(ids)):
            error = _("The selection changed since this page was shown: check the count and confirm again.")
            form.count.data, status = str(len(ids)), 409
        else:
            saved = attempt(lambda: action.run(ids, form), show=None)
            if saved.ok:
                bulk.change(current_user, key, clear=True)
                if saved.value is not None:
                    return saved.value  # a download
                flash((action.done or _("Done: %(num)d record(s).")) % {"num": len(ids)}, "success")
                return redirect(back)
            refused = saved.error
            assert refused is not None
            error, status = refused.message, refused.status
            _place(form, refused)
    else:
        status = 422
    shown = [names[i] for i in ids[: bulk.NAMED * 5]]
    return render_template(
        "core/bulk_confirm.html",
        bulk_list=bulk_list,
        action=action,
        form=form,
        count=len(ids),
        shown=shown,
        more=max(0, len(ids) - len(shown)),
        error=error,
        back=back,
    ), status


def _place(form, error: ServiceError) -> None:
    """The action's field errors next to its fields; the rest is the page's message."""
    apply_errors(form, ServiceError(error.message, {k: v for k, v in error.errors.items() if k != "selection"}))
