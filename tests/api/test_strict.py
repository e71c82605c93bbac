"""The API takes booleans and integers only as JSON booleans and integers, and an action whose
body may be empty still needs one."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


@pytest.mark.parametrize("value", [0, 1, "true", "false", "yes", "on", "", [], {}])
def test_a_boolean_is_true_or_false_only(api, org, value):
    hr = api("hr")
    url = f"/api/v1/assignments/{org.zhang.assignments[0].id}"
    tag = hr.get(url).headers["ETag"]
    body = assert_error(hr.patch(url, json={"is_primary": value}, headers={"If-Match": tag}), 422, "is_primary")
    assert body["errors"]["is_primary"] == ["Expected true or false."]
    assert hr.get(url).headers["ETag"] == tag  # nothing changed
    assert hr.patch(url, json={"is_primary": True}, headers={"If-Match": tag}).status_code == 200


@pytest.mark.parametrize("value", ["5", 5.0, 5.5, True, "0x5"])
def test_an_integer_is_a_json_integer_only(api, org, value):
    hr = api("hr")
    response = hr.post(
        "/api/v1/positions", json={"code": "X-1", "title": "测试岗", "department_id": org.ops.id, "headcount": value}
    )
    body = assert_error(response, 422, "headcount")
    assert body["errors"]["headcount"] == ["Expected a whole number."]


def test_nested_values_are_checked_by_their_dotted_name(api, org, jd):
    hr = api("hr")
    url = f"/api/v1/job-descriptions/versions/{jd.draft.id}"
    version = hr.get(url)
    payload = {
        "version": version.json["version"],
        "requirements": [{"kind": "education", "text": "本科", "required": "yes"}],
    }
    response = hr.put(url, json=payload)
    body = assert_error(response, 422)
    assert body["errors"]["requirements.0.required"] == ["Expected true or false."]


def test_starting_a_draft_needs_a_body(api, org, jd):
    hr = api("hr")
    url = f"/api/v1/positions/{org.staff.id}/job-description/versions"
    body = assert_error(hr.post(url), 422, "body")
    assert "{}" in body["errors"]["body"][0]
    assert hr.get(url).json["total"] == 1  # nothing started
    assert hr.post(url, json={}).status_code == 201
    # permission first: without the right to draft, no body or any body is a 403
    assert_error(api(user=org.employee_user).post(url), 403)  # the holder sees the position, may not draft
