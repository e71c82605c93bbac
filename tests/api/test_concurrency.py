"""Two clients at the same moment, for real (threads against the app): exactly one edit of a
record wins and the other gets 409; checks that read then write (no loop in the reporting line
or the department tree, one primary assignment at a time) never let both through."""

from __future__ import annotations

import threading

from flask import current_app

from app.extensions import db
from app.org.models import Assignment, Department, Position
from app.org.services.levels import computed_levels
from tests import factories
from tests.api.conftest import launched_cycle

ROUNDS = 4


def together(*calls):
    """Run the calls in threads released at the same moment; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    app = current_app._get_current_object()  # the test's context, for the test client's bookkeeping

    def run(i, call):
        with app.app_context():
            barrier.wait()
            results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def loser_says_why(responses, field: str, winner_value: str) -> None:
    """The refused client gets a JSON 409 that says someone else changed the record; when the other
    edit was committed before this one was checked, the errors also say what it changed."""
    loser = next(r for r in responses if r.status_code == 409).json
    assert loser["code"] == 409 and "changed by someone else" in loser["message"], loser
    if loser["errors"]:
        assert any(winner_value in text for text in loser["errors"][field]), loser


def test_two_edits_of_one_position_exactly_one_wins(api, org):
    first, second = api("hr"), api("hr")
    staff = org.staff.id
    for n in range(ROUNDS):
        version = first.get(f"/api/v1/positions/{staff}").json["version"]
        responses = together(
            lambda: first.patch(f"/api/v1/positions/{staff}", json={"version": version, "grade": f"A{n}"}),
            lambda: second.patch(f"/api/v1/positions/{staff}", json={"version": version, "grade": f"B{n}"}),
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200, 409], statuses
        winner = next(r for r in responses if r.status_code == 200).json["grade"]
        loser_says_why(responses, "grade", winner)
        db.session.expire_all()
        assert db.session.get(Position, staff).grade == winner


def test_two_saves_of_one_review_exactly_one_wins(api, org):
    _cycle, review = launched_cycle(org)
    review = review.id
    first, second = api(user=org.employee_user), api(user=org.employee_user)
    for n in range(ROUNDS):
        current = first.get(f"/api/v1/reviews/{review}").json
        body = lambda text: {"version": current["version"], "comment": text, "submit": False}  # noqa: E731
        responses = together(
            lambda: first.post(f"/api/v1/reviews/{review}/submit", json=body(f"一{n}")),
            lambda: second.post(f"/api/v1/reviews/{review}/submit", json=body(f"二{n}")),
        )
        assert sorted(r.status_code for r in responses) == [200, 409]
        winner = next(r for r in responses if r.status_code == 200).json["self_comment"]
        loser = next(r for r in responses if r.status_code == 409).json
        assert loser["code"] == 409 and "changed by someone else" in loser["message"], loser
        assert first.get(f"/api/v1/reviews/{review}").json["self_comment"] == winner


def test_two_reporting_changes_at_once_never_close_a_loop(api, org):
    first, second = api("hr"), api("hr")
    for n in range(ROUNDS):
        a = factories.create_position(f"LOOP-A{n}", org.ec, "甲", reports_to=org.mgr).id  # ids only: the
        b = factories.create_position(f"LOOP-B{n}", org.ec, "乙", reports_to=org.mgr).id  # threads share no ORM object
        va, vb = (first.get(f"/api/v1/positions/{pid}").json["version"] for pid in (a, b))
        responses = together(
            lambda: first.patch(f"/api/v1/positions/{a}", json={"version": va, "reports_to_id": b}),
            lambda: second.patch(f"/api/v1/positions/{b}", json={"version": vb, "reports_to_id": a}),
        )
        assert sorted(r.status_code for r in responses) == [200, 422]
        db.session.expire_all()
        assert not (db.session.get(Position, a).reports_to_id == b and db.session.get(Position, b).reports_to_id == a)


def test_moves_and_a_new_position_at_once_leave_every_level_right(api, org):
    """Three writers of the reporting line at the same moment (two moves of branches, a new position
    at the bottom of one): the stored levels agree with the reporting lines, whatever the order."""
    clients = api("hr"), api("hr"), api("hr")
    for n in range(ROUNDS):
        x = factories.create_position(f"LV-X{n}", org.ec, "甲")
        y = factories.create_position(f"LV-Y{n}", org.ec, "乙")
        y1 = factories.create_position(f"LV-Y1{n}", org.ec, "乙一", reports_to=y)
        a = factories.create_position(f"LV-A{n}", org.ec, "丙", reports_to=x)
        b = factories.create_position(f"LV-B{n}", org.ec, "丁", reports_to=a)
        ids = {key: p.id for key, p in dict(x=x, y=y, y1=y1, a=a, b=b).items()}
        versions = {key: clients[0].get(f"/api/v1/positions/{pid}").json["version"] for key, pid in ids.items()}
        responses = together(
            lambda: clients[0].patch(
                f"/api/v1/positions/{ids['a']}", json={"version": versions["a"], "reports_to_id": ids["y1"]}
            ),
            lambda: clients[1].post(
                "/api/v1/positions",
                json={"code": f"LV-N{n}", "title": "戊", "department_id": org.ec.id, "reports_to_id": ids["b"]},
            ),
            lambda: clients[2].patch(
                f"/api/v1/positions/{ids['y']}", json={"version": versions["y"], "reports_to_id": ids["x"]}
            ),
        )
        assert [r.status_code for r in responses] == [200, 201, 200], [r.get_data(as_text=True) for r in responses]
        db.session.expire_all()
        rows = db.session.execute(db.select(Position.id, Position.reports_to_id, Position.reporting_level)).all()
        assert {row.id: row.reporting_level for row in rows} == computed_levels(
            {row.id: row.reports_to_id for row in rows}
        )
        new = responses[1].json["id"]
        assert {row.id: row.reporting_level for row in rows}[new] == 5  # X ← Y ← Y1 ← A ← B ← new


def test_two_department_moves_at_once_never_close_a_loop(api, org):
    first, second = api("hr"), api("hr")
    for n in range(ROUNDS):
        a = factories.create_department(f"TREE-A{n}", "甲部", parent=org.ec).id
        b = factories.create_department(f"TREE-B{n}", "乙部", parent=org.ec).id
        va, vb = (first.get(f"/api/v1/departments/{did}").json["version"] for did in (a, b))
        responses = together(
            lambda: first.patch(f"/api/v1/departments/{a}", json={"version": va, "parent_id": b}),
            lambda: second.patch(f"/api/v1/departments/{b}", json={"version": vb, "parent_id": a}),
        )
        assert sorted(r.status_code for r in responses) == [200, 422]
        db.session.expire_all()
        a_row, b_row = db.session.get(Department, a), db.session.get(Department, b)
        assert not (a_row.parent_id == b and b_row.parent_id == a)
        for row in (a_row, b_row):  # every path follows the parents
            parent = db.session.get(Department, row.parent_id)
            assert row.path == f"{parent.path}{row.id}/"


def test_two_primary_assignments_at_once_only_one_is_made(api, org):
    first, second = api("hr"), api("hr")
    for n in range(ROUNDS):
        employee = factories.create_employee(f"RACE{n}", f"员工{n}").id
        body = {"employee_id": employee, "start_date": "2026-01-01", "is_primary": True}
        staff, lead = org.staff.id, org.lead.id
        responses = together(
            lambda: first.post("/api/v1/assignments", json={**body, "position_id": staff}),
            lambda: second.post("/api/v1/assignments", json={**body, "position_id": lead}),
        )
        assert sorted(r.status_code for r in responses) == [201, 422]
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(Assignment).where(Assignment.employee_id == employee)
            )
            == 1
        )
