"""Through the API, a change to a record's own lists (a position's dotted lines, a department's
functions and collaborations) gives it a new version (ETag); a change based on the old one is 409."""

from __future__ import annotations

from app.extensions import db
from app.org.models import Department, Position
from tests import factories


def test_dotted_lines_through_the_api_bump_the_version_and_a_stale_put_is_409(api):
    first, second = api("hr"), api("hr")
    ec, manager, quality, agent = factories.shop_with_a_dotted_line_candidate()
    read = first.get(f"/api/v1/positions/{agent.id}")
    changed = first.patch(
        f"/api/v1/positions/{agent.id}",
        json={"dotted_superior_ids": [quality.id]},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["version"] == read.json["version"] + 1
    assert changed.headers["ETag"] == f'W/"{changed.json["version"]}"'

    body = {key: read.json[key] for key in ("code", "title", "department_id", "headcount", "reports_to_id")}
    stale = second.put(f"/api/v1/positions/{agent.id}", json={**body, "grade": "S1", "version": read.json["version"]})
    assert stale.status_code == 409, stale.json
    assert "QA-MGR" in stale.json["errors"]["dotted_superior_ids"][0]
    db.session.expire_all()
    assert [p.code for p in db.session.get(Position, agent.id).dotted_superiors] == ["QA-MGR"]


def test_department_lists_through_the_api_bump_the_version_and_a_stale_patch_is_409(api):
    first, second = api("hr"), api("hr")
    department = factories.create_department("EC", "电商部")
    read = first.get(f"/api/v1/departments/{department.id}")
    changed = first.patch(
        f"/api/v1/departments/{department.id}",
        json={"collaborations": [{"partner": "银行", "duty": "对账"}]},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.json["version"] == read.json["version"] + 1
    stale = second.patch(
        f"/api/v1/departments/{department.id}", json={"functions": ["推广"]}, headers={"If-Match": read.headers["ETag"]}
    )
    assert stale.status_code == 409
    assert "银行: 对账" in stale.json["errors"]["collaborations"][0]
    db.session.expire_all()
    department = db.session.get(Department, department.id)
    assert department.functions == [] and [c.duty for c in department.collaborations] == ["对账"]
