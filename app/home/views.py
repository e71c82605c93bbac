"""Pages that belong to no domain: the home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user

from app.appraisals import services as appraisals
from app.auth import services as auth_services
from app.auth.forms import LanguageForm
from app.core.urls import safe_next
from app.jobs import services as jobs
from app.jobs.access import can_manage_job_descriptions

# The blueprint keeps its first name, so the endpoints stay "core.home" and "core.set_language"
# (templates, redirects and the public endpoints name them).
bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    """A to-do list gathered from each domain, and for HR the state of the job descriptions."""
    tasks = jobs.tasks_for(current_user) + appraisals.tasks_for(current_user)
    coverage = jobs.coverage() if can_manage_job_descriptions(current_user) else None
    return render_template("home/home.html", tasks=tasks, coverage=coverage)


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language; it sticks to the account (or the session when anonymous)."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            auth_services.set_locale(current_user, form.lang.data)
    return redirect(safe_next(form.next.data or request.referrer))
