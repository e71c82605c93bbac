"""One commit point per entry point (``app.core.unit_of_work``): whatever a page, an API call, a
CLI command or a background task flushed is rolled back when it then fails, and committed when
it succeeds."""

from __future__ import annotations

import click
import pytest
from flask import Blueprint, redirect, render_template_string

from app.core.errors import Conflict, ServiceError
from app.core.forms import attempt
from app.core.unit_of_work import unit_of_work
from app.extensions import db
from app.org import services as org
from app.org.models import Department
from app.tasks import services as tasks
from app.tasks.models import Task, TaskStatus
from tests import factories


def _flush_a_department(code: str = "UOW") -> None:
    org.create_department(org.DepartmentData(code=code, name="Flushed, then failed"))
    db.session.flush()
    assert db.session.query(Department).filter_by(code=code).count() == 1  # really in the transaction


def _departments(code: str = "UOW") -> int:
    db.session.expire_all()
    return db.session.query(Department).filter_by(code=code).count()


@pytest.fixture
def probe_app(make_app, ctx):
    """An app with entry points that flush a department, then fail (or not) as the URL says."""
    app = make_app()
    bp = Blueprint("uow_probe", __name__)

    def outcome(how: str):
        _flush_a_department()
        if how == "service":
            raise ServiceError.field("code", "Refused after the flush.")
        if how == "conflict":
            raise Conflict("Changed by someone else after the flush.")
        if how == "status":
            return render_template_string("refused"), 422
        if how == "flash":
            attempt(lambda: (_ for _ in ()).throw(ServiceError("Refused, shown as a flash.")))
            return redirect("/")
        return redirect("/")  # "ok": a redirect after POST commits

    bp.add_url_rule("/uow-probe/<how>", "page", outcome, methods=["POST"])
    bp.add_url_rule("/api/v1/uow-probe/<how>", "api", outcome, methods=["POST"])
    app.register_blueprint(bp)

    @app.cli.command("uow-probe")
    @click.argument("how")
    def command(how):
        with unit_of_work():
            _flush_a_department()
            if how == "fail":
                raise click.ClickException("Refused after the flush.")

    user = factories.create_user("admin")
    db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    return app, client, user


@pytest.mark.parametrize("how, status", [("service", 422), ("conflict", 409), ("status", 422)])
@pytest.mark.parametrize("prefix", ["", "/api/v1"])
def test_a_request_that_fails_after_a_flush_leaves_the_database_unchanged(probe_app, prefix, how, status):
    app, client, _ = probe_app
    response = client.post(f"{prefix}/uow-probe/{how}", headers={"X-CSRFToken": "unused"})
    assert response.status_code == status
    if prefix and how != "status":
        assert response.json["code"] == status
    assert _departments() == 0


def test_a_page_that_flashes_a_refusal_keeps_nothing_of_it(probe_app):
    app, client, _ = probe_app
    response = client.post("/uow-probe/flash", follow_redirects=True)
    assert "Refused, shown as a flash." in response.get_data(as_text=True)
    assert _departments() == 0


@pytest.mark.parametrize("prefix", ["", "/api/v1"])
def test_a_request_that_succeeds_is_committed_by_the_commit_point(probe_app, prefix):
    app, client, _ = probe_app
    assert client.post(f"{prefix}/uow-probe/ok").status_code == 302
    assert _departments() == 1


def test_a_cli_command_that_fails_after_a_flush_leaves_the_database_unchanged(probe_app):
    app, _, _ = probe_app
    result = app.test_cli_runner().invoke(args=["uow-probe", "fail"])
    assert result.exit_code == 1 and "Refused after the flush." in result.output
    assert _departments() == 0
    assert app.test_cli_runner().invoke(args=["uow-probe", "ok"]).exit_code == 0
    assert _departments() == 1


def test_a_real_cli_command_commits_through_the_unit_of_work(probe_app):
    app, _, _ = probe_app
    result = app.test_cli_runner().invoke(
        args=["users", "create", "uow@example.com", "--role", "hr", "--password", factories.PASSWORD]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.query(type(probe_app[2])).filter_by(email="uow@example.com").count() == 1


@pytest.mark.parametrize("fail", ["service", "crash", None])
def test_a_task_that_fails_after_a_flush_leaves_the_database_unchanged(probe_app, fail):
    app, _, user = probe_app

    def run(params: dict, owner):
        _flush_a_department()
        if params["fail"] == "service":
            raise ServiceError("Refused after the flush.")
        if params["fail"] == "crash":
            raise RuntimeError("boom")

    tasks.HANDLERS["uow-probe"] = tasks.Handler("uow-probe", run, "Probe")
    try:
        task_id = tasks.enqueue("uow-probe", {"fail": fail}, user).id
        db.session.commit()
        app.extensions["rolebook_tasks"].huey.flush()  # run here, not by a consumer
        tasks.run(task_id)
    finally:
        tasks.HANDLERS.pop("uow-probe", None)
    db.session.expire_all()
    assert db.session.get(Task, task_id).status == (TaskStatus.DONE.value if fail is None else TaskStatus.FAILED.value)
    assert _departments() == (1 if fail is None else 0)
