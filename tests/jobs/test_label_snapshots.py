"""A version keeps its own copy of the KPI and competency labels it shows (code, name, unit,
direction, descriptions): editing the libraries never changes a published version, its
comparisons, its PDF or its API document. Comparisons show numbers in full and see every change."""

from __future__ import annotations

from app.documents import context
from app.extensions import db
from app.jobs import library, services
from app.jobs.compare import compare_contents, compare_versions
from app.jobs.content import clean_content, version_content, version_document, without_ids
from tests import factories
from tests.jobs.conftest import good_content


def _edit_libraries(shop):
    library.update_kpi(shop.sales, library.KpiData(code="SALES-NEW", name="成交额", unit="万元"), None)
    library.update_competency(
        shop.service,
        library.CompetencyData(
            code="CRM-NEW", name="客户经营能力", description="新的说明", levels=[f"新等级{n}" for n in range(1, 6)]
        ),
        None,
    )
    db.session.commit()
    db.session.expire_all()


def test_editing_the_libraries_leaves_a_published_version_alone(shop, login):
    library.update_kpi(shop.sales, library.KpiData(code="SALES", name="销售额", unit="元"), None)
    library.update_competency(
        shop.service,
        library.CompetencyData(
            code="CRM", name="客户关系管理能力", description="维护客户", levels=[f"等级{n}" for n in range(1, 6)]
        ),
        None,
    )
    v1 = factories.publish_jd(shop.agent, good_content(shop))
    before_pdf = context.job_description(services.get_version(v1.id))
    before_form = context.appraisal_form(shop.agent, services.get_version(v1.id))
    draft = services.start_draft(shop.agent, None)  # a copy of v1, made before the edit
    db.session.commit()
    draft_id = draft.id
    client = login("hr")

    _edit_libraries(shop)

    v1 = services.get_version(v1.id)
    assert context.job_description(v1) == before_pdf
    assert context.appraisal_form(shop.agent, v1) == before_form
    kpi, competency = version_document(v1)["kpis"][0], version_document(v1)["competencies"][0]
    assert (kpi["code"], kpi["name"], kpi["unit"], kpi["direction"]) == ("SALES", "销售额", "元", "higher")
    assert (competency["code"], competency["name"], competency["level_description"]) == (
        "CRM",
        "客户关系管理能力",
        "等级3",
    )
    assert v1.competencies[0].competency_description == "维护客户"

    page = client.get(f"/jobs/versions/{v1.id}").get_data(as_text=True)
    assert "销售额" in page and "等级3" in page
    assert "成交额" not in page and "新等级3" not in page and "万元" not in page
    api = client.get(f"/api/v1/job-descriptions/versions/{v1.id}").get_json()
    assert api["kpis"][0]["name"] == "销售额" and api["competencies"][0]["name"] == "客户关系管理能力"

    # The draft copied before the edit shows what v1 shows: nothing to compare.
    assert compare_versions(v1, services.get_version(draft_id)).identical
    page = client.get(f"/jobs/versions/{draft_id}/compare?with={v1.id}").get_data(as_text=True)
    assert "成交额" not in page

    # Saving the draft takes today's labels; the comparison then shows the rename.
    draft = services.get_version(draft_id)
    services.save_content(draft, without_ids(version_content(draft)), None, draft.version)
    db.session.commit()
    result = compare_versions(services.get_version(v1.id), services.get_version(draft_id))
    assert [(r.status, r.old, r.new) for r in result.kpis] == [
        ("changed", "销售额 (元, Monthly)", "成交额 (万元, Monthly)")
    ]
    assert [(r.status, r.old, r.new) for r in result.competencies] == [("changed", "客户关系管理能力", "客户经营能力")]
    assert "新等级3" in result.competencies[0].new_meta
    page = client.get(f"/jobs/versions/{draft_id}/compare?with={v1.id}").get_data(as_text=True)
    assert "销售额" in page and "成交额" in page


def test_a_new_draft_from_a_template_or_the_editor_takes_the_librarys_labels(shop):
    v1 = factories.publish_jd(shop.agent, good_content(shop))
    _edit_libraries(shop)
    draft = services.start_draft(shop.agent, None, content=good_content(shop))
    db.session.commit()
    document = version_document(services.get_version(draft.id))
    assert (document["kpis"][0]["code"], document["kpis"][0]["name"], document["kpis"][0]["unit"]) == (
        "SALES-NEW",
        "成交额",
        "万元",
    )
    assert document["competencies"][0]["level_description"] == "新等级3"
    assert version_document(services.get_version(v1.id))["kpis"][0]["name"] == "销售额"


def test_comparisons_see_every_change_and_show_numbers_in_full(shop):
    def content(target, threshold):
        return clean_content(good_content(shop, kpis=[(shop.sales, target, 100, "monthly", threshold, None)]))

    result = compare_contents(content(12345678, 1800000), content(12345700, 1800000))
    row = result.kpis[0]
    assert row.status == "changed"  # ":g" showed both as 1.23457e+07, "same"
    assert "12,345,678" in row.old_meta and "12,345,700" in row.new_meta
    assert "1,800,000" in row.old_meta and "e+" not in row.old_meta + row.new_meta
    assert compare_contents(content(0.985, 0.5), content(0.9851, 0.5)).kpis[0].status == "changed"
    same = compare_contents(content(1800000, 0.5), content(1800000.0, 0.5)).kpis[0]
    assert same.status == "same" and "1,800,000" in same.old_meta and "0.5" in same.old_meta
