"""Role × route matrix: every route of the app is listed here with the roles allowed to use it.
A new route without an entry fails ``test_every_route_is_in_the_matrix``."""

from __future__ import annotations

from datetime import date

import pytest

from app.appraisals.models import Review
from app.extensions import db
from tests import factories

PUBLIC = "public"
ALL = {"admin", "hr", "manager", "employee"}
ROLES = ("admin", "hr", "manager", "employee")
EDIT_ORG = {"admin", "hr"}

# endpoint: roles that get through (PUBLIC: also anonymous users)
MATRIX = {
    "static": PUBLIC,
    "bootstrap.static": PUBLIC,
    "auth.login": PUBLIC,
    "core.set_language": PUBLIC,
    "core.home": ALL,
    "auth.logout": ALL,
    "auth.change_password": ALL,
    "auth.account": ALL,
    "auth.create_own_token": {"admin", "hr", "manager"},
    "auth.revoke_own_token": ALL,
    "auth.users": {"admin"},
    "auth.create_user": {"admin"},
    "auth.user_detail": {"admin"},
    "auth.create_user_token": {"admin"},
    "auth.revoke_user_token": {"admin"},
    "audit.events": {"admin", "hr"},
    # organisation: everyone sees the structure; HR and admins change it
    "org.departments": ALL,
    "org.department_detail": ALL,
    "org.department_new": EDIT_ORG,
    "org.department_edit": EDIT_ORG,
    "org.department_archive": EDIT_ORG,
    "org.department_delete": EDIT_ORG,
    "org.department_functions": EDIT_ORG,
    "org.positions": ALL,
    "org.position_detail": ALL,
    "org.position_lookup": ALL,
    "org.position_new": EDIT_ORG,
    "org.position_edit": EDIT_ORG,
    "org.position_archive": EDIT_ORG,
    "org.position_delete": EDIT_ORG,
    "org.employees": {"admin", "hr", "manager"},
    "org.employee_detail": ALL,  # then the object check: others' records answer 404 (tests/org)
    "org.employee_new": EDIT_ORG,
    "org.employee_edit": EDIT_ORG,
    "org.employee_assign": EDIT_ORG,
    "org.assignment_end": EDIT_ORG,
    "org.chart": ALL,
    "org.chart_svg": ALL,
    "org.headcount": ALL,
    "org.headcount_xlsx": ALL,
    # job descriptions: everyone has the pages (then object checks); HR and admins run the workflow
    "jobs.index": ALL,
    "jobs.review_queue": EDIT_ORG,
    "jobs.acknowledgements": EDIT_ORG,
    "jobs.position": ALL,  # object check: holders, their managers, HR (tests/jobs)
    "jobs.start_draft": ALL,  # object check: HR, managers of the position
    "jobs.import_text_page": ALL,  # object check: HR, managers of the position
    "jobs.bulk_upload": EDIT_ORG,
    "jobs.bulk_preview": EDIT_ORG,
    "jobs.version": ALL,
    "jobs.edit": ALL,
    "jobs.submit": ALL,
    "jobs.discard": ALL,
    "jobs.acknowledge": ALL,
    "jobs.compare": ALL,
    "jobs.links": ALL,  # then: who sees the version (404); changing links: HR, the department's head
    "jobs.coverage_xlsx": {"admin", "hr", "manager"},  # then: managers only departments they head (404)
    "jobs.return_for_changes": EDIT_ORG,
    "jobs.approve": EDIT_ORG,
    "jobs.publish": EDIT_ORG,
    "jobs.waive": EDIT_ORG,
    "jobs.save_template": EDIT_ORG,
    "jobs.kpis": {"admin", "hr", "manager"},
    "jobs.kpi_form": EDIT_ORG,
    "jobs.kpi_archive": EDIT_ORG,
    "jobs.competencies": {"admin", "hr", "manager"},
    "jobs.competency_form": EDIT_ORG,
    "jobs.competency_archive": EDIT_ORG,
    "jobs.templates": {"admin", "hr", "manager"},
    "jobs.template": {"admin", "hr", "manager"},
    "jobs.template_archive": EDIT_ORG,
    # printed documents (tests/documents): the object checks of the pages they print from
    "documents.job_description": ALL,  # object check: whoever may open the version
    "documents.job_description_docx": ALL,  # object check: whoever may open the version
    "documents.appraisal_form": ALL,  # object check: whoever sees the position's job description
    "documents.position_job_description": ALL,  # object check: whoever sees the position's job description
    "documents.position_job_description_docx": ALL,  # object check: whoever sees the position's job description
    "documents.manual": {"admin", "hr", "manager"},
    "documents.target_scorecard": {"admin", "hr", "manager"},  # then: the plans the user may see (404)
    "documents.target_scorecard_pdf": {"admin", "hr", "manager"},  # then: managers only their departments (404)
    # background tasks: everyone, then only their own tasks (404 for others')
    "tasks.index": ALL,
    "tasks.detail": ALL,
    "tasks.download": ALL,
    # the JSON API (tests/api): the same rules as the pages, checked before the request is parsed
    "api-docs.openapi_json": ALL,
    "api_reference.page": ALL,
    "departments.list_departments": ALL,
    "departments.get_department": ALL,
    "departments.create_department": EDIT_ORG,
    "departments.replace_department": EDIT_ORG,
    "departments.update_department": EDIT_ORG,
    "departments.archive_department": EDIT_ORG,
    "departments.restore_department": EDIT_ORG,
    "departments.delete_department": EDIT_ORG,
    "coverage.get_functions": ALL,
    "coverage.replace_functions": EDIT_ORG,
    "coverage.get_links": ALL,
    "coverage.replace_links": ALL,  # then: HR, or the head of the position's department (403), before the body
    "coverage.get_coverage": {"admin", "hr", "manager"},  # then: managers only departments they head (404)
    "positions.list_positions": ALL,
    "positions.get_position": ALL,
    "positions.create_position": EDIT_ORG,
    "positions.replace_position": EDIT_ORG,
    "positions.update_position": EDIT_ORG,
    "positions.archive_position": EDIT_ORG,
    "positions.restore_position": EDIT_ORG,
    "positions.delete_position": EDIT_ORG,
    "employees.list_employees": {"admin", "hr", "manager"},
    "employees.get_employee": ALL,  # then the object check: others' records answer 404 (tests/api)
    "employees.create_employee": EDIT_ORG,
    "employees.replace_employee": EDIT_ORG,
    "employees.update_employee": EDIT_ORG,
    "assignments.list_assignments": ALL,  # scoped to the records the user may read (tests/api)
    "assignments.get_assignment": ALL,  # then the object check
    "assignments.create_assignment": EDIT_ORG,
    "assignments.end_assignment": EDIT_ORG,
    "assignments.update_assignment": EDIT_ORG,
    "assignments.delete_assignment": EDIT_ORG,
    "organisation.headcount": ALL,
    "organisation.org_chart_svg": ALL,
    "job_descriptions.parse": {"admin", "hr"},
    "job_descriptions.list_templates": {"admin", "hr", "manager"},
    "job_descriptions.get_template": {"admin", "hr", "manager"},
    "job_descriptions.review_queue": EDIT_ORG,
    "job_descriptions.outstanding_acknowledgements": EDIT_ORG,
    # versions: then the object checks of the pages (tests/api/test_jd_access.py)
    "job_description_versions.get_job_description": ALL,
    "job_description_versions.list_versions": ALL,
    "job_description_versions.start_draft": ALL,
    "job_description_versions.get_version": ALL,
    "job_description_versions.replace_content": ALL,
    "job_description_versions.discard_draft": ALL,
    "job_description_versions.lint_findings": ALL,
    "job_description_versions.compare_versions": ALL,
    "job_description_versions.submit_version": ALL,
    "job_description_versions.acknowledge_version": ALL,
    "job_description_versions.return_version": EDIT_ORG,
    "job_description_versions.approve_version": EDIT_ORG,
    "job_description_versions.publish_version": EDIT_ORG,
    "job_description_versions.waive_finding": EDIT_ORG,
    "kpis.list_kpis": {"admin", "hr", "manager"},
    "kpis.get_kpi": {"admin", "hr", "manager"},
    "kpis.create_kpi": EDIT_ORG,
    "kpis.replace_kpi": EDIT_ORG,
    "kpis.update_kpi": EDIT_ORG,
    "kpis.archive_kpi": EDIT_ORG,
    "kpis.restore_kpi": EDIT_ORG,
    "competencies.list_competencies": {"admin", "hr", "manager"},
    "competencies.get_competency": {"admin", "hr", "manager"},
    "competencies.create_competency": EDIT_ORG,
    "competencies.replace_competency": EDIT_ORG,
    "competencies.update_competency": EDIT_ORG,
    "competencies.archive_competency": EDIT_ORG,
    "competencies.restore_competency": EDIT_ORG,
    # spreadsheet import / export of the organisation: HR and admins
    "transfer.index": EDIT_ORG,
    "transfer.export": EDIT_ORG,
    "transfer.template": EDIT_ORG,
    "transfer.upload": EDIT_ORG,
    "transfer.preview": EDIT_ORG,  # then the object check: only the uploader's token (404 otherwise)
    "transfer.apply": EDIT_ORG,
    "transfer.discard": EDIT_ORG,
    # backups: administrators
    "backup.index": {"admin"},
    "backup.download": {"admin"},
    # appraisals (tests/appraisals): everyone has their own reviews; HR runs cycles; managers see results
    "appraisals.index": ALL,
    "appraisals.overdue": ALL,  # scoped to the reviews the user may read
    "appraisals.review": ALL,  # object check: own, reviewer, subtree, HR
    "appraisals.self_review": ALL,  # object check: the reviewee
    "appraisals.manager_review": ALL,  # object check: the named reviewer, never the reviewee
    "appraisals.acknowledge": ALL,  # object check: the reviewee
    "appraisals.calibrate": EDIT_ORG,
    "appraisals.reopen": EDIT_ORG,
    "appraisals.reviewer": EDIT_ORG,
    "appraisals.skip_self_review": ALL,  # object check: HR, or the reviewer of an optional self-review
    "appraisals.exclude": EDIT_ORG,
    "appraisals.restore": EDIT_ORG,
    "appraisals.cycle_exclude": EDIT_ORG,
    "appraisals.cycle_exclusion_cancel": EDIT_ORG,
    "appraisals.cycles": {"admin", "hr", "manager"},
    "appraisals.cycle": {"admin", "hr", "manager"},  # managers: cycles with reviews of their subtree
    "appraisals.cycle_export": {"admin", "hr", "manager"},
    "appraisals.cycle_results_pdf": {"admin", "hr", "manager"},
    "appraisals.review_pdf": ALL,  # object check as the review page
    "appraisals.history": ALL,  # object check: own history, a manager's team, HR everyone
    "appraisals.cycle_form": EDIT_ORG,
    "appraisals.cycle_launch": EDIT_ORG,
    "appraisals.cycle_close": EDIT_ORG,
    "appraisals.cycle_delete": EDIT_ORG,
    "appraisals.cycle_recompute": EDIT_ORG,
    "appraisals.cycle_import": EDIT_ORG,
    "appraisals.templates": EDIT_ORG,
    "appraisals.calibration": EDIT_ORG,
    "appraisals.calibration_save": EDIT_ORG,
    "appraisals.rewards_export": EDIT_ORG,
    "appraisals.follow_up": EDIT_ORG,
    "appraisals.plans": ALL,  # the list holds what the user may see
    "appraisals.plan": ALL,  # object check: the employee, the owner, the subtree, HR
    "appraisals.plan_save": ALL,  # object check: the owner or HR
    "appraisals.plan_checkin": ALL,
    "appraisals.plan_close": ALL,
    "appraisals.plan_pdf": ALL,
    "improvement_plans.list_plans": ALL,
    "improvement_plans.get_plan": ALL,
    "improvement_plans.update_plan": ALL,
    "improvement_plans.add_checkin": ALL,
    "improvement_plans.close_plan": ALL,
    "appraisal_cycles.cycle_calibration": EDIT_ORG,
    "appraisal_cycles.cycle_rewards": EDIT_ORG,
    "reviews.follow_up": EDIT_ORG,
    # 360° feedback (tests/appraisals/test_feedback.py): object checks on the review or the request
    "appraisals.feedback_nominate": ALL,  # the reviewee, the reviewer, HR
    "appraisals.feedback_approve": ALL,  # the reviewer, HR
    "appraisals.feedback_decline": ALL,  # the reviewer, HR
    "appraisals.feedback_requests": ALL,  # one's own requests
    "appraisals.feedback_form": ALL,  # the respondent only (404 for others)
    "appraisals.cycle_feedback": EDIT_ORG,
    "appraisals.cycle_feedback_approve": EDIT_ORG,
    "review_feedback.get_feedback": ALL,
    "review_feedback.nominate": ALL,
    "review_feedback.approve": ALL,
    "review_feedback.decline": ALL,
    "review_feedback.my_requests": ALL,
    "review_feedback.answer": ALL,
    "review_feedback.approve_cycle": EDIT_ORG,
    # individual goals (tests/appraisals/test_goals.py): object checks on the review
    "appraisals.goal_create": ALL,  # the reviewee, the reviewer, HR
    "appraisals.goal_delete": ALL,
    "appraisals.goal_check_in": ALL,
    "appraisals.goals_agree": ALL,  # the reviewer, HR
    "review_goals.list_goals": ALL,
    "review_goals.get_goal": ALL,
    "review_goals.create_goal": ALL,
    "review_goals.update_goal": ALL,
    "review_goals.delete_goal": ALL,
    "review_goals.agree_goals": ALL,
    "review_goals.check_in": ALL,
    "appraisals.template_form": EDIT_ORG,
    # target plans (tests/targets): HR everywhere, managers the departments they head (404 elsewhere)
    "targets.index": {"admin", "hr", "manager"},
    "targets.plan_new": {"admin", "hr", "manager"},
    "targets.plan": {"admin", "hr", "manager"},
    "targets.plan_line": {"admin", "hr", "manager"},
    "targets.plan_line_remove": {"admin", "hr", "manager"},
    "targets.plan_hand_down": {"admin", "hr", "manager"},
    "targets.plan_shares_remove": {"admin", "hr", "manager"},
    "targets.plan_approve": {"admin", "hr", "manager"},
    "targets.plan_lock": {"admin", "hr", "manager"},
    "targets.plan_revise": {"admin", "hr", "manager"},
    "targets.plan_delete": {"admin", "hr", "manager"},
    "targets.mine": ALL,
    "targets.plan_xlsx": {"admin", "hr", "manager"},
    "targets.plan_import": {"admin", "hr", "manager"},
    "targets.plan_share": {"admin", "hr", "manager"},
    "targets.plan_actuals": {"admin", "hr", "manager"},
    "targets.plan_actuals_xlsx": {"admin", "hr", "manager"},
    "targets.plan_actuals_import": {"admin", "hr", "manager"},
    "target_plans.list_plans": {"admin", "hr", "manager"},
    "target_plans.create_plan": {"admin", "hr", "manager"},
    "target_plans.own_targets": ALL,
    "target_plans.get_plan": {"admin", "hr", "manager"},
    "target_plans.get_tree": {"admin", "hr", "manager"},
    "target_plans.set_line": {"admin", "hr", "manager"},
    "target_plans.remove_line": {"admin", "hr", "manager"},
    "target_plans.hand_down": {"admin", "hr", "manager"},
    "target_plans.approve_plan": {"admin", "hr", "manager"},
    "target_plans.lock_plan": {"admin", "hr", "manager"},
    "target_plans.revise_plan": {"admin", "hr", "manager"},
    "target_plans.delete_plan": {"admin", "hr", "manager"},
    "target_plans.get_scorecard": {"admin", "hr", "manager"},
    "target_plans.get_actuals": {"admin", "hr", "manager"},
    "target_plans.put_actuals": {"admin", "hr", "manager"},
    "target_plans.import_plan": {"admin", "hr", "manager"},
    "target_plans.import_actuals": {"admin", "hr", "manager"},
    "appraisal_templates.list_templates": EDIT_ORG,
    "appraisal_templates.get_template": EDIT_ORG,
    "appraisal_cycles.list_cycles": {"admin", "hr", "manager"},
    "appraisal_cycles.get_cycle": {"admin", "hr", "manager"},
    "appraisal_cycles.cycle_results": {"admin", "hr", "manager"},
    "appraisal_cycles.cycle_results_pdf": {"admin", "hr", "manager"},
    "appraisal_cycles.create_cycle": EDIT_ORG,
    "appraisal_cycles.update_cycle": EDIT_ORG,
    "appraisal_cycles.launch_cycle": EDIT_ORG,
    "reviews.list_reviews": ALL,
    "reviews.get_review": ALL,
    "reviews.review_pdf": ALL,
    "reviews.submit_step": ALL,
    "reviews.acknowledge": ALL,
    "reviews.finalise": EDIT_ORG,
    "reviews.reopen": EDIT_ORG,
    "reviews.reassign": EDIT_ORG,
    "reviews.paper_self_review": {"admin", "hr", "manager"},  # object check: HR, or a reviewer the template allows
    "reviews.skip_self_review": {"admin", "hr", "manager"},  # object check: HR, or the reviewer
    "reviews.exclude": EDIT_ORG,
    "reviews.restore": EDIT_ORG,
    "appraisal_cycles.list_exclusions": EDIT_ORG,
    "appraisal_cycles.create_exclusion": EDIT_ORG,
    "appraisal_cycles.delete_exclusion": EDIT_ORG,
    "printouts.job_description_pdf": ALL,
    "printouts.job_description_docx": ALL,
    "printouts.appraisal_form_pdf": ALL,
    "printouts.department_manual_pdf": {"admin", "hr", "manager"},
    "printouts.company_manual_pdf": {"admin", "hr"},
    "background_tasks.get_task": ALL,
    "background_tasks.get_result": ALL,
    # search: everyone, each kind then filtered by its domain's rules (tests/search)
    "search.results": ALL,
    "search_api.search": ALL,
    "search_api.search_post": ALL,
    # bulk actions, tried on the positions list (everyone selects; archiving is HR's): tests/core/test_bulk.py
    "bulk.select": ALL,
    "bulk.confirm": EDIT_ORG,
    # notifications: everyone has their own inbox (others' answer 404); admins read the outbox
    "notifications.index": ALL,
    "notifications.open_notification": ALL,
    "notifications.mark_read": ALL,
    "notifications.mark_all_read": ALL,
    "notifications.preferences": ALL,
    "notifications.outbox": {"admin"},
    "notifications.outbox_mail": {"admin"},
    "notifications.outbox_check": {"admin"},
    "notifications.outbox_retry": {"admin"},
    "notifications.unreachable": {"admin", "hr"},
    "notifications_api.list_notifications": ALL,
}


