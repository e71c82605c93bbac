"""The demo organisation: 中山市纳迪服饰有限公司, the company of the 2014 charter in seed 001.

Plain data only; ``app.demo.services.load_organisation`` feeds it to the org services. The
seeds are the texts in ``app/demo/seeds`` (see their README):

- seed 001 "篇三" — the charter of 中山纳迪服饰's 电商部, dated 2014年2月25日: 部门名称, 服务对象,
  直接上级, 部门性质, 管理权限, 管理职能, 主要职责, 编制 (电商部经理1人，推广人员1人，美工1人，
  在线客服2人；其他职位视实际工作需要增减) and the position descriptions;
- seed 001 "篇二" — the sub-teams 市场部, 财务部, 制作部 (编辑/美编/摄影/运营) and 客服;
- seed 001 "第三篇" — the acting-for rule (在下级岗位空缺时，临时代理下级岗位工作) and the
  service hours of the online customer service;
- seed 004 — the department charter's 部门协作 and 绩效评估, and five positions
  (电子商务经理, 电商运营专员, 电商推广专员, 电商客服专员, 电商数据分析专员).

Everything else (the other departments' heads, grades, the employees and their dates) is
invented but plausible. People's names are made up; the three demo logins keep the names the
login page already shows (王强, 陈静, 李娜, see ``app.demo.services.DEMO_NAMES``).

References between records are by code: a department's parent and a position's superior,
dotted-line superiors and acting-for post must come earlier in their tuple, so that one pass
in order creates everything; a collaboration partner is matched by the service against the
departments' names, so the partner departments come before 电商部.
"""

from __future__ import annotations

from datetime import date

COMPANY = "中山市纳迪服饰有限公司"
EMAIL_DOMAIN = "nadi.example"

# --- departments ------------------------------------------------------------------------
# Keys: code, name, parent (code), head (position code), nature (部门性质), service_object
# (服务对象), authority (管理权限), management_functions (管理职能), functions (主要职责),
# collaborations ((partner, duty), 部门协作), evaluation_criteria (绩效评估).

