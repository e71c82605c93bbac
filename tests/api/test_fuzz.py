"""schemathesis fuzzes every operation of /api/v1/openapi.json on the app (WSGI), as an HR user
with a bearer token, on a small organisation with job descriptions: no answer is a 5xx, and
every answer (status, content type, headers, body) conforms to the document; data that breaks
the document is refused. Operations on one record run once with random ids and once with the id
of an existing record and its current version in If-Match, so that their bodies reach the
services; an action on a job-description version gets a version in the state the action applies
to. Bounded: a few derandomised examples per operation and mode, so every run sends the same
requests and the whole test takes seconds."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.appraisals.models import AppraisalCycle, Review
from app.auth.services import issue_token
from app.extensions import db
from app.jobs import lint, services
from app.jobs.models import Competency, JobDescriptionVersion, Kpi
from app.org.models import Department, Employee, Position
from tests import factories
from tests.api.conftest import launched_cycle

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
RUNS = [
    (GenerationMode.POSITIVE, 12, False),
    (GenerationMode.NEGATIVE, 6, False),
    (GenerationMode.POSITIVE, 12, True),
]  # (mode, examples, with the ids of existing records)
# the versioned record an operation's path names last, by the name of its id
MODELS = {
    "department_id": Department,
    "position_id": Position,
    "employee_id": Employee,
    "kpi_id": Kpi,
    "competency_id": Competency,
    "version_id": JobDescriptionVersion,
    "cycle_id": AppraisalCycle,
    "review_id": Review,
}


def _versions(org, jd) -> dict:
    """The last segment of a version's path → a version in the state its operation applies to.
    Submitting and approving get versions of their own (on two more positions: with duties, with
    the linter's findings waived), since other operations change the draft and the version in review."""
    qa, buyer = (
        factories.create_position(code, org.ops, title, reports_to=org.lead)
        for code, title in (("EC-OPS-QA", "质检专员"), ("EC-OPS-BUY", "采购专员"))
    )
    to_submit = services.start_draft(qa, None, content=jd.content("质检专员"))
    to_approve = services.start_draft(buyer, None, content=jd.content("采购专员"))
    services.submit(to_approve, None)
    for finding in lint.lint_version(to_approve):
        services.waive(to_approve, finding.key, "fuzzing", None)
    db.session.commit()
    return {
        "{version_id}": jd.draft,
        "lint": jd.draft,
        "submit": to_submit,
        "return": jd.in_review,
        "approve": to_approve,
        "waive": jd.in_review,
        "publish": jd.approved,
        "acknowledge": jd.published,
        "compare": jd.published,
        "links": jd.draft,
    }


def _known(operation, known_ids: dict, versions: dict) -> dict:
    """The path parameters (and query) of an operation on existing records, or {} if it has none."""
    path_ids = {name: value for name, value in known_ids.items() if "{" + name + "}" in operation.path}
    if not path_ids:
        return {}
    fixed: dict = {"path_parameters": path_ids}
    if "version_id" in path_ids:
        path_ids["version_id"] = versions[operation.path.rsplit("/", 1)[-1]].id
        if operation.path.endswith("/compare"):
            fixed["query"] = {"with": versions["{version_id}"].id}
    return fixed


def _based_on_current_version(case) -> None:
    """A change or action on an existing record is based on its version as it now is (earlier
    examples may have changed it), named by If-Match alone."""
    if case.method.lower() == "get" or not case.path_parameters:
        return
    name = list(case.path_parameters)[-1]
    db.session.expire_all()
    record = db.session.get(MODELS[name], case.path_parameters[name]) if name in MODELS else None
    if record is not None:
        case.headers = {**(case.headers or {}), "If-Match": f'W/"{record.version}"'}
        if isinstance(case.body, dict):
            case.body.pop("version", None)


def test_api_conforms_to_its_document(app, org, jd):
    user = factories.create_user("hr")
    factories.create_employee("E900", "测试员", position=org.staff, user=user)  # so that it may acknowledge
    _token, clear = issue_token(user, "fuzz")
    db.session.commit()
    headers = {"Authorization": f"Bearer {clear}"}
    cycle, review = launched_cycle(org)
    known_ids = {
        "department_id": org.ops.id,
        "position_id": org.staff.id,
        "employee_id": org.zhang.id,
        "assignment_id": org.zhang.assignments[0].id,
        "kpi_id": jd.kpi.id,
        "competency_id": jd.competency.id,
        "template_id": jd.template.id,
        "version_id": None,
        "cycle_id": cycle.id,
        "review_id": review.id,
    }
    versions = _versions(org, jd)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda operation: operation.method == "delete")  # deletions last, once the rest ran
    assert len(operations) >= 58

    failures = []
    for operation in operations:
        known_case = _known(operation, known_ids, versions)
        for mode, examples, known in RUNS:
            if known and not known_case:
                continue

            @given(case=operation.as_strategy(generation_mode=mode, **(known_case if known else {})))
            @settings(
                max_examples=examples,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case):
                if known:
                    _based_on_current_version(case)
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                fuzz()
            except (Exception, BaseExceptionGroup) as error:  # every operation's failures, reported together
                failures.append(f"{operation.label} ({mode}{', existing ids' if known else ''}): {error}")
    assert not failures, "\n\n".join(failures)