# Open to every role, then checked on the object before the body is read: only the reviewee (or the
# step's owner) may act, others get 403 (tests/api/test_permission_first.py, tests/api/test_appraisals.py).
OBJECT_CHECK_FIRST = {
    "reviews.submit_step",
    "reviews.acknowledge",
    "appraisals.feedback_nominate",
    "appraisals.feedback_approve",
    "appraisals.feedback_decline",
    "review_feedback.nominate",
    "review_feedback.approve",
    "review_feedback.decline",
    "review_feedback.answer",
    "appraisals.goal_create",
    "appraisals.goal_delete",
    "appraisals.goal_check_in",
    "appraisals.goals_agree",
    "review_goals.list_goals",
    "review_goals.get_goal",
    "review_goals.create_goal",
    "review_goals.update_goal",
    "review_goals.delete_goal",
    "review_goals.agree_goals",
    "review_goals.check_in",
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"routes without an entry in the role matrix: {sorted(missing)}"
    assert not MATRIX.keys() - endpoints, "matrix entries for routes that no longer exist"


def _url(app, rule, ids):
    values = {arg: ids[arg] for arg in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.mark.parametrize("role", ROLES + ("anonymous",))
def test_each_role_reaches_exactly_its_routes(app, login, role):
    owner = factories.create_user("manager")
    from app.auth.services import issue_token

    token, _ = issue_token(owner, "matrix")
    db.session.commit()
    department = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-MGR", department, "电商部经理")
    employee = factories.create_employee("E1", "王强", position=position)
    from app.jobs import library
    from app.jobs import services as jobs

    kpi, competency = factories.create_kpi("SALES", "销售额"), factories.create_competency("OPS", "电商运营能力")
    draft = jobs.start_draft(position, owner, content=factories.jd_content("电商部经理"))
    template = library.create_template("电商部经理", factories.jd_content("电商部经理"))
    from app.appraisals import services as appraisals
    from app.appraisals.services import launch

    cycle = appraisals.create_cycle(
        appraisals.CycleData(name="2026-11", period_type="monthly", start_date=date(2026, 11, 1))
    )
    launch.launch_cycle(cycle)
    task = factories.create_task(owner)
    db.session.commit()
    review_id = db.session.scalar(db.select(Review.id))
    ids = {
        "task_id": task.id,
        "user_id": owner.id,
        "token_id": token.id,
        "filename": "css/app.css",
        "department_id": department.id,
        "position_id": position.id,
        "employee_id": employee.id,
        "assignment_id": employee.assignments[0].id,
        "version_id": draft.id,
        "kpi_id": kpi.id,
        "competency_id": competency.id,
        "template_id": template.id,
        "kind": "departments",
        "fmt": "csv",
        "token": "x" * 43,
        "cycle_id": cycle.id,
        "review_id": review_id,
        "exclusion_id": 1,
        "plan_id": 1,
        "improvement_plan_id": 1,
        "key": "org.positions",
        "action_name": "archive",
        "notification_id": 1,
        "mail_id": 1,
        "nomination_id": 1,
        "goal_id": 1,
    }
    client = app.test_client() if role == "anonymous" else login(role)
    checked = 0
    for rule in app.url_map.iter_rules():
        allowed = MATRIX[rule.endpoint]
        if rule.endpoint in {"bootstrap.static", "auth.logout"}:
            continue  # logging out mid-matrix would end the session being tested
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        url = _url(app, rule, ids)
        response = client.open(url, method=method)
        if allowed == PUBLIC:
            assert response.status_code < 400, (url, response.status_code)
        elif role == "anonymous" and url.startswith("/api/") and rule.endpoint != "api_reference.page":
            assert response.status_code == 401 and response.json["code"] == 401, (method, url)
        elif role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], url
        elif role in allowed and rule.endpoint in OBJECT_CHECK_FIRST:
            assert response.status_code not in (401, 500), (role, url, response.status_code)
        elif role in allowed:
            assert response.status_code not in (401, 403, 500), (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url, response.status_code)
        checked += 1
    assert checked >= len(MATRIX) - 2
