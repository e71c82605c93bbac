"""Versions and the approval workflow, through the services: content validation, drafts,
submit / return / approve / publish, immutability, one open version, concurrency."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.core.errors import Conflict, ServiceError
from app.extensions import db
from app.jobs import lint, services
from app.jobs.content import clean_content, content_hash, version_content
from app.jobs.immutability import FrozenVersion
from app.jobs.models import Duty, JobDescriptionVersion, Status
from app.org import services as org
from app.org.models import Assignment, Position
from tests import factories
from tests.jobs.conftest import good_content


def test_content_validation_names_every_bad_field(shop):
    content = good_content(shop)
    content["title"] = "  "
    content["sections"][0]["duties"][1]["weight"] = "120"
    content["sections"][0]["duties"].append({"text": "", "standard": "24小时内", "weight": None, "frequency": None})
    content["kpis"][0]["threshold"] = 150000  # above the target of a higher-is-better KPI
    content["kpis"].append({"kpi_id": shop.complaints.id, "target": "abc", "weight": 10, "period": "monthly"})
    content["competencies"][0]["level"] = 7
    with pytest.raises(ServiceError) as caught:
        clean_content(content)
    errors = caught.value.errors
    assert set(errors) == {
        "title",
        "sections.0.duties.1.weight",
        "sections.0.duties.2.text",
        "kpis.0.threshold",
        "kpis.1.target",
        "competencies.0.level",
    }
    assert "below the target" in errors["kpis.0.threshold"][0]


def test_threshold_side_follows_the_direction_of_the_kpi(shop):
    lower = good_content(shop, kpis=[(shop.complaints, 5, 100, "monthly", 3, 2)])  # threshold 3 < target 5: wrong
    with pytest.raises(ServiceError) as caught:
        clean_content(lower)
    assert set(caught.value.errors) == {"kpis.0.threshold"}  # the stretch 2 is rightly below the target
    assert "above the target" in caught.value.errors["kpis.0.threshold"][0]
    fine = clean_content(good_content(shop, kpis=[(shop.complaints, 5, 100, "monthly", 8, 2)]))
    assert fine["kpis"][0]["threshold"] == 8 and fine["kpis"][0]["stretch"] == 2


def test_blank_rows_are_dropped_and_text_is_kept_as_typed(shop):
    content = good_content(shop, duties=["<script>alert(1)</script> 回复咨询", "  "])
    clean = clean_content(content)
    assert [d["text"] for d in clean["sections"][0]["duties"]] == ["<script>alert(1)</script> 回复咨询"]


def test_the_whole_workflow_publishes_a_dated_immutable_version(shop):
    hr = factories.create_user("hr")
    version = services.start_draft(shop.agent, hr, content=good_content(shop))
    services.submit(version, hr)
    assert version.status == Status.IN_REVIEW.value
    services.return_for_changes(version, hr, "请补充KPI说明")
    assert version.status == Status.DRAFT.value and version.review_comment == "请补充KPI说明"
    services.submit(version, hr)
    services.approve(version, hr)
    services.publish(version, hr, date(2026, 3, 1))
    db.session.commit()
    assert version.status == Status.PUBLISHED.value and version.effective_date == date(2026, 3, 1)
    assert version.content_hash == content_hash(version_content(version))
    assert [e.action for e in version.events] == [
        "created",
        "submitted",
        "returned",
        "submitted",
        "approved",
        "published",
    ]
    # the position now carries the texts of its job description in force
    assert shop.agent.purpose == version.purpose

    # a second version supersedes the first
    second = services.start_draft(shop.agent, hr)
    assert version_content(second, with_ids=False) == version_content(version, with_ids=False)
    services.submit(second, hr)
    services.approve(second, hr)
    with pytest.raises(ServiceError) as caught:
        services.publish(second, hr, date(2026, 1, 1))  # before the version in force
    assert "effective_date" in caught.value.errors
    services.publish(second, hr, date(2026, 6, 1))
    db.session.commit()
    assert version.status == Status.SUPERSEDED.value
    assert services.current_version(shop.agent.id).id == second.id


def test_published_versions_never_change_whatever_the_route(shop):
    version = factories.publish_jd(shop.agent, good_content(shop))
    duty_id = version.sections[0].duties[0].id
    with pytest.raises(ServiceError):
        services.save_content(version, good_content(shop, duties=["改掉"]), None, version.version)
    db.session.rollback()
    # straight through the ORM: the flush guard refuses
    db.session.get(Duty, duty_id).text = "偷偷修改"
    with pytest.raises(FrozenVersion):
        db.session.flush()
    db.session.rollback()
    version = db.session.get(JobDescriptionVersion, version.id)
    version.purpose = "偷偷修改"
    with pytest.raises(FrozenVersion):
        db.session.flush()
    db.session.rollback()
    version = db.session.get(JobDescriptionVersion, version.id)
    version.sections[0].duties.append(Duty(text="新增", position=9))
    with pytest.raises(FrozenVersion):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Duty, duty_id).text == "通过阿里旺旺解答客户咨询"


def test_one_open_version_per_position(shop):
    services.start_draft(shop.agent, None, content=good_content(shop))
    db.session.commit()
    with pytest.raises(ServiceError) as caught:
        services.start_draft(shop.agent, None, content=good_content(shop))
    assert "already being worked on" in caught.value.message
    db.session.rollback()
    # and the database refuses it too, should two requests race past the check
    db.session.add(JobDescriptionVersion(position_id=shop.agent.id, number=9, status="draft", title="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_editing_keeps_rows_and_the_audit_trail_shows_edits(shop):
    version = services.start_draft(shop.agent, None, content=good_content(shop))
    db.session.commit()
    content = version_content(version)
    duty_ids = [d["id"] for d in content["sections"][0]["duties"]]
    content["sections"][0]["duties"].reverse()
    content["sections"][0]["duties"][0]["text"] += "（含售前）"
    services.save_content(version, content, None, version.version)
    db.session.commit()
    after = version_content(version)
    assert [d["id"] for d in after["sections"][0]["duties"]] == list(reversed(duty_ids))
    updates = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity == "jd_duties", AuditEvent.action == "update")
    )
    creates = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.entity == "jd_duties", AuditEvent.action == "create")
    )
    assert updates >= 2 and creates == 2


def test_a_kpi_removed_and_added_again_in_one_save_is_kept(shop):
    version = services.start_draft(shop.agent, None, content=good_content(shop))
    db.session.commit()
    content = version_content(version)
    content["kpis"][0]["id"] = None  # the row was removed and added again in the browser
    content["kpis"][0]["target"] = 90000
    content["competencies"][0]["id"] = None
    services.save_content(version, content, None, version.version)
    db.session.commit()
    assert [t.target for t in version.kpi_targets] == [90000]


def test_a_save_based_on_an_old_state_is_refused_with_what_changed(shop):
    version = services.start_draft(shop.agent, None, content=good_content(shop))
    db.session.commit()
    seen = version.version
    first = version_content(version)
    first["purpose"] = "第一个人的修改"
    services.save_content(version, first, None, seen)
    db.session.commit()
    second = version_content(version)
    second["purpose"] = "第二个人的修改"
    with pytest.raises(Conflict) as caught:
        services.save_content(version, second, None, seen)
    assert caught.value.changes["purpose"][1] == "第一个人的修改"
    db.session.rollback()
    assert db.session.get(JobDescriptionVersion, version.id).purpose == "第一个人的修改"


def test_approval_needs_every_finding_fixed_or_waived(shop):
    content = good_content(shop, requirements=[("other", "18-35岁之间，身体健康", True)])
    version = services.start_draft(shop.agent, None, content=content)
    services.submit(version, None)
    with pytest.raises(ServiceError) as caught:
        services.approve(version, None)
    assert "2 linter finding" in caught.value.message
    for finding in lint.lint_version(version):
        with pytest.raises(ServiceError):
            services.waive(version, finding.key, "   ", None)  # a reason is required
        services.waive(version, finding.key, "法律顾问已确认", None)
    services.approve(version, None)
    assert version.status == Status.APPROVED.value


def test_submit_needs_a_duty_and_publishing_needs_approval(shop):
    version = services.start_draft(shop.agent, None, content=factories.jd_content("在线客服", duties=[]))
    with pytest.raises(ServiceError):
        services.submit(version, None)
    with pytest.raises(ServiceError):
        services.publish(version, None, date(2026, 1, 1))
    with pytest.raises(ServiceError):
        services.approve(version, None)


def test_acknowledgements_by_holders_only(shop):
    version = factories.publish_jd(shop.agent, good_content(shop))
    outstanding = db.session.scalars(services.outstanding_acknowledgements()).all()
    assert [a.employee_id for a in outstanding] == [shop.employee.id]
    with pytest.raises(ServiceError):
        services.acknowledge(version, shop.manager)  # does not hold the position
    services.acknowledge(version, shop.employee)
    services.acknowledge(version, shop.employee)  # twice: still one
    db.session.commit()
    assert db.session.scalars(services.outstanding_acknowledgements()).all() == []


def test_outstanding_acknowledgements_newest_version_first_holders_together(shop):
    from datetime import datetime

    from app.core import clock

    finance = shop.clerk.department
    factories.create_employee("E3", "李娜", position=shop.agent)
    factories.create_employee("E4", "赵敏", position=shop.clerk)
    factories.create_employee("E5", "孙丽", position=shop.clerk)
    factories.create_employee("E6", "周杰", position=shop.boss)  # a second holder, assigned after E2 and E3
    left = db.session.scalars(select(Assignment).where(Assignment.employee.has(employee_no="E5"))).one()
    org.end_assignment(left, date(2021, 6, 30))  # no longer holds it: not asked
    with clock.frozen(datetime(2026, 3, 1, 9)):
        factories.publish_jd(shop.clerk, good_content(shop, title="会计"))
    with clock.frozen(datetime(2026, 3, 2, 9)):  # published at the same moment: the later version first
        agent_v1 = factories.publish_jd(shop.agent, good_content(shop))
        factories.publish_jd(shop.boss, good_content(shop, title="电商部经理"))

    def outstanding(department=None):
        return [a.employee.employee_no for a in db.session.scalars(services.outstanding_acknowledgements(department))]

    def counted(department=None):  # what the list counts
        return db.session.scalar(select(func.count()).select_from(services.unacknowledged(department).subquery()))

    assert outstanding() == ["E1", "E6", "E2", "E3", "E4"] and counted() == 5
    assert outstanding(finance) == ["E4"] and counted(finance) == 1
    # the position comes with each row, for callers that select its columns (the daily reminders)
    holders = services.outstanding_acknowledgements().with_only_columns(Assignment.employee_id, Position.code)
    assert [code for _employee, code in db.session.execute(holders)] == [
        "EC-MGR",
        "EC-MGR",
        "EC-CS",
        "EC-CS",
        "FIN-ACC",
    ]
    services.acknowledge(agent_v1, shop.employee)
    db.session.commit()
    assert outstanding() == ["E1", "E6", "E3", "E4"] and counted() == 4
    # a new version in force: its holders are asked again, the newest first
    with clock.frozen(datetime(2026, 4, 1, 9)):
        factories.publish_jd(shop.agent, good_content(shop, duties=["处理售后问题", "维护店铺评价"]))
    assert outstanding() == ["E2", "E3", "E1", "E6", "E4"] and counted() == 5


def test_a_position_with_job_descriptions_is_archived_not_deleted(shop):
    from app.org import services as org

    position = factories.create_position("EC-NEW", shop.department, "新岗位")
    services.start_draft(position, None, content=good_content(shop, title="新岗位"))
    db.session.commit()
    with pytest.raises(ServiceError) as caught:
        org.delete_position(position)
    assert "archive it instead" in caught.value.message
    db.session.rollback()
    assert services.open_version(position.id) is not None


def test_archived_library_entries_stay_on_copies_but_cannot_be_chosen_anew(shop):
    from app.jobs import library

    version = factories.publish_jd(shop.agent, good_content(shop))
    library.archive_kpi(shop.sales)
    db.session.commit()
    draft = services.start_draft(shop.agent, None)  # a copy keeps the archived KPI
    content = version_content(draft)
    content["purpose"] = "改了目的"
    services.save_content(draft, content, None, draft.version)  # and editing the draft is not blocked
    db.session.commit()
    assert [t.kpi_id for t in draft.kpi_targets] == [shop.sales.id]
    with pytest.raises(ServiceError) as caught:
        services.start_draft(shop.clerk, None, content=good_content(shop, title="会计"))
    assert "kpis.0.kpi_id" in caught.value.errors
    assert version.status == Status.PUBLISHED.value