DEPARTMENTS: tuple[dict, ...] = (
    # Invented: the charter's 直接上级 is the 总经理, who needs a department to sit in.
    dict(
        code="GM",
        name="总经理办公室",
        parent=None,
        head="GM-GM",
        nature="经营管理",
        service_object="公司各部门",
        management_functions="负责公司经营决策、年度目标制定与各部门的统筹协调。",
        functions=(
            "制定公司发展战略和年度经营目标",
            "审批各部门的工作计划、预算和人员编制",
            "协调各部门之间的工作关系",
        ),
    ),
    # Invented, small: the demo HR account needs an employee (seed 001 第三篇 has the 电商部经理
    # recruit "在人事行政人员协助下").
    dict(
        code="HR",
        name="人力资源部",
        parent="GM",
        head="HR-MGR",
        nature="人事行政",
        service_object="公司各部门及员工",
        functions=(
            "根据各部门的人员规划拟定招募计划，协助各部门对空缺岗位进行招募",
            "办理员工入职、转正、调岗和离职手续",
            "组织编制和维护各岗位的岗位说明书",
            "组织绩效考核，汇总考核结果",
        ),
    ),
    # Seed 001 篇二 "市场部" 1–5 (cleaned).
    dict(
        code="MKT",
        name="市场部",
        parent="GM",
        head="MKT-MGR",
        nature="市场开拓",
        service_object="企业客户、合作伙伴",
        functions=(
            "对接企业客户，宣传电商模式，介绍平台优势，建立初步联系",
            "与建行客户经理沟通，接收各客户企业建店所需资料",
            "完善工作联，了解企业信息，确定合作细节",
            "签订合同，整理合作伙伴的企业资料",
            "将合同与企业资料一同转交财务部进行建店",
        ),
    ),
    # Seed 001 篇二 "财务部" 1–3 (cleaned; item 3 was run together with item 2 on one line).
    dict(
        code="FIN",
        name="财务部",
        parent="GM",
        head="FIN-MGR",
        nature="财务管理",
        service_object="公司各部门",
        functions=(
            "负责合同存档、工作联存档",
            "开设淘宝及天猫店铺的会员号及支付宝账号",
            "督促客户缴纳保证金，管理账户密码",
        ),
    ),
    # Seed 001 篇二 "客服" 1–5, plus the order rule of seed 001 第三篇 "五、订单管理" 2. A
    # company-wide department (hotline, after-sales), so that seed 004's "与客服部门协同" has
    # a real partner; 电商部 keeps its own 在线客服 posts, as its charter says.
    dict(
        code="CS",
        name="客服部",
        parent="GM",
        head="CS-LEAD",
        nature="客户服务",
        service_object="顾客",
        functions=(
            "通过淘宝旺旺耐心回答客户提出的各种问题，达成双方愉快交易，处理订货信息",
            "熟悉淘宝的各种操作规则，处理客户要求，修改价格",
            "解答顾客提问，引导顾客进行购买，促成交易",
            "为网上客户提供售后服务，及时解决客户提出的问题和要求，并能解决一般投诉",
            "客户关系维护，处理相关客户投诉及纠纷问题",
            "订单受理后10分钟内与客户取得联系，确认订单信息的有效性",
        ),
    ),
    # Seed 001 篇三: the 2014 charter of 电商部 (服务对象, 部门性质, 管理权限, 管理职能 and
    # 主要职责 1–5 and 8 — the charter skips 6 and 7 — cleaned of the run-together items; then
    # three functions of seed 004).
    # 部门协作 and 绩效评估: seed 004 "三、部门协作" 1–4 and "四、绩效评估" 1–4. The service
    # links 市场部 and 客服部 to those departments; 产品部门 and 供应链部门 stay names.
    dict(
        code="EC",
        name="电商部",
        parent="GM",
        head="EC-MGR",
        nature="网络销售，推广",
        service_object="顾客",
        authority="受总经理委托，行使对公司产品网络销售的管理和实施，承担执行公司规章制度、管理制度、工作指令的义务。",
        management_functions="负责公司产品网络销售及管理相关事务的管理和实施的专职管理部门，对所承担的工作负责。",
        functions=(
            "负责网店日常维护，优化店铺与商品排名",
            "负责网络站内站外推广工作；策划店铺促销活动方案",
            "负责站内流量分析，制定主推款和关键词，分析数据",
            "负责官网的维护与修改",
            "负责网店装修、改版、上架；图片拍摄与平面处理",
            "负责网络正常运营及管理",
            # Seed 004 "二、主要职能" 3, 4 and 8, which the 2014 charter lacks: nine functions,
            # titled as seed 004 titles them. No demo position serves 新业务拓展 (the coverage
            # matrix's one gap; see jd_data.DUTY_FUNCTIONS).
            (
                "客户服务",
                "及时处理线上客户咨询、投诉和售后服务，提高客户满意度；收集客户反馈，为产品改进和服务优化提供依据",
            ),
            (
                "数据分析与报告",
                "收集、分析电子商务相关数据，如流量、转化率、客单价等，为决策提供支持；定期撰写电子商务运营报告",
            ),
            ("新业务拓展", "关注电子商务行业动态和新技术应用，探索新的业务模式和增长机会"),
        ),
        collaborations=(
            ("市场部", "密切合作，制定并执行整合营销方案"),
            ("产品部门", "沟通反馈客户需求和市场趋势，推动产品创新和优化"),
            ("客服部", "协同处理客户问题，提升客户服务质量"),
            ("供应链部门", "合作保障商品供应和物流配送的顺畅"),
        ),
        evaluation_criteria="\n".join(
            (
                "1. 电子商务销售额、利润等关键业绩指标的达成情况",
                "2. 店铺评分、客户满意度等服务质量指标",
                "3. 营销活动效果评估",
                "4. 团队建设和人才培养成效",
            )
        ),
    ),
    # Seed 001 篇二 "制作部" (编辑/美编/摄影/运营): the content team, placed under 电商部 (whose
    # charter allows "其他职位视实际工作需要增减"). Functions summarise the four roles.
    dict(
        code="EC-PROD",
        name="制作部",
        parent="EC",
        head="PROD-LEAD",
        nature="网店内容制作",
        service_object="电商部",
        functions=(
            "网店文案与产品标题的编辑、优化，核实价格及库存后上架（编辑）",
            "网络店铺视觉规划、设计与店铺装修（美编）",
            "制定产品拍摄排期，拍摄并初步优化产品图片（摄影）",
            "培训淘宝天猫规则，向客服、编辑、美编提供技术支持（运营）",
        ),
    ),
)

