"""A department that appraisal cycles refer to (their scope, or reviews made in it) is archived,
never deleted: deleting it says what refers to it, on the page and in the API, and changes nothing."""

from __future__ import annotations

from datetime import date

from app.appraisals import services as appraisals
from app.extensions import db
from app.org import services
from app.org.models import Department
from tests import factories
from tests.api.conftest import assert_error


def _cycle(name: str, departments=()):
    cycle = appraisals.create_cycle(
        appraisals.CycleData(
            name=name, period_type="monthly", start_date=date(2026, 11, 1), department_ids=[d.id for d in departments]
        )
    )
    db.session.commit()
    return cycle


def _empty_after_reviews():
    """客服组 had 客服专员 (held by 赵敏) when the 2026-11 cycle was launched; the post has since
    moved to 运营组, so the department is empty but its reviews still name it."""
    from app.appraisals.services import launch

    service = factories.create_department("CS", "客服组")
    ops = factories.create_department("OPS", "运营组")
    position = factories.create_position("CS-1", service, "客服专员")
    factories.create_employee("E100", "赵敏", position=position)
    launch.launch_cycle(_cycle("2026-11 月度考核"))
    db.session.commit()
    position.department_id = ops.id
    db.session.commit()
    return service


def test_reviews_made_in_a_department_prevent_deleting_it(login):
    hr = login("hr")
    department = _empty_after_reviews()
    assert services.department_references(department)["appraisal_reviews"] == 1
    body = assert_error(hr.delete(f"/api/v1/departments/{department.id}"), 422)
    assert "2026-11 月度考核" in body["message"] and "archive" in body["message"]
    assert db.session.get(Department, department.id) is not None

    archived = hr.post(f"/api/v1/departments/{department.id}/archive")
    assert archived.status_code == 200 and archived.json["archived"] is True


def test_a_cycle_scope_prevents_deleting_a_department_on_the_page(login):
    hr = login("hr")
    department = factories.create_department("CS", "客服组")
    _cycle("2026 年度考核", [department])
    page = hr.get(f"/org/departments/{department.id}").get_data(as_text=True)
    assert "2026 年度考核" in page  # the reason the delete button is disabled

    response = hr.post(f"/org/departments/{department.id}/delete", data={}, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "2026 年度考核" in text and "archive it instead" in text
    db.session.expire_all()
    assert db.session.get(Department, department.id) is not None
    assert [d.id for d in _cycle_of(department).departments] == [department.id]  # the scope is kept

    hr.post(f"/org/departments/{department.id}/archive", data={}, follow_redirects=True)
    db.session.expire_all()
    assert db.session.get(Department, department.id).is_archived


def _cycle_of(department):
    from app.appraisals.models import AppraisalCycle

    return db.session.scalar(db.select(AppraisalCycle).where(AppraisalCycle.departments.any(id=department.id)))
