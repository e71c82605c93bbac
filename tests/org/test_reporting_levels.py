"""A position's stored place in the reporting line (Position.reporting_level): right after every
way a reporting line changes (the edit page, a new position, a move of a whole branch, an
import), seen by a page in the same transaction, gone with a rollback, never an edit of its own
(no version bump, no audit row), and filled by the migration for the positions already there."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.org import services
from app.org.models import Position
from app.org.services.levels import computed_levels
from tests import factories
from tests.jobs.test_label_migration import scratch_app  # noqa: F401 (a database of its own)
from tests.org.test_collection_versions import _position_form

BEFORE = "a17c7a1b2026"


def _stored() -> dict[str, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(Position.code, Position.reporting_level)).all())


def _move(position, superior) -> None:
    """``position`` now reports to ``superior`` (None: to no one), through the service, not committed."""
    data = services.PositionData(
        code=position.code,
        title=position.title,
        department_id=position.department_id,
        headcount=position.headcount,
        reports_to_id=superior.id if superior else None,
    )
    services.update_position(position, data, position.version)


def _chain():
    """CEO ← VP ← MGR ← STAFF, and OTHER alone at the top."""
    dept = factories.create_department("HQ", "总部")
    ceo = factories.create_position("CEO", dept, "总经理")
    vp = factories.create_position("VP", dept, "副总", reports_to=ceo)
    mgr = factories.create_position("MGR", dept, "经理", reports_to=vp)
    staff = factories.create_position("STAFF", dept, "专员", reports_to=mgr)
    other = factories.create_position("OTHER", dept, "顾问")
    return dept, (ceo, vp, mgr, staff, other)


def test_levels_follow_the_edit_page_and_a_moved_branch_moves_whole(app, ctx, login):
    _dept, (ceo, vp, mgr, staff, other) = _chain()
    assert _stored() == {"CEO": 0, "VP": 1, "MGR": 2, "STAFF": 3, "OTHER": 0}
    hr = login("hr")
    # VP, with MGR and STAFF below it, moves from CEO to OTHER: a top as well, the depths stay
    response = hr.post(f"/org/positions/{vp.id}/edit", data=_position_form(vp, reports_to_id="OTHER"))
    assert response.status_code == 302
    assert _stored() == {"CEO": 0, "VP": 1, "MGR": 2, "STAFF": 3, "OTHER": 0}  # same depth under OTHER
    response = hr.post(f"/org/positions/{other.id}/edit", data=_position_form(other, reports_to_id="STAFF"))
    assert response.status_code == 200  # a loop: refused next to the field, nothing stored
    assert "loop" in response.get_data(as_text=True)
    db.session.expire_all()
    response = hr.post(f"/org/positions/{other.id}/edit", data=_position_form(other, reports_to_id="CEO"))
    assert response.status_code == 302
    assert _stored() == {"CEO": 0, "OTHER": 1, "VP": 2, "MGR": 3, "STAFF": 4}
    db.session.expire_all()
    response = hr.post(f"/org/positions/{mgr.id}/edit", data=_position_form(mgr, reports_to_id=""))
    assert response.status_code == 302
    assert _stored() == {"CEO": 0, "OTHER": 1, "VP": 2, "MGR": 0, "STAFF": 1}
    listed = hr.get("/org/positions").get_data(as_text=True)
    order = [listed.index(f'href="/org/positions/{p.id}"') for p in (ceo, mgr, other, staff, vp)]
    assert order == sorted(order)  # level 0: CEO, MGR; level 1: OTHER, STAFF; level 2: VP


def test_the_level_is_no_edit_of_its_own(app, ctx):
    _dept, (ceo, vp, mgr, staff, other) = _chain()
    versions = {p.code: p.version for p in (mgr, staff)}
    newest = db.session.scalar(select(sa.func.max(AuditEvent.id)))
    _move(vp, other)
    db.session.commit()
    db.session.expire_all()
    assert {p.code: p.version for p in (mgr, staff)} == versions  # moved below, not edited
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > newest)).all()
    assert [(e.entity, e.entity_id) for e in events] == [("positions", str(vp.id))]
    assert set(events[0].changes) == {"reports_to_id"}


def test_a_page_in_the_same_transaction_sees_the_change_and_a_rollback_takes_it_back(app, ctx):
    _dept, (ceo, vp, mgr, staff, other) = _chain()
    _move(mgr, None)
    # not committed: the named query brings the levels up to date before ordering by them
    codes = [p.code for p in db.session.scalars(services.list_positions())]
    assert codes == ["CEO", "MGR", "OTHER", "STAFF", "VP"]
    assert services.position_levels([mgr.id, staff.id]) == {mgr.id: 0, staff.id: 1}
    db.session.rollback()
    assert _stored() == {"CEO": 0, "VP": 1, "MGR": 2, "STAFF": 3, "OTHER": 0}


def test_a_new_position_under_a_deep_one_and_an_import_get_their_level(app, ctx):
    dept, (ceo, vp, mgr, staff, other) = _chain()
    factories.create_position("INTERN", dept, "实习生", reports_to=staff)
    assert _stored()["INTERN"] == 4
    # a write around the ORM (a bulk insert) is put right by the refresh it must call
    db.session.execute(
        sa.insert(Position.__table__),
        [{"code": "BULK", "title": "批量", "department_id": dept.id, "reports_to_id": mgr.id, "version": 1}],
    )
    assert _stored()["BULK"] == 0
    assert services.refresh_reporting_levels() == 1
    assert _stored()["BULK"] == 3


def test_a_savepoint_rolled_back_after_a_list_leaves_the_commit_right(app, ctx):
    _dept, (ceo, vp, mgr, staff, other) = _chain()
    _move(mgr, other)  # flushed, not committed
    with db.session.begin_nested() as savepoint:
        assert [p.code for p in db.session.scalars(services.list_positions())][-1] == "STAFF"  # levels brought up
        savepoint.rollback()  # ... and that UPDATE undone with it
    db.session.commit()
    assert _stored() == {"CEO": 0, "VP": 1, "OTHER": 0, "MGR": 1, "STAFF": 2}


def test_a_writer_of_positions_and_a_mover_at_once_wait_for_each_other_without_a_deadlock(app, ctx):
    """A (an import, say) archives a position, then later in the same transaction adds one; B moves
    the archived position's superior meanwhile, so its refresh must update the row A holds. Both
    succeed, one after the other, and every level is right."""
    dept, (ceo, vp, mgr, staff, other) = _chain()
    ids = {p.code: p.id for p in (ceo, vp, mgr, staff, other)}
    app = current_app._get_current_object()
    outcome: dict[str, str] = {}

    def writer():
        with app.app_context():
            try:
                services.archive_position(db.session.get(Position, ids["STAFF"]))
                time.sleep(0.6)
                services.create_position(
                    services.PositionData(code="NEW", title="新", department_id=dept.id, reports_to_id=ids["OTHER"])
                )
                db.session.commit()
                outcome["writer"] = "ok"
            except Exception as error:  # noqa: BLE001 (the test reports it)
                outcome["writer"] = repr(error)[:300]
            finally:
                db.session.remove()

    def mover():
        time.sleep(0.2)
        with app.app_context():
            try:
                _move(db.session.get(Position, ids["MGR"]), db.session.get(Position, ids["OTHER"]))
                db.session.commit()
                outcome["mover"] = "ok"
            except Exception as error:  # noqa: BLE001
                outcome["mover"] = repr(error)[:300]
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer), threading.Thread(target=mover)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcome == {"writer": "ok", "mover": "ok"}
    assert _stored() == {"CEO": 0, "VP": 1, "OTHER": 0, "MGR": 1, "STAFF": 2, "NEW": 1}


def test_computed_levels_from_tops_missing_superiors_and_loops():
    assert computed_levels({}) == {}
    assert computed_levels({1: None, 2: 1, 3: 2, 4: 1, 5: 99}) == {1: 0, 2: 1, 3: 2, 4: 1, 5: 0}
    # a loop (only a write around RoleBook makes one): its positions count from 0, what hangs
    # below the loop from there; the rest is untouched
    assert computed_levels({1: None, 2: 3, 3: 2, 4: 3}) == {1: 0, 2: 0, 3: 0, 4: 0}
    deep = {i: i - 1 if i else None for i in range(300)}
    levels = computed_levels(deep)
    assert levels[200] == 200 and levels[299] == 0  # beyond the longest line a loop could make


def test_the_migration_fills_the_levels_of_the_positions_already_there(scratch_app):  # noqa: F811
    with scratch_app.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(
            sa.text(
                "INSERT INTO departments (code, name, path, depth, nature, service_object, authority, "
                "management_functions, evaluation_criteria, created_at, version) VALUES "
                "('EC', '电商部', '/1/', 0, '', '', '', '', '', CURRENT_TIMESTAMP, 1)"
            )
        )
        department_id = db.session.execute(sa.text("SELECT id FROM departments")).scalar()
        superior = None
        for code in ("L0", "L1", "L2", "L3"):
            superior = db.session.execute(
                sa.text(
                    "INSERT INTO positions (code, title, department_id, grade, headcount, reports_to_id, purpose, "
                    "authority, management_responsibility, working_conditions, acting_note, created_at, version) "
                    "VALUES (:code, :code, :d, '', 1, :up, '', '', '', '', '', CURRENT_TIMESTAMP, 1) RETURNING id"
                ),
                {"code": code, "d": department_id, "up": superior},
            ).scalar()
        db.session.commit()
        db.session.remove()
        upgrade()
        levels = dict(db.session.execute(sa.text("SELECT code, reporting_level FROM positions")).all())
        assert levels == {"L0": 0, "L1": 1, "L2": 2, "L3": 3}
        db.session.remove()
        downgrade(revision=BEFORE)  # in place: the positions stay
        assert db.session.execute(sa.text("SELECT count(*) FROM positions")).scalar() == 4
        db.session.remove()
        upgrade()