# --- positions --------------------------------------------------------------------------
# Keys: code, title, department (code), grade, headcount (编制), reports_to (code), dotted
# (codes), purpose, authority (职责权限), management_responsibility (管理责任),
# working_conditions, acting (code of the post that covers for this one while it is vacant: the
# form's "Covered when vacant by"), acting_note (临时代理).

_SHIFTS = "能适应晚班和轮班"  # seed 001 篇三, 客服 职务要求 3
# seed 001 第三篇: the manager "在下级岗位空缺时，临时代理下级岗位工作"; a peer specialist
# "在同级岗位（客服）空缺时，临时代理岗位工作". Each covered post names the post covering it.
_BY_MANAGER = "{}岗位空缺时，由电商部经理临时代理（其岗位说明：在下级岗位空缺时，临时代理下级岗位工作）。"

POSITIONS: tuple[dict, ...] = (
    # Invented: the top of every reporting line (the charter's 直接上级).
    dict(
        code="GM-GM",
        title="总经理",
        department="GM",
        grade="M5",
        headcount=1,
        purpose="全面负责公司的经营管理，制定公司发展战略和年度经营目标。",
    ),
    dict(
        code="HR-MGR",
        title="人力资源经理",
        department="HR",
        grade="M2",
        headcount=1,
        reports_to="GM-GM",
        purpose="负责公司人员规划、招聘、绩效考核与员工关系管理。",
    ),
    dict(
        code="HR-SPEC",
        title="人事专员",
        department="HR",
        grade="P2",
        headcount=2,
        reports_to="HR-MGR",
        purpose="协助各部门对空缺岗位进行招募，办理员工入职、转正和离职手续，维护岗位说明书。",
    ),
    dict(
        code="MKT-MGR",
        title="市场部经理",
        department="MKT",
        grade="M3",
        headcount=1,
        reports_to="GM-GM",
        purpose="统筹市场部工作，负责企业客户开拓与合作伙伴关系，为电商部提供市场与竞争信息。",
    ),
    dict(
        code="MKT-SPEC",
        title="市场专员",
        department="MKT",
        grade="P2",
        headcount=2,
        reports_to="MKT-MGR",
        purpose="对接企业客户，宣传电商模式，确定合作细节并签订合同，将合同与企业资料转交财务部建店。",
    ),
    dict(
        code="FIN-MGR",
        title="财务主管",
        department="FIN",
        grade="M2",
        headcount=1,
        reports_to="GM-GM",
        purpose="负责公司财务核算、资金管理和各网店账户的管理。",
    ),
    dict(
        code="FIN-ACC",
        title="会计",
        department="FIN",
        grade="P2",
        headcount=1,
        reports_to="FIN-MGR",
        purpose="负责合同存档、工作联存档和日常账务处理。",
    ),
    dict(
        code="FIN-CASH",
        title="出纳",
        department="FIN",
        grade="P1",
        headcount=1,
        reports_to="FIN-MGR",
        purpose="开设淘宝及天猫店铺的会员号及支付宝账号，督促客户缴纳保证金，管理账户密码。",
    ),
    # 客服部: the head is invented; 客服 from seed 001 篇二. Headcount 3 with four holders: the
    # over-staffed post of the headcount report (a peak-season hire kept on).
    dict(
        code="CS-LEAD",
        title="客服主管",
        department="CS",
        grade="M1",
        headcount=1,
        reports_to="GM-GM",
        purpose="负责建立客户服务团队并培训客服人员，组织公司产品的售后服务工作，处理客户严重投诉。",
        working_conditions="周六及周日由后台客服人员轮班值班。",
    ),
    dict(
        code="CS-AGENT",
        title="客服",
        department="CS",
        grade="P1",
        headcount=3,
        reports_to="CS-LEAD",
        purpose="通过淘宝旺旺和客服热线解答客户提出的各种问题，处理订货信息，提供售后服务并解决一般投诉。",
        working_conditions=_SHIFTS + "；在线客服服务时间为8:30—21:00，其余时间值班客服接听400客服热线。",
    ),
    # 电商部, seed 001 篇三. Seed 004's 电子商务经理 is the same post as the charter's 电商部经理:
    # both head the e-commerce department, report to the 总经理 and manage its operations,
    # promotion and customer-service staff; two posts would give one team two heads and two
    # reporting lines. So the seed-004 duties go into this post's purpose.
    dict(
        code="EC-MGR",
        title="电商部经理",
        department="EC",
        grade="M3",
        headcount=1,
        reports_to="GM-GM",
        purpose="（即岗位说明中的“电子商务经理”）制定电子商务业务的战略规划和年度计划，管理和协调运营、推广、"
        "客服等电商团队，分析市场数据和销售数据制定营销策略，对全盘运营结果负责。",
        authority="受总经理委托，行使对产品网络销售及管理的整体把控、审核权和对线上服装市场销售信息的搜集和分析。",
        management_responsibility="对电商部工作职责履行和工作任务完成情况负主要责任。",
    ),
    dict(
        code="EC-PROMO",
        title="推广",
        department="EC",
        grade="P2",
        headcount=1,
        reports_to="EC-MGR",
        purpose="负责问答平台、论坛和百度贴吧的推广及维护，以及直通车、淘宝客、钻石展位等站内推广和店铺标题优化。",
        authority="受电商部经理委托，行使对公司网络推广的实施，承担执行公司规章制度、管理制度、工作指令的义务。",
        management_responsibility="对电商部网络推广工作职责履行和工作任务完成情况负主要责任。",
        acting="EC-MGR",
        acting_note=_BY_MANAGER.format("推广"),
    ),
    dict(
        code="EC-ART",
        title="美工",
        department="EC",
        grade="P2",
        headcount=1,
        reports_to="EC-MGR",
        purpose="负责网络销售服装的实物拍摄、网店平面展销设计和服装描述详情图片处理，营造节假日促销活动气氛。",
        authority="受公司委托，行使对公司广告及旗下网站的设计、修改、美化等管理与制作权限，"
        "并承担执行公司规章制度、管理规程和工作指令的义务。",
        acting="EC-MGR",
        acting_note=_BY_MANAGER.format("美工"),
    ),
    # Seed 004's four specialists: the posts the charter's "其他职位视实际工作需要增减" added later.
    dict(
        code="EC-OPS",
        title="电商运营专员",
        department="EC",
        grade="P3",
        headcount=1,
        reports_to="EC-MGR",
        purpose="负责电商平台的店铺运营，包括商品上下架、页面优化；监测和分析店铺数据，策划并执行各类促销活动。",
    ),
    # 在线客服 after 电商运营专员, the post that covers it when vacant (临时代理): a position names
    # the post that covers for it, and that post must come first.
    dict(
        code="EC-CS",
        title="在线客服",
        department="EC",
        grade="P1",
        headcount=2,
        reports_to="EC-MGR",
        purpose="通过阿里旺旺和客户沟通，解答客户提出的各种问题，达成交易；及时跟踪货品发货动向，维护客户关系。",
        working_conditions=_SHIFTS + "；在线客服服务时间为8:30—21:00。",
        acting="EC-OPS",
        acting_note="在线客服空缺时，由同级的电商运营专员临时代理岗位工作"
        "（其岗位说明：在同级岗位（客服）空缺时，临时代理岗位工作）。",
    ),
    dict(
        code="EC-SEM",
        title="电商推广专员",
        department="EC",
        grade="P2",
        headcount=1,
        reports_to="EC-MGR",
        purpose="制定并执行网络推广计划，运用SEO、SEM等手段提高网站排名，管理社交媒体账号，定期分析推广效果。",
    ),
    dict(
        code="EC-CSS",
        title="电商客服专员",
        department="EC",
        grade="P2",
        headcount=1,
        reports_to="EC-MGR",
        purpose="处理客户订单的售前、售中、售后问题，收集客户反馈，维护客户关系，提高客户满意度和忠诚度。",
        working_conditions=_SHIFTS + "。",
    ),
    # Vacant; a dotted line to 市场部经理, who uses its reports.
    dict(
        code="EC-DATA",
        title="电商数据分析专员",
        department="EC",
        grade="P3",
        headcount=1,
        reports_to="EC-MGR",
        dotted=("MKT-MGR",),
        purpose="收集、整理和分析电商业务数据，制作数据报表，为管理层提供决策依据，协助其他部门进行数据驱动的决策。",
    ),
    # 制作部, seed 001 篇二 (the 主管 is invented).
    dict(
        code="PROD-LEAD",
        title="制作部主管",
        department="EC-PROD",
        grade="M1",
        headcount=1,
        reports_to="EC-MGR",
        purpose="统筹编辑、美编、摄影和运营的工作，安排产品拍摄与上架排期，审核页面与文案。",
    ),
    dict(
        code="PROD-EDIT",
        title="编辑",
        department="EC-PROD",
        grade="P2",
        headcount=2,
        reports_to="PROD-LEAD",
        purpose="负责店铺首页、商品详情页、搜索列表页等页面的文案优化，编辑产品标题和宝贝描述，核实价格及库存信息后上架。",
    ),
    dict(
        code="PROD-DESIGN",
        title="美编",
        department="EC-PROD",
        grade="P2",
        headcount=1,
        reports_to="PROD-LEAD",
        purpose="负责网络店铺视觉规划、设计及店铺装修，店铺首页、店招、详情页、海报设计和产品图片的后期处理。",
    ),
    dict(
        code="PROD-PHOTO",
        title="摄影",
        department="EC-PROD",
        grade="P2",
        headcount=1,
        reports_to="PROD-LEAD",
        purpose="根据市场部提供的产品信息制定拍摄排期，配合美编和运营的设计思路拍出产品效果图片，并进行图片初期优化。",
    ),
    dict(
        code="PROD-OPS",
        title="运营",
        department="EC-PROD",
        grade="P3",
        headcount=1,
        reports_to="PROD-LEAD",
        purpose="负责培训淘宝天猫相关规则，优化店铺信息和商品属性，向客服、编辑、美编提供技术支持，及时传达平台新规定。",
    ),
)

