"""Duty coverage (职能覆盖, issue 17 points 7–9): a department's functions as ordered items whose
ids survive edits, links from duties to them as part of a version's content, suggestions, the
coverage matrix (gaps, overlaps, orphans), its spreadsheet, the linter's gap warning, and the
pages that edit functions and confirm links."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.errors import Conflict, ServiceError
from app.extensions import db
from app.jobs import coverage, lint
from app.jobs import services as jobs
from app.jobs.content import version_content, without_ids
from app.jobs.immutability import FrozenVersion
from app.jobs.models import DutyFunction
from app.org import services as org
from app.org.models import DepartmentFunction
from tests import factories
from tests.jobs.conftest import good_content

FUNCTIONS = [
    ("客户服务", "及时处理线上客户咨询、投诉和售后服务，提高客户满意度"),
    ("数据分析", "收集、分析电子商务数据，如流量、转化率，撰写运营报告"),
    ("新业务拓展", "关注电子商务行业动态和新技术应用，探索新的业务模式"),
]


@pytest.fixture
def functions(shop):
    org.save_functions(shop.department, [org.FunctionItem(None, t, x) for t, x in FUNCTIONS], seen_version=None)
    db.session.commit()
    return {f.title: f for f in shop.department.functions}


def _linked(shop, position, links: dict[str, list], title="在线客服"):
    """A published version of ``position`` whose duties (the keys) serve these functions."""
    content = good_content(shop, title, duties=list(links))
    for duty, served in zip(content["sections"][0]["duties"], links.values(), strict=True):
        duty["functions"] = [f.id for f in served]
    return factories.publish_jd(position, content)


# --- point 7: functions -----------------------------------------------------------------------------


def test_functions_keep_their_ids_when_reordered_edited_and_when_saved_as_lines(shop, functions):
    service, data, new = functions["客户服务"], functions["数据分析"], functions["新业务拓展"]
    version = shop.department.version
    org.save_functions(
        shop.department,
        [org.FunctionItem(new.id, "拓展", new.text), org.FunctionItem(service.id, service.title, service.text)],
        seen_version=version,
    )
    db.session.commit()
    rows = list(db.session.scalars(select(DepartmentFunction).order_by(DepartmentFunction.position)))
    assert [(f.id, f.title) for f in rows] == [(new.id, "拓展"), (service.id, "客户服务")]
    assert shop.department.version == version + 1  # a change of the department
    # The department form, the API and spreadsheets send texts: rows with unchanged texts stay.
    org.update_department(
        shop.department,
        org.DepartmentData(code="EC", name="电商部", functions=[service.text, "新的职能", new.text]),
        seen_version=None,
    )
    db.session.commit()
    rows = list(db.session.scalars(select(DepartmentFunction).order_by(DepartmentFunction.position)))
    assert [f.id for f in rows][0::2] == [service.id, new.id] and rows[1].text == "新的职能"
    assert data.id not in {f.id for f in rows}


def test_bad_function_edits_are_refused_by_item_and_change_nothing(shop, functions):
    version = shop.department.version
    items = [
        org.FunctionItem(None, "x" * 121, "ok"),
        org.FunctionItem(functions["客户服务"].id, "", ""),
        org.FunctionItem(999999, "", "someone else's"),
    ]
    with pytest.raises(ServiceError) as error:
        org.save_functions(shop.department, items, seen_version=version)
    assert set(error.value.errors) == {"functions.0.title", "functions.1.text", "functions.2.id"}
    db.session.rollback()
    with pytest.raises(Conflict):
        org.save_functions(shop.department, [], seen_version=version - 1 or 99)
    db.session.rollback()
    assert [f.title for f in shop.department.functions] == [t for t, _x in FUNCTIONS]


def test_the_migration_splits_run_together_functions_as_the_parser_splits_duties():
    from importlib import import_module

    migration = import_module("migrations.versions.20261206_coverage17_duty_coverage")
    assert migration._pieces("1.负责网店日常维护；2.负责网络推广") == ["负责网店日常维护", "负责网络推广"]
    assert migration._pieces("负责网店装修、改版、上架；图片拍摄") == ["负责网店装修、改版、上架；图片拍摄"]


# --- point 8: links and suggestions --------------------------------------------------------------------


def test_links_travel_with_the_content_and_freeze_with_the_published_version(shop, functions):
    service = functions["客户服务"]
    published = _linked(shop, shop.agent, {"通过阿里旺旺解答客户咨询": [service], "处理售后问题": []})
    assert [d["functions"] for d in version_content(published)["sections"][0]["duties"]] == [[service.id], []]
    draft = jobs.start_draft(shop.agent, None)  # a copy of the published version
    db.session.commit()
    assert [d["functions"] for d in version_content(draft)["sections"][0]["duties"]] == [[service.id], []]
    # The editor form sends no links: they stay.
    content = version_content(draft)
    for duty in content["sections"][0]["duties"]:
        del duty["functions"]
    jobs.save_content(draft, content, None, draft.version)
    db.session.commit()
    assert version_content(draft)["sections"][0]["duties"][0]["functions"] == [service.id]
    # A published version's links never change.
    with pytest.raises(FrozenVersion):
        published.duties[1].function_links.append(DutyFunction(function_id=service.id, function_label="x"))
        db.session.flush()
    db.session.rollback()
    # A removed function leaves the published link with its label, and a new draft without it.
    org.save_functions(
        shop.department,
        [org.FunctionItem(f.id, f.title, f.text) for f in shop.department.functions if f.id != service.id],
        seen_version=None,
    )
    jobs.discard_draft(draft)
    db.session.commit()
    db.session.expire_all()
    link = db.session.scalar(select(DutyFunction).where(DutyFunction.duty_id == published.duties[0].id))
    assert link.function_id is None and "客户服务" in link.function_label
    fresh = jobs.start_draft(shop.agent, None)
    assert version_content(fresh)["sections"][0]["duties"][0]["functions"] == []


def test_links_to_another_departments_functions_are_refused_at_the_duty(shop, functions):
    other = factories.create_department("MKT", "市场部", functions=["市场调研"])
    content = good_content(shop)
    content["sections"][0]["duties"][1]["functions"] = [other.functions[0].id]
    with pytest.raises(ServiceError) as error:
        jobs.start_draft(shop.agent, None, content=content)
    assert list(error.value.errors) == ["sections.0.duties.1.functions"]


def test_suggestions_find_the_function_a_duty_serves_in_chinese_and_english(shop, functions):
    found = coverage.suggest(
        ["收集客户反馈，及时回复客户咨询和投诉", "分析店铺流量和转化率数据", "打扫办公室"], list(functions.values())
    )
    assert found[0][0][0] == functions["客户服务"].id
    assert found[1][0][0] == functions["数据分析"].id
    assert found[2] == []  # nothing similar enough
    english = [
        DepartmentFunction(id=1, title="Customer service", text="Answer customer questions and complaints"),
        DepartmentFunction(id=2, title="Reporting", text="Analyse traffic and conversion data, write reports"),
    ]
    ranked = coverage.suggest(["Answer questions from customers by chat", "Write the weekly traffic report"], english)
    assert [r[0][0] for r in ranked] == [1, 2]
    # Traditional characters match the Simplified function.
    assert coverage.suggest(["處理客戶諮詢和投訴"], list(functions.values()))[0][0][0] == functions["客户服务"].id


def test_save_links_checks_state_duties_functions_and_version(shop, functions):
    draft = jobs.start_draft(shop.agent, None, content=good_content(shop))
    db.session.commit()
    first, second = draft.duties
    with pytest.raises(ServiceError) as error:
        coverage.save_links(
            draft, [(first.id, [functions["客户服务"].id]), (second.id, [999999]), (123456, [])], None, draft.version
        )
    assert set(error.value.errors) == {"duties.1.functions", "duties.2.id"}
    db.session.rollback()
    assert first.function_links == []
    seen = draft.version
    coverage.save_links(draft, [(first.id, [functions["客户服务"].id])], None, seen)
    db.session.commit()
    assert [link.function_id for link in first.function_links] == [functions["客户服务"].id]
    from app.audit.models import AuditEvent

    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "jd_duty_functions")).all()
    assert [(e.action, e.label) for e in audited][-1:] == [("create", functions["客户服务"].label)]
    with pytest.raises(Conflict):
        coverage.save_links(draft, [(first.id, [])], None, seen)
    db.session.rollback()
    published = _linked(shop, shop.boss, {"统筹电商部": []}, "电商部经理")
    with pytest.raises(ServiceError):
        coverage.save_links(published, [(published.duties[0].id, [functions["客户服务"].id])], None, published.version)


# --- point 9: the matrix, the spreadsheet, the linter -----------------------------------------------------


def test_the_matrix_finds_gaps_overlaps_and_orphans(shop, functions):
    service, data = functions["客户服务"], functions["数据分析"]
    _linked(shop, shop.agent, {"通过阿里旺旺解答客户咨询": [service], "打扫": []})
    _linked(shop, shop.boss, {"统筹客服": [service, data]}, "电商部经理")
    extra = factories.create_position("EC-X", shop.department, "客服二")
    _linked(shop, extra, {"回复客户咨询": [service]}, "客服二")
    factories.create_position("EC-NONE", shop.department, "无说明书")
    matrix = coverage.department_matrix(shop.department, limit=2)
    assert [f.title for f in matrix.gaps] == ["新业务拓展"]
    assert [(f.title, len(cols)) for f, cols in matrix.overlaps] == [("客户服务", 3)]
    assert [(c.position.code, d.text) for c, d in matrix.orphans] == [("EC-CS", "打扫")]
    assert [c.version is None for c in matrix.columns] == [False, False, True, False]
    assert coverage.department_matrix(shop.department, limit=3).overlaps == []
    document = coverage.matrix_document(matrix)
    assert [g["title"] for g in document["gaps"]] == ["新业务拓展"]
    assert set(document["overlaps"][0]["position_ids"]) == {shop.agent.id, shop.boss.id, extra.id}


def test_the_matrix_takes_a_fixed_number_of_queries(shop, functions, count_queries):
    for n in range(3):
        position = factories.create_position(f"EC-{n}", shop.department, f"岗位{n}")
        _linked(shop, position, {f"回复客户咨询{n}": [functions["客户服务"]]}, f"岗位{n}")
    db.session.expire_all()
    department = db.session.get(type(shop.department), shop.department.id)
    with count_queries() as few:
        coverage.department_matrix(department)
    factories.create_position("EC-9", shop.department, "岗位9")
    _linked(
        shop,
        db.session.scalar(select(type(shop.boss)).where(type(shop.boss).code == "EC-9")),
        {"回复客户咨询9": [functions["数据分析"]]},
        "岗位9",
    )
    db.session.expire_all()
    department = db.session.get(type(shop.department), shop.department.id)
    with count_queries() as more:
        coverage.department_matrix(department)
    assert len(more) == len(few)


def test_the_spreadsheet_is_formula_safe(shop, functions):
    org.save_functions(
        shop.department, [org.FunctionItem(None, '=HYPERLINK("x")', "+cmd|' /C calc'!A0")], seen_version=None
    )
    db.session.commit()
    sheets = coverage.matrix_sheets(coverage.department_matrix(shop.department))
    from app.core.spreadsheets import xlsx_bytes

    book = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    values = [cell.value for row in book.worksheets[0].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("x")' in values and "'+cmd|' /C calc'!A0" in values
    assert not any(v.startswith(("=", "+")) for v in values)


def test_the_linter_warns_about_gaps_when_a_version_is_submitted(shop, functions):
    _linked(shop, shop.boss, {"统筹客服": [functions["客户服务"]]}, "电商部经理")
    draft = jobs.start_draft(shop.agent, None, content=good_content(shop))
    assert not [f for f in lint.lint_version(draft) if f.rule == "coverage-gap"]  # a draft: not yet
    jobs.submit(draft, None)
    gaps = [f for f in lint.lint_version(draft) if f.rule == "coverage-gap"]
    assert sorted(f.subject for f in gaps) == sorted([functions["数据分析"].text, functions["新业务拓展"].text])
    # Linking the submitted version's duty to a gap closes it (HR confirms links in review).
    coverage.save_links(draft, [(draft.duties[0].id, [functions["数据分析"].id])], None, draft.version)
    assert [f.subject for f in lint.lint_version(draft) if f.rule == "coverage-gap"] == [functions["新业务拓展"].text]


def test_no_gap_warning_for_a_department_that_links_nothing(shop, functions):
    draft = jobs.start_draft(shop.agent, None, content=good_content(shop))
    jobs.submit(draft, None)
    assert not [f for f in lint.lint_version(draft) if f.rule == "coverage-gap"]


# --- pages ---------------------------------------------------------------------------------------------


def test_hr_edits_functions_on_the_department_page(shop, functions, login):
    client = login("hr")
    page = client.get(f"/org/departments/{shop.department.id}/functions")
    assert page.status_code == 200 and "客户服务" in page.get_data(as_text=True)
    ids = [f.id for f in shop.department.functions]
    data = {"version": shop.department.version}
    rows = [
        (ids[2], 1, "拓展", FUNCTIONS[2][1], False),
        (ids[0], 2, "客户服务", FUNCTIONS[0][1], False),
        (ids[1], 3, "数据分析", FUNCTIONS[1][1], True),
        ("", 4, "", "新增的职能", False),
    ]
    for i, (fid, order, title, text, remove) in enumerate(rows):
        data.update(
            {
                f"functions-{i}-function_id": fid,
                f"functions-{i}-order": order,
                f"functions-{i}-title": title,
                f"functions-{i}-text": text,
            }
        )
        if remove:
            data[f"functions-{i}-remove"] = "y"
    assert client.post(f"/org/departments/{shop.department.id}/functions", data=data).status_code == 302
    db.session.expire_all()
    assert [(f.id, f.title, f.text) for f in shop.department.functions][:2] == [
        (ids[2], "拓展", FUNCTIONS[2][1]),
        (ids[0], "客户服务", FUNCTIONS[0][1]),
    ]
    assert shop.department.functions[2].text == "新增的职能" and len(shop.department.functions) == 3
    # Bad input: the message next to the row, the input kept, nothing saved.
    data = {
        "version": shop.department.version,
        "functions-0-function_id": ids[0],
        "functions-0-order": "1",
        "functions-0-title": "",
        "functions-0-text": "",
        "functions-1-function_id": "",
        "functions-1-order": "x",
        "functions-1-text": "保留的输入",
    }
    response = client.post(f"/org/departments/{shop.department.id}/functions", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "保留的输入" in html and "invalid-feedback" in html
    db.session.expire_all()
    assert len(shop.department.functions) == 3
    assert login("manager").get(f"/org/departments/{shop.department.id}/functions").status_code == 403


def test_the_department_page_shows_the_matrix_to_hr_and_the_head_only(shop, functions, login, app):
    _linked(shop, shop.agent, {"通过阿里旺旺解答客户咨询": [functions["客户服务"]]})
    html = login("hr").get(f"/org/departments/{shop.department.id}").get_data(as_text=True)
    assert 'data-testid="coverage"' in html and "新业务拓展" in html and 'data-testid="gap-count"' in html
    assert "2 gap(s)" in html
    employee = factories.logged_in_client(app, shop.employee_user)
    assert 'data-testid="coverage"' not in employee.get(f"/org/departments/{shop.department.id}").get_data(as_text=True)
    head = factories.logged_in_client(app, shop.manager_user)
    assert 'data-testid="coverage"' not in head.get(f"/org/departments/{shop.department.id}").get_data(as_text=True)
    shop.department.head_position_id = shop.boss.id
    db.session.commit()
    head = factories.logged_in_client(app, shop.manager_user)
    assert 'data-testid="coverage"' in head.get(f"/org/departments/{shop.department.id}").get_data(as_text=True)
    xlsx = head.get(f"/jobs/departments/{shop.department.id}/coverage.xlsx")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.data)).sheetnames[0]
    other = factories.create_department("FIN2", "财务二部")
    assert head.get(f"/jobs/departments/{other.id}/coverage.xlsx").status_code == 404


def test_hr_confirms_suggested_links_on_one_screen(shop, functions, login):
    content = good_content(shop, duties=["收集客户反馈，及时回复客户咨询和投诉", "打扫办公室"])
    draft = jobs.start_draft(shop.agent, None, content=content)
    jobs.submit(draft, None)
    db.session.commit()
    client = login("hr")
    page = client.get(f"/jobs/versions/{draft.id}/links?suggest=1")
    html = page.get_data(as_text=True)
    first, second = draft.duties
    assert page.status_code == 200 and 'data-testid="suggested"' in html
    assert (
        f'name="links-{first.id}" value="{functions["客户服务"].id}" id="l{first.id}-{functions["客户服务"].id}" checked'
        in html
    )
    data = {"version": draft.version, f"links-{first.id}": [functions["客户服务"].id]}
    assert client.post(f"/jobs/versions/{draft.id}/links", data=data).status_code == 302
    db.session.expire_all()
    assert [link.function_id for link in first.function_links] == [functions["客户服务"].id]
    assert second.function_links == []
    # A stale form is refused (409) with the ticks kept; a foreign function at the duty (422).
    stale = client.post(
        f"/jobs/versions/{draft.id}/links", data={**data, f"links-{second.id}": [functions["数据分析"].id]}
    )
    assert stale.status_code == 409
    bad = client.post(
        f"/jobs/versions/{draft.id}/links", data={"version": draft.version, f"links-{second.id}": ["999999"]}
    )
    assert bad.status_code == 422 and "invalid-feedback" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert second.function_links == []


def test_a_department_head_drafts_links_for_their_subtree_only(shop, functions, app):
    shop.department.head_position_id = shop.boss.id
    draft = jobs.start_draft(shop.agent, None, content=good_content(shop))
    foreign = jobs.start_draft(shop.clerk, None, content=good_content(shop, "会计"))
    db.session.commit()
    head = factories.logged_in_client(app, shop.manager_user)
    data = {"version": draft.version, f"links-{draft.duties[0].id}": [functions["客户服务"].id]}
    assert head.post(f"/jobs/versions/{draft.id}/links", data=data).status_code == 302
    assert head.post(f"/jobs/versions/{foreign.id}/links", data={"version": foreign.version}).status_code in (403, 404)
    jobs.submit(draft, None)
    db.session.commit()
    # In review, HR confirms: the head no longer changes them.
    assert head.post(f"/jobs/versions/{draft.id}/links", data={"version": draft.version}).status_code == 403


def test_the_position_manual_prints_the_coverage_after_the_headcount_plan(shop, functions):
    from app.documents import manual

    _linked(shop, shop.agent, {"通过阿里旺旺解答客户咨询": [functions["客户服务"]]})
    factories.create_department("EC-SUB", "制作部", parent=shop.department, functions=["网店文案"])  # links nothing
    context = manual.build_context(shop.department, "zh_Hans_CN")
    [block] = context["coverage"]
    assert [f["state"] for f in block["functions"]] == ["", "gap", "gap"]
    assert block["functions"][0]["positions"] == ["在线客服"]
    from app.documents.render import render_html

    html = render_html(manual.TEMPLATE, {**context, "charts": [], "part": "all"}, "zh_Hans_CN")
    assert html.index('id="headcount"') < html.index('id="coverage"') < html.index('class="jds"')
    assert "职能覆盖" in html


def test_effective_dates_do_not_matter_to_the_matrix(shop, functions):
    """A newer published version replaces the older one in the matrix (superseded ones never count)."""
    _linked(shop, shop.agent, {"通过阿里旺旺解答客户咨询": [functions["客户服务"]]})
    draft = jobs.start_draft(shop.agent, None)
    content = without_ids(version_content(draft))
    content["sections"][0]["duties"][0]["functions"] = [functions["数据分析"].id]
    jobs.save_content(draft, content, None, draft.version)
    db.session.commit()
    matrix = coverage.department_matrix(shop.department)
    assert matrix.positions_serving(functions["客户服务"].id)  # the one in force, not the draft
    jobs.submit(draft, None)
    for finding in lint.lint_version(draft):
        jobs.waive(draft, finding.key, "test", None)
    jobs.approve(draft, None)
    jobs.publish(draft, None, date(2026, 6, 1))
    db.session.commit()
    matrix = coverage.department_matrix(shop.department)
    assert not matrix.positions_serving(functions["客户服务"].id)
    assert matrix.positions_serving(functions["数据分析"].id)
