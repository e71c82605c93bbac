"""schemathesis fuzzes every operation of /api/v1/openapi.json on the app (WSGI), as an HR user
with a bearer token, on a small organisation: no answer is a 5xx, and every answer (status,
content type, headers, body) conforms to the document; data that breaks the document is
refused. Operations on one record run once with random ids and once with the id (and the
current ETag) of an existing record, so that their bodies reach the services. Bounded: a few derandomised examples per
operation and mode, so every run sends the same requests and the whole test takes seconds."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, negative_data_rejection,
                                               response_headers_conformance, response_schema_conformance,
                                               status_code_conformance)

from app.auth.services import issue_token
from app.extensions import db
from tests import factories

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]
RUNS = [(GenerationMode.POSITIVE, 12, False), (GenerationMode.NEGATIVE, 6, False),
        (GenerationMode.POSITIVE, 12, True)]  # (mode, examples, with the ids of existing records)


def test_api_conforms_to_its_document(app, org):
    _token, clear = issue_token(factories.create_user("hr"), "fuzz")
    db.session.commit()
    headers = {"Authorization": f"Bearer {clear}"}
    known_ids = {"department_id": org.ops.id, "position_id": org.staff.id, "employee_id": org.zhang.id,
                 "assignment_id": org.zhang.assignments[0].id}
    client = app.test_client()
    etags = {path: client.get(path.format(**known_ids), headers=headers).headers["ETag"]
             for path in ("/api/v1/departments/{department_id}", "/api/v1/positions/{position_id}",
                          "/api/v1/employees/{employee_id}")}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25

    failures = []
    for operation in operations:
        path_ids = {name: value for name, value in known_ids.items() if "{" + name + "}" in operation.path}
        for mode, examples, known in RUNS:
            if known and not path_ids:
                continue

            fixed = {"path_parameters": path_ids, "headers": {"If-Match": etags[operation.path]}
                     if operation.method in ("put", "patch") else None} if known else {}
            @given(case=operation.as_strategy(generation_mode=mode, **fixed))
            @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def fuzz(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                fuzz()
            except (Exception, BaseExceptionGroup) as error:  # every operation's failures, reported together
                failures.append(f"{operation.label} ({mode}{', existing ids' if known else ''}): {error}")
    assert not failures, "\n\n".join(failures)