# --- employees --------------------------------------------------------------------------
# (employee_no, name, e-mail, hire date, status, demo login, ((position, start, end), ...)).
# Status "left" is set after the assignments (the service refuses to assign a leaver).
# Vacant today: EC-DATA (0/1), EC-CS (1/2); over-staffed: CS-AGENT (4/3).

REGULAR, PROBATION, LEFT = "regular", "probation", "left"


def _mail(local: str) -> str:
    return f"{local}@{EMAIL_DOMAIN}"


EMPLOYEES: tuple[tuple, ...] = (
    ("E0001", "周建华", _mail("zhoujianhua"), date(2014, 1, 2), REGULAR, None, (("GM-GM", date(2014, 1, 2), None),)),
    # The first 电商部经理 of the 2014 charter; left in mid-2017 (an ended assignment).
    (
        "E0002",
        "陆文涛",
        _mail("luwentao"),
        date(2014, 2, 17),
        LEFT,
        None,
        (("EC-MGR", date(2014, 2, 17), date(2017, 6, 30)),),
    ),
    # Hired as 推广, promoted to 电商部经理 when 陆文涛 left: two assignments.
    (
        "E0003",
        "王强",
        _mail("wangqiang"),
        date(2014, 3, 3),
        REGULAR,
        "manager@rolebook.demo",
        (("EC-PROMO", date(2014, 3, 3), date(2017, 6, 30)), ("EC-MGR", date(2017, 7, 1), None)),
    ),
    ("E0004", "林伟", _mail("linwei"), date(2014, 9, 1), REGULAR, None, (("PROD-LEAD", date(2014, 9, 1), None),)),
    ("E0005", "谢文斌", _mail("xiewenbin"), date(2015, 3, 16), REGULAR, None, (("MKT-MGR", date(2015, 3, 16), None),)),
    ("E0006", "韩梅", _mail("hanmei"), date(2015, 5, 4), REGULAR, None, (("FIN-MGR", date(2015, 5, 4), None),)),
    ("E0007", "赵雅婷", _mail("zhaoyating"), date(2016, 4, 11), REGULAR, None, (("EC-ART", date(2016, 4, 11), None),)),
    ("E0008", "潘国庆", _mail("panguoqing"), date(2016, 8, 1), REGULAR, None, (("HR-MGR", date(2016, 8, 1), None),)),
    (
        "E0009",
        "彭秀英",
        _mail("pengxiuying"),
        date(2017, 2, 20),
        REGULAR,
        None,
        (("CS-LEAD", date(2017, 2, 20), None),),
    ),
    ("E0010", "黄丽", _mail("huangli"), date(2017, 8, 14), REGULAR, None, (("EC-PROMO", date(2017, 8, 14), None),)),
    ("E0011", "何佳", _mail("hejia"), date(2018, 3, 5), REGULAR, None, (("PROD-EDIT", date(2018, 3, 5), None),)),
    (
        "E0012",
        "梁振宇",
        _mail("liangzhenyu"),
        date(2018, 6, 18),
        REGULAR,
        None,
        (("PROD-PHOTO", date(2018, 6, 18), None),),
    ),
    (
        "E0013",
        "李娜",
        _mail("lina"),
        date(2018, 10, 8),
        REGULAR,
        "hr@rolebook.demo",
        (("HR-SPEC", date(2018, 10, 8), None),),
    ),
    ("E0014", "冯雪", _mail("fengxue"), date(2019, 1, 7), REGULAR, None, (("FIN-ACC", date(2019, 1, 7), None),)),
    (
        "E0015",
        "陈静",
        _mail("chenjing"),
        date(2019, 4, 15),
        REGULAR,
        "employee@rolebook.demo",
        (("EC-CS", date(2019, 4, 15), None),),
    ),
    ("E0016", "宋立新", _mail("songlixin"), date(2019, 9, 2), REGULAR, None, (("PROD-OPS", date(2019, 9, 2), None),)),
    ("E0017", "唐芳", _mail("tangfang"), date(2020, 3, 2), REGULAR, None, (("MKT-SPEC", date(2020, 3, 2), None),)),
    ("E0018", "罗晨", _mail("luochen"), date(2020, 7, 6), REGULAR, None, (("PROD-DESIGN", date(2020, 7, 6), None),)),
    (
        "E0019",
        "曾小红",
        _mail("zengxiaohong"),
        date(2020, 11, 9),
        REGULAR,
        None,
        (("CS-AGENT", date(2020, 11, 9), None),),
    ),
    ("E0020", "孙晓东", _mail("sunxiaodong"), date(2021, 5, 10), REGULAR, None, (("EC-OPS", date(2021, 5, 10), None),)),
    ("E0021", "曹丽萍", _mail("caoliping"), date(2021, 8, 23), REGULAR, None, (("FIN-CASH", date(2021, 8, 23), None),)),
    ("E0022", "蒋婷", _mail("jiangting"), date(2022, 2, 14), REGULAR, None, (("CS-AGENT", date(2022, 2, 14), None),)),
    ("E0023", "吴宇航", _mail("wuyuhang"), date(2022, 6, 6), REGULAR, None, (("EC-SEM", date(2022, 6, 6), None),)),
    ("E0024", "许杰", _mail("xujie"), date(2023, 3, 13), REGULAR, None, (("MKT-SPEC", date(2023, 3, 13), None),)),
    ("E0025", "郑晓燕", _mail("zhengxiaoyan"), date(2023, 9, 4), REGULAR, None, (("EC-CSS", date(2023, 9, 4), None),)),
    ("E0026", "蔡丹", _mail("caidan"), date(2024, 4, 8), REGULAR, None, (("CS-AGENT", date(2024, 4, 8), None),)),
    (
        "E0027",
        "高雪梅",
        _mail("gaoxuemei"),
        date(2025, 9, 1),
        PROBATION,
        None,
        (("PROD-EDIT", date(2025, 9, 1), None),),
    ),
    ("E0028", "余欢", _mail("yuhuan"), date(2025, 11, 3), PROBATION, None, (("CS-AGENT", date(2025, 11, 3), None),)),
    ("E0029", "杜悦", _mail("duyue"), date(2025, 12, 1), PROBATION, None, (("HR-SPEC", date(2025, 12, 1), None),)),
)
