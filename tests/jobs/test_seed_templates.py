"""Every job description of the seeds can be used: the demo positions' own, and the others as
base job descriptions of the library, imported from the seed text with their duties and
requirements, from which a draft can be started."""

from __future__ import annotations

from sqlalchemy import select

from app.demo import job_descriptions
from app.extensions import db
from app.jobs import library, lint, services
from app.jobs.models import JobTemplate
from tests import factories

# The position descriptions of seed 001 第三篇 and 第四篇 and of seed 004 that no demo position
# uses: (template name, its first duty as the seed writes it, its number of duties).
SEED_ONLY = {
    "电商部经理（市场总监兼任）": (
        "负责统筹本部门各岗位(运营策划、设计文案、美工摄影、客服、物流商品等)的整体工作",
        15,
    ),
    "电商策划": ("根据销售需求:定期或不定期策划网店及分销客户线上专题活动或节日活动", 15),
    "设计文案": ("商城页面设计:商城页面包括首页、详情页以及分类页的设计及修改", 14),
    "商城客服": ("熟悉客服工作平台操作、熟悉本店所有产品", 7),
    "电商版块维护专员": ("商品需求:根据销售订单,与采购部、仓储部、联营商家交接商品(数量、款号等)", 11),
    "电子商务部经理": (
        "研究负责公司网站的功能策划,在线宣传推广,活动策划及日常运营。领导,组建并管理网站运营,团队电子商务部门人员管理",
        5,
    ),
    "网站编辑与维护": ("负责网站产品的内容编辑和新品录入,使商品展示内容丰富化,多样化,品牌化", 7),
    "客户服务": ("准确熟练掌握业务知识,介绍产品及服务内容", 10),
    "领货送货": ("准确熟练掌握业务知识,熟悉工作流程", 5),
    "电子商务经理": ("制定电子商务业务的战略规划和年度计划,确保与公司整体目标一致。", 6),
}


def test_every_seed_job_description_is_a_base_job_description(ctx):
    job_descriptions._load_templates()
    db.session.commit()
    templates = {t.name: t for t in db.session.scalars(select(JobTemplate))}
    for name, (first, count) in SEED_ONLY.items():
        assert name in templates, name
        duties = [d["text"] for s in templates[name].content["sections"] for d in s["duties"]]
        assert duties[0].rstrip("。") == first.rstrip("。") and len(duties) == count, (name, duties)
        assert templates[name].source in ("电子商务部职责汇编", "电子商务部门经理关键工作能力")  # a document's title
    requirements = {r["text"]: r["kind"] for r in templates["领货送货"].content["requirements"]}
    assert requirements["中专以上学历"] == "education"
    # Loading again creates nothing twice.
    assert job_descriptions._load_templates() == 0


def test_a_draft_starts_from_a_seed_template_and_its_age_limit_is_flagged(ctx):
    job_descriptions._load_templates()
    template = db.session.scalar(select(JobTemplate).where(JobTemplate.name == "客户服务"))
    position = factories.create_position("CS-X", factories.create_department("CS", "客服部"), "客服代表")
    version = library.draft_from_template(position, template, None)
    db.session.commit()
    version = services.get_version(version.id)
    assert version.title == "客服代表" and len(version.duties) == 10
    assert "年龄20-26之间" in [r.text for r in version.requirements]
    assert any(f.rule.startswith("discrimination") for f in lint.lint_version(version))
