"""Every 4xx of the API is {"code", "message", "errors"}: validation (422, per field, dotted
names, in the user's language), malformed JSON (400), 403, 404, 405, 409, 412, 428; a failed
request changes nothing."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEvent
from app.extensions import db
from app.org.models import Department, Position
from tests.api.conftest import assert_error


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_validation_errors_are_per_field_with_dotted_names(api):
    body = assert_error(
        api("hr").post(
            "/api/v1/departments",
            json={
                "code": "bad code!",
                "name": 7,
                "parent_id": "1",
                "functions": ["ok", 3],
                "collaborations": [{"partner": "市场部", "duty": "ok"}, {"partner": "财务部"}],
                "colour": "red",
            },
        ),
        422,
        "code",
        "name",
        "parent_id",
        "functions.1",
        "collaborations.1.duty",
        "colour",
    )
    assert "functions.0" not in body["errors"] and "collaborations.0.duty" not in body["errors"]
    assert body["errors"]["collaborations.1.duty"] == ["This field is required."]
    assert body["errors"]["colour"] == ["Unknown field."]
    assert body["errors"]["code"] == ["Use letters, digits, dots, dashes and underscores, e.g. EC-MGR."]


def test_messages_are_in_the_users_language(api):
    client = api("hr", locale="zh_CN")
    body = assert_error(
        client.post("/api/v1/positions", json={"code": "P1", "headcount": -1}),
        422,
        "title",
        "department_id",
        "headcount",
    )
    assert body["errors"]["title"] == ["此项为必填项。"]
    assert body["errors"]["headcount"] == ["须在 0 到 100000 之间。"]
    assert body["message"] == "部分值无效：请查看各字段的提示。"


@pytest.mark.parametrize(
    "data, content_type",
    [
        ("{not json", "application/json"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_malformed_json_is_400(api, data, content_type):
    body = assert_error(api("hr").post("/api/v1/departments", data=data, content_type=content_type), 400, "body")
    assert body["errors"]["body"] == ["The request body is not valid JSON."]


def test_json_nested_deeper_than_any_body_is_400(api):
    body = assert_error(
        api("hr").post("/api/v1/departments", data="[" * 5000 + "]" * 5000, content_type="application/json"),
        400,
        "body",
    )
    assert body["errors"]["body"] == ["The request body is nested too deeply."]
    assert _count(Department) == 0


def test_bodies_and_lists_have_limits(api, make_app):
    hr = api("hr")
    body = assert_error(
        hr.post("/api/v1/departments", json={"code": "EC", "name": "电商部", "functions": ["职能"] * 201}),
        422,
        "functions",
    )
    assert body["errors"]["functions"] == ["At most 200 items."]
    huge = b'{"code": "EC", "name": "' + b"a" * 9_000_000 + b'"}'
    assert_error(hr.post("/api/v1/departments", data=huge, content_type="application/json"), 413)
    assert _count(Department) == 0


@pytest.mark.parametrize("payload", [[1, 2], "text", 3, None])
def test_a_body_that_is_not_an_object_is_422(api, payload):
    body = assert_error(api("hr").post("/api/v1/departments", json=payload), 422)
    assert body["errors"]  # "body", or the required fields when the body is null


def test_a_body_that_is_not_json_is_refused(api):
    response = api("hr").post(
        "/api/v1/departments", data="code=EC&name=x", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 422, "code", "name")


def test_text_that_cannot_be_stored_is_422(api):
    body = assert_error(api("hr").post("/api/v1/departments", json={"code": "EC", "name": "电商\x00部"}), 422, "name")
    assert body["errors"]["name"] == ["Invalid value."]
    body = assert_error(
        api("hr").post("/api/v1/departments", json={"code": "EC", "name": "a\u0006b\u001fc"}), 422, "name"
    )
    assert body["errors"]["name"] == ["Remove the invisible control characters from the text."]
    assert (
        api("hr").post("/api/v1/departments", json={"code": "EC", "name": "电商部", "nature": "一\n二\t三"}).status_code
        == 201
    )


def test_404_405_and_403_are_json(api, org):
    hr = api("hr")
    assert_error(hr.get("/api/v1/departments/999999"), 404)
    assert_error(hr.get("/api/v1/departments/0"), 404)
    assert_error(hr.get("/api/v1/departments/99999999999999"), 404)
    response = hr.delete("/api/v1/employees/1")
    assert_error(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PUT", "PATCH"}
    assert_error(api("employee").post("/api/v1/departments", json={}), 403)


def test_forbidden_requests_are_refused_before_their_body_is_read(api):
    """An employee learns nothing about the validation rules of writes they may not make."""
    body = assert_error(
        api("employee").post("/api/v1/departments", data="{broken", content_type="application/json"), 403
    )
    assert body["errors"] == {}


def test_service_errors_keep_their_field(api, org):
    body = assert_error(api("hr").post("/api/v1/departments", json={"code": "EC", "name": "重复"}), 422, "code")
    assert body["errors"]["code"] == ["Another department already has this code."]


def test_a_failed_request_changes_nothing(api, org):
    """A reporting loop is refused after the service has started applying the change."""
    hr = api("hr")
    before = (_count(AuditEvent), org.mgr.reports_to_id, org.mgr.version)
    body = assert_error(
        hr.patch(
            f"/api/v1/positions/{org.mgr.id}", json={"reports_to_id": org.staff.id, "title": "改名", "version": 1}
        ),
        422,
        "reports_to_id",
    )
    assert "loop" in body["errors"]["reports_to_id"][0]
    position = db.session.get(Position, org.mgr.id)
    assert (_count(AuditEvent), position.reports_to_id, position.version) == before
    assert position.title == "电商部经理"


def test_unknown_references_in_a_body_are_errors_of_their_field(api, org):
    hr = api("hr")
    assert_error(
        hr.post("/api/v1/positions", json={"code": "P1", "title": "x", "department_id": 999999}), 422, "department_id"
    )
    assert_error(
        hr.post(
            "/api/v1/positions",
            json={"code": "P1", "title": "x", "department_id": org.ec.id, "acting_position_id": 999999},
        ),
        422,
        "acting_position_id",
    )
    assert_error(
        hr.post(
            "/api/v1/positions",
            json={"code": "P1", "title": "x", "department_id": org.ec.id, "dotted_superior_ids": [org.mgr.id, 999999]},
        ),
        422,
        "dotted_superior_ids",
    )
    assert_error(
        hr.post(
            "/api/v1/assignments", json={"employee_id": 999999, "position_id": org.mgr.id, "start_date": "2026-01-01"}
        ),
        422,
        "employee_id",
    )
    assert_error(hr.get("/api/v1/positions?department_id=999999"), 422, "department_id")
    assert _count(Position) == 4


@pytest.mark.parametrize(
    "query, field",
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("vacancy=some", "vacancy"),
        ("archived=maybe", "archived"),
    ],
)
def test_bad_list_parameters_are_422(api, query, field):
    assert_error(api("hr").get(f"/api/v1/positions?{query}"), 422, field)


def test_page_numbers_past_any_list_are_422_after_the_login_check(api, client):
    assert_error(client.get("/api/v1/positions?page=12345678901"), 401)
    body = assert_error(api("hr").get("/api/v1/positions?page=99999999999999999999"), 422, "page")
    assert body["errors"]["page"] == ["Must be at most 999999999."]


def test_integrity_race_answers_409_not_500(api, org, monkeypatch):
    """Two creations of the same code that both pass the service's check: the database's unique
    key refuses the second, which answers 409 and saves nothing."""
    from app.org.services import departments

    monkeypatch.setattr(departments, "ensure_unique", lambda *args, **kwargs: None)
    assert_error(api("hr").post("/api/v1/departments", json={"code": "EC", "name": "again"}), 409)
    assert _count(Department) == 3
