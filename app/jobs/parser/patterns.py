"""Characters, regexes and small text helpers of the parser.

Every regex runs on a line's *matching copy* (``fold``): full-width forms folded to ASCII and
Traditional characters to Simplified ones (``app.jobs.chinese``), one character for one, so a
match's span is also its span in the user's text, from which every returned string is sliced.
"""

from __future__ import annotations

import re

from app.jobs.chinese import TO_SIMPLIFIED

FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII, same length
FOLD.update({i: 0x20 for i in range(0x3001) if chr(i).isspace()})
FOLD.update(TO_SIMPLIFIED)  # 職務名稱 -> 职务名称, same length
TERM = "。.;!?"  # sentence ends (after folding)
DONE = TERM + ":"  # an item ending with one of these is complete
TRAIL = " \t；;,，:：、"  # stripped from both ends of items
CN = "一二三四五六七八九"
CN_NUM = f"(?:[{CN[1:]}]?十[{CN}]?|[{CN}])"
SELF_DELIMITED = {"paren", "paren_cn", "circled"}  # "(3)" "③" may follow any character
EAGER = {"cn", "paren_cn"}  # a short "一、…" / "(一)…" item is taken for a sub-heading at once
NOT_BEFORE_LABEL = "第共约近每年月日"  # "第1、" "2011年1、" are not list starts


_NEEDS_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(FOLD)) + "]").search


def fold(text: str) -> str:
    """The matching copy of ``text`` (see the module docstring); most text needs no change."""
    return text.translate(FOLD) if _NEEDS_FOLD(text) else text


NOISE = re.compile(  # the look-ahead on first characters makes the scan four times faster
    r"(?=[本原bB仅_版文相查上VvT成.实该+人作下二阅fF\s0-9格大页收举约还第P\-–—·•如投立申发])(?:本文档共\s*\d+\s*页|原创力文档|book118|版权申诉"
    r"|文档评论|文档贡献者|相关文档|查看更多|上传文档|VIP(?:文档|会员|精品|专享)|成为VIP"
    r"|\.(?:pdf|docx?|pptx?|txt)\s*VIP|实名认证|该用户很懒|\+\s*关注|人气\s*:\s*\d|^\s*作者\s*:"
    r"|下载(?:本文档|权益|券|文档)|二次下载|阅读全部内容|following content is reproduced"
    r"|Traditional Culture Encyclopedia|^\s*\d{2,4}\*{3,}\d{2,4}"
    # file information of document sites: "格式:doc", "大小:154.00 KB", "文档页数:2", "上传人:z****"
    # (at a line start, or after " - " in a line that lost its line breaks)
    r"|(?:^[\s\-–·•]*|(?<=\s)[-–·•]\s+)(?:格式\s*:\s*(?:docx?|pdf|pptx?|txt|wps|xlsx?)\b|大小\s*:\s*[0-9.]+\s*[KMG]B"
    r"|(?:文档)?页数\s*:\s*[0-9]+|上传(?:人|者|时间)\s*:|文档编号\s*:|收藏\s*(?:版权申诉|举报|$)|举报(?=\s|$)"
    r"|约\s*[0-9.]+\s*[千万]?字|约\s*[0-9]+\s*页|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\s*发布于)|^[\s\-–·•]*[0-9]+\s*$"
    r"|上传(?:人|者)\s*:.{0,40}上传时间|格式\s*:\s*(?:docx?|pdf|wps)\b.{0,20}(?:页数|大小)"
    r"|本文档由用户(?:提供并)?上传|如有侵权|侵权请联系|还剩\s*[0-9]+\s*页未读|继续阅读|下载到电脑"
    r"|下载文档前请自行甄别|仅部分预览|如文档侵犯您的权益|[0-9]+\s*人觉得有用"
    r"|_第\s*[0-9]+\s*页\s*$|^\s*文档(?:简介|介绍)\s*$"  # a document site's page captions "X_第1頁", "文檔簡介"
    # page furniture of PDF text: "第 1 页 共 2 页", "第1页 / 共3页", "Page 1 of 2", "- 2 -"
    r"|第\s*[0-9]+\s*页\s*[/,，]?\s*共\s*[0-9]+\s*页|\bPage\s+[0-9]+\s+of\s+[0-9]+\b"
    r"|^\s*[-–—]\s*[0-9]+\s*[-–—]\s*$"
    # job-board furniture: "8-12K · 上海 · 1-3年 · 大专" (also inside a line that lost its line breaks),
    # the buttons and dates of a posting, "Salary $41,966 to …", "Open Date 4/17/2024", "Apply Online"
    r"|^\s*[0-9.]+\s*[-~]\s*[0-9.]+\s*(?:[kK]|千|万)(?:元|/月)?\s*[·|]"
    r"|[0-9.]+\s*[-~]\s*[0-9.]+\s*(?:[kK]|千|万)(?:元|/月)?(?:\s*[·|•]\s*(?:[0-9]+\s*[-~]\s*[0-9]+\s*年|[0-9]+年以上"
    r"|经验不限|学历不限|不限|应届生?|大专|本科|硕士|博士|中专|高中|[\u4e00-\u9fff]{2,3}(?=\s*[·|•])"
    r"|[A-Za-z][A-Za-z ]{1,19}(?=\s*[·|•]))){2,}"
    r"|^\s*(?:投递简历|立即投递|立即沟通|立即申请|申请职位|收藏职位|举报职位|分享职位|apply now|apply online|save job|easy apply)\s*$"
    r"|(?:发布时间|发布于|更新时间)\s*:?\s*(?:20[0-9]{2}|[0-9]{1,2}月|[0-9]+\s*天前))",
    re.I,
)
# English job-board furniture, looked for only in lines that hold one of its hints (most English
# text has none; the regex would slow every line down): "Salary $41,966 to …", "Open Date 4/17/2024"
JOB_META = re.compile(
    r"\bsalary\s*:?\s*(?:US)?\$\s*[0-9]|\b(?:open|close|closing|posted|posting) date\s*:?\s*[0-9]"
    r"|\bapply (?:now|online)\b|\bjob link\b|\bFT/PT\b|\bvacancy (?:no|number)\b|^\s*last updated\s*$",
    re.I,
)
_META_HINT = re.compile(
    r"\$|Date|DATE|Apply|APPLY|apply (?:now|online)|FT/PT|Vacancy|VACANCY|Job Link|ast updated"
).search


# Whole lines of noise, looked for at a line's start only (their first characters are common ones
# that would slow the scan of NOISE down): a document site's captions and buttons ("资源描述",
# "全文预览已结束", "下载 相关 举报"), its copyright footer ("©2010-2025 … 版权所有"), and the
# signature row at the foot of a job-description form ("编写人 审核人 批准人", "撰写人 初审人 核准人 日期").
LINE_NOISE = re.compile(
    r"\s*(?:资源描述\s*$|全文预览已结束|下载\s+相关\s+举报\s*$|©.{0,80}版权所有"
    r"|(?:编写|撰写|编制|拟制)人\s*(?:审核|初审|审批)人\s*(?:批准|核准|审批)人(?:\s*日期)?\s*$)"
)
_LINE_NOISE_START = set("资全下©编撰拟 \t")


def noise_search(norm: str, pos: int = 0):
    """The first page noise in ``norm`` from ``pos`` (``NOISE``, or English job-board furniture)."""
    if pos == 0 and norm[:1] in _LINE_NOISE_START and (line := LINE_NOISE.match(norm)) is not None:
        return line
    m = NOISE.search(norm, pos)
    if _META_HINT(norm):
        n = JOB_META.search(norm, pos)
        if n is not None and (m is None or n.start() < m.start()):
            return n
    return m


MARKER = re.compile(
    r"(?=[0-9(\u2460-\u2487一二三四五六七八九十A-Z•●▪■◆◇·*\-–])"
    r"(?:\(\s?(?P<pn>[0-9]{1,2})\s?\)、?"  # (1)
    rf"|\((?P<pc>{CN_NUM})\)、?"  # (一)
    r"|\((?P<pl>[a-z])\)、?"  # (a): government and Hong Kong postings
    r"|(?P<ps>[\u2474-\u2487])、?|(?P<ci>[\u2460-\u2473])、?"  # ⑴ ①
    r"|(?<![0-9A-Za-z(])(?P<cp>[0-9]{1,2})\)、?"  # 1) 1)、
    r"|(?<![0-9A-Za-z.])(?P<ar>[0-9]{1,3})(?P<sep>\.、| ?、|\.|,)"  # 1、 1. 1, 2.、 2 、 ("2.3年": see lines)
    rf"|(?<![{CN}十])(?P<cn>{CN_NUM})(?:、|\.(?![0-9]))"  # 一、 一.
    r"|(?<![A-Za-z])(?P<le>[A-Z])(?:、|\.(?![A-Za-z0-9]))"  # A、 A.
    r"|(?P<bu>[•●▪■◆◇·]|[-–*](?=\s)|-(?=[\u4e00-\u9fff])))"
)  # • · - * and -负责 (CJK)
FAMILY = {
    "pn": "paren",
    "ps": "paren",
    "pc": "paren_cn",
    "pl": "paren_letter",
    "ci": "circled",
    "cp": "close",
    "sep": "arabic",
    "cn": "cn",
    "le": "letter",
    "bu": "bullet",
}
BASE = {"ps": 0x2473, "ci": 0x245F, "le": 64, "pl": 96}  # ⑴ ① A (a) count from 1
FIELD = re.compile(
    r"(?=[职岗直所部编定人jprdh])(?:(?P<title>职务名称|职位名称|岗位名称)|(?P<reports_to>直接上级)"
    r"|(?P<direct_reports>直接下级)|(?P<department>所属部门|所在部门|部门名称|部门)|(?P<headcount>编制人数|岗位编制|人员编制|编制|定员)"
    r"|\b(?:(?P<title_en>job title|position title|position)|(?P<reports_en>reports? to|reporting to|responsible to|direct superior)"
    r"|(?P<direct_en>direct reports|direct subordinates)|(?P<dept_en>department)|(?P<head_en>headcount))\b)\s*:",
    re.I,
)
FIELD_NAME = {
    "title_en": "title",
    "reports_en": "reports_to",
    "direct_en": "direct_reports",
    "dept_en": "department",
    "head_en": "headcount",
}
SHORT_FIELD = {"headcount", *FIELD_NAME}  # labels that need a space or sentence end before them
COLON = re.compile(r":(?!//)")
DOC = re.compile(rf"第(?:{CN_NUM}|[0-9]{{1,3}})篇|篇{CN_NUM}")  # "第二篇:" starts another document
# The other cells of a header table flattened one per line ("岗位编号", "工资等级"): labels, not duties
FORM_CELLS = "岗位编号|职位编号|岗位定员|工资等级|薪酬类型|薪资等级|岗位等级|职位等级|岗位分析日期|编制日期|所辖人员"
# A header table's label cell run into the next cell by a PDF's text layer: "岗位分析日期1本职："
FORM_CELL = re.compile(rf"(?:{FORM_CELLS})[\s0-9]*")
KINDS = [  # at the same position the earlier kind wins ("职责权限" is authority, not duties)
    ("authority", r"职责权限|管理权限|管理责任|权限|职权|\bauthorit(?:y|ies)\b|\bmanagement responsibilit(?:y|ies)\b"),
    (
        "kpis",
        r"考核指标|绩效|考核|业绩指标|\bkpis?\b|\bkey performance\b"
        r"|\bperformance (?:indicators?|metrics|targets|evaluation)\b|\bhow success is measured\b",
    ),
    (
        "requirements",
        r"任职资格|任职要求|任职条件|职务要求|岗位要求|职位要求|职责要求|工作能力|工作经验|能力|资格|要求|加分项|技能"
        r"|应聘条件|应聘要求|入职条件|入职要求|必备条件|优先条件|加分条件|对您的期望|对你的期望"
        r"|\brequirements?\b|\bqualifications?\b|\bskills\b|\bcompetenc(?:e|es|y|ies)\b"
        r"|\bwhat we(?:['’]re| are)? look(?:ing)? for\b|\bwho you are\b|\bmust[- ]haves?\b"
        r"|\bnice[- ]to[- ]haves?\b|\bperson specification\b|\beducation\b|\bexperience\b",
    ),
    (
        "purpose",
        r"岗位目的|职位目的|职务目的|工作目的|岗位概述|职位概述|职务概述|工作概述|岗位概要|职位概要|职务概要"
        r"|岗位宗旨|岗位使命|岗位简介|职位简介|岗位描述|职位描述|工作描述|本职|岗位目标|概述|工作概要"
        r"|\b(?:job|position|role) (?:summary|purpose|overview|objective)\b"
        r"|\bsummary of the (?:role|job|position)\b|\bpurpose of the (?:job|role|position)\b"
        r"|\babout the (?:role|job|position)\b|\boverview\b|\bbrief description\b"
        r"|\brole definition\b|\bsummary\b",
    ),
    (
        "other",
        # 职业发展 / 晋升路径: where the post leads (prose, not duties); 基本信息 / at a glance: facts about the post
        r"工作总结|总结|引言|前言|结语|编制|岗位设置|人员配置|福利|待遇|薪资|薪酬|公司简介|公司介绍|关于我们|工作环境|工作条件|工作时间"
        r"|职业发展|发展路径|发展方向|晋升路径|晋升通道|基本信息|基本资料|岗位资料|使用设备|公司概述|公司概况"
        # a header field's name as a heading ("一、职位名称" then a line): a fact or a template's note
        r"|职位名称|岗位名称|职务名称|所属部门|汇报对象|汇报关系|岗位类型|岗位性质|工作性质"
        r"|工作地点|上班时间|上班地点|应聘|应征|联系方式|联系人|联络|简历投递|投递方式|招聘人数|招聘流程|招聘情况|招聘信息"
        r"|\bbenefits\b|\bperks\b|\bwhat we offer\b|\bsalary\b|\bcompensation\b|\babout (?:us|the company)\b"
        r"|\bcompany overview\b|\bwork(?:ing)? (?:conditions|environment|hours)\b"
        r"|\bphysical (?:demands|requirements)\b"
        r"|\bhow to apply\b|\bequal opportunity\b|\blocation\b|\bcareer (?:progression|path)\b|\bat a glance\b|\b(?:quick|key) facts\b|\btools\b",
    ),
    (
        "duties",
        r"职责|职能|工作内容|\bresponsibilit(?:y|ies)\b"
        r"|\bduties\b|\bduty\b|\btasks\b|\bwhat you(?:['’]ll| will) do\b|\byour role\b",
    ),
]
# A requirement written as "label: value" under a requirements heading ("学历：本科", "工作经历：2年以上").
REQ_LABEL = re.compile(
    r"(?:学历|学历要求|年龄要求|性别要求|语言要求|经验要求|教育(?:背景|程度)?|专业|专业要求|经验|工作经验|工作经历|经历|技能|专业技能|技能要求|知识"
    r"|专业知识|能力|能力要求|年龄|性别|身体|身体状况|证书|资格证书|语言|外语|语言能力|素质|个人素质|其他|其它"
    r"|其他要求|其他条件|擅长工具|电脑技能|education|experience|skills?|languages?|certifications?|licen[cs]es?"
    r"|knowledge|other)",
    re.I,
)


# The kinds of the texts seen in the document being parsed (the same line is asked about up to
# three times); cleared for each document, so it never grows past one document's lines.
KIND_MEMO: dict[str, str | None] = {}
_WEAK = {"skills", "experience", "education", "location", "overview", "tasks", "duty", "summary", "tools"}
_AT_START = {"experience", "education"}  # "Education and Experience", not "Relevant experience"


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex pattern."""
    alts, depth, cur = [], 0, ""
    for c in pattern:
        depth += c == "("
        depth -= c == ")"
        if c == "|" and depth == 0:
            alts.append(cur)
            cur = ""
        else:
            cur += c
    return alts + [cur]


# Keyword matching in two regexes, each much faster than one alternation of everything: the
# Chinese keywords (plain words) grouped by their first character, longest first, so that at one
# position "职责权限" (authority) wins over "职责" (duties) as the order of KINDS says; the English
# ones from word starts only. The kind of a Chinese match is looked up by its text.
_CJK_KIND: dict[str, str] = {}
_LATIN = []
for _kind, _pattern in KINDS:
    for _alt in _alternatives(_pattern):
        if re.fullmatch(r"[\u2e80-\U0010ffff]+", _alt):
            _CJK_KIND.setdefault(_alt, _kind)
        else:
            _LATIN.append((_kind, _alt))
_BY_FIRST: dict[str, list[str]] = {}
for _word in sorted(_CJK_KIND, key=len, reverse=True):
    _BY_FIRST.setdefault(_word[0], []).append(re.escape(_word[1:]))
CJK_KIND_RE = re.compile("|".join(f"{c}(?:{'|'.join(rests)})" for c, rests in _BY_FIRST.items()))
assert all(a.startswith("\\b") for _, a in _LATIN), "English keywords start at a word boundary"
LATIN_KIND_RE = re.compile(
    r"\b(?=[a-z])(?:" + "|".join(f"(?P<{k}{i}>{a[2:]})" for i, (k, a) in enumerate(_LATIN)) + ")", re.I
)
_HAS_LATIN = re.compile("[A-Za-z]").search
_CJK_WEAK = {"能力", "技能", "要求", "资格"}
_SAYS_HAVE = re.compile(r"\W*(?:有|具有|具备|拥有|熟悉|熟练|掌握|精通|能|会|良好|较强|很强|优秀|一定)")
_WORK = re.compile(r"工作(?=[\s:]*$)")
del _kind, _pattern, _alt, _word


def kind_match(folded: str, pos: int = 0):
    """(start, end, kind) of the first keyword in ``folded`` (a matching copy) from ``pos``, or None.
    A weak English keyword counts only in a heading of three words or less ("Hard Skills", not
    "Strong Excel and data skills"), "Education"/"Experience" only at its start."""
    m = CJK_KIND_RE.search(folded, pos)
    have = _SAYS_HAVE.match(folded, pos)
    while m is not None and m.group() in _CJK_WEAK and have and have.end() <= m.start():
        m = CJK_KIND_RE.search(folded, m.end())  # "有手绘能力", "具备沟通能力" are requirements, not headings
    while m is not None and m.group() == "本职" and folded[m.end() :].strip()[:1] not in ("", ":"):
        m = CJK_KIND_RE.search(folded, m.end())  # "本职：…" names the purpose; "做好本职工作", "本职缺的…" do not
    best = (m.start(), m.end(), _CJK_KIND[m.group()]) if m else None
    if best is None and (w := _WORK.search(folded, pos)):  # "主要工作:" but not "工作经验"
        best = (w.start(), w.end(), "duties")
    if _HAS_LATIN(folded, pos):
        for lm in LATIN_KIND_RE.finditer(folded, pos, best[0] if best else len(folded)):
            word = lm.group().lower()
            if word in _WEAK and (
                len(folded.split()) > 3 or (word in _AT_START and folded[: lm.start()].strip(" #*-:"))
            ):
                continue
            return lm.start(), lm.end(), lm.lastgroup.rstrip("0123456789")
    return best


REQ_LIKE = re.compile(r"学历|本科|大专|专科|硕士|中专|高中|[0-9]+\s*岁|经验|experience|degree|bachelor", re.I)
_WS = re.compile(r"\s+")
_CJK_WS = re.compile(r"(?<=[\u2e80-\U0010ffff])\s+(?=[\u2e80-\U0010ffff])")  # wrap spaces in CJK text
WORDY = re.compile(r"[^\W_]").search
_LIST_SEP = re.compile(r"[；;、,，/]")
_NONE_VALUES = {"无", "没有", "暂无", "none", "n/a", "-", "/"}
# A sentence end then the next sentence of Latin text: "…development. Department composition…"
LATIN_SENTENCE = re.compile(r"[.;!?]\s+(?=[A-Z])")


def wide(c: str) -> bool:
    return c >= "\u2e80"


def cn_int(s: str) -> int:
    if "十" not in s:
        return CN.index(s) + 1
    tens, _, ones = s.partition("十")
    return (CN.index(tens) + 1 if tens else 1) * 10 + (CN.index(ones) + 1 if ones else 0)


def decode(m) -> tuple[str, int]:
    """(family, ordinal) of a marker match; bullets have ordinal 0."""
    g = m.lastgroup
    v = m.group("ar" if g == "sep" else g)
    if g in BASE:
        return FAMILY[g], ord(v) - BASE[g]
    return FAMILY[g], 0 if g == "bu" else cn_int(v) if g in ("pc", "cn") else int(v)


def label(fam: str, n: int) -> str:
    if 0 < n < 27 and fam in ("letter", "paren_letter"):
        return chr(64 + n) if fam == "letter" else f"({chr(96 + n)})"
    return str(n)


def kind_of(s: str) -> str | None:
    """The kind of section a heading's keyword names; None without one. A weak English keyword
    names a section only in a heading of three words or less ("Hard Skills", not "Strong Excel
    and data skills")."""
    kind = KIND_MEMO.get(s, False)
    if kind is False:
        m = kind_match(fold(s))
        kind = KIND_MEMO[s] = m[2] if m else None
    return kind


def heading_like(s: str, mode: str) -> bool:
    """Short text without sentence punctuation. mode: "kw" (a heading with a keyword), "label"
    (a bare ``name:``), "promo" (an item that may become a sub-heading) or "lead" (a sentence with a
    keyword that ends in a colon before a list: "The scope of responsibilities … area of work:")."""
    s = fold(s.strip().rstrip("。:：.").strip())
    if not s or (_BAD_PROMO if mode == "promo" else _BAD).search(s) or not _LETTER(s):
        return False
    if len(s.encode("utf-8")) < 2 * len(s):  # mostly ASCII (CJK takes three bytes): count words
        return len(s) <= (160 if mode == "lead" else 80) and len(s.split()) <= _WORDS[mode]
    return len(s) <= _CHARS[mode]


_BAD, _BAD_PROMO = re.compile("[,;!?。:、]"), re.compile("[;!?。:]")
_LETTER = re.compile(r"[^\W\d_]").search
_WORDS = {"kw": 12, "label": 4, "promo": 8, "lead": 20}
_CHARS = {"kw": 30, "label": 12, "promo": 24, "lead": 40}


def clean(parts) -> str:
    """Join text pieces (nothing between CJK, one space between Latin words), tidy the ends."""
    out = ""
    for p in parts:
        p = p.strip()
        if p:
            out += (" " if out and not (wide(out[-1]) or wide(p[0])) else "") + p
    if _WS.search(out):
        out = _WS.sub(" ", _CJK_WS.sub("", out))
    return out.strip(TRAIL).strip()


def heading_text(s: str) -> str:
    """Heading text without decoration: "【岗位职责】" "## Responsibilities" "**Skills:**"."""
    s = clean([s]).rstrip("。:：.")
    return s.strip("#*=【】[]「」 \t").strip() or s


def field_value(name: str, value: str):
    """The parsed value of a field, or None when there is none."""
    value = clean([value]).rstrip("。.")
    if not value:
        return None
    if name == "headcount":
        digits = re.search(r"[0-9]+", value.translate(FOLD))
        return int(digits.group()) if digits else None
    if name == "direct_reports":
        return (
            []
            if fold(value).lower() in _NONE_VALUES
            else [v for v in (clean([x]) for x in _LIST_SEP.split(value)) if v]
        )
    return value


def frag_start(norm: str, lo: int, p: int, spaces: bool = True):
    """Start of the fragment before ``p``: after the last sentence end or CJK-separating space
    (``spaces``) in ``norm[lo:p]``; None when that fragment would be longer than 160 characters."""
    i, stop = p - 1, max(lo, p - 160)
    while i >= stop:
        c = norm[i]
        if c in TERM or (spaces and c.isspace() and i + 1 < p and wide(norm[i + 1]) and (i == lo or wide(norm[i - 1]))):
            return i + 1
        i -= 1
    return lo if stop == lo else None


# The title a document's first lines name: "客服主管岗位说明书", "天貓客服主管的職責範圍 篇1",
# "Customer Service Supervisor Job Description", "Job Description: Warehouse Team Leader", "招聘：客服专员".
TITLE_LINE = re.compile(
    r"(?P<a>.{1,40}?)\s*的?(?:具体|主要)?(?:岗位|职位|职务|工作)?(?:职责说明书|说明书|职责[与及和]?(?:岗位|任职)?要求"
    r"|职责范围|职责|任职要求|任职资格|说明|概述|简介|职位描述|岗位描述|工作描述|工作内容[和及与]要求)"
    r"(?:是什么|怎么写|如下\s*:?)?\s*\??\s*"  # "…职责任职要求怎么写(精选8篇)", "采购经理的职责和岗位要求如下："
    r"(?:[(]?[^()0-9]{0,4}[0-9]+\s*篇[)]?|篇\s*(?:[0-9]+|[一二三四五六七八九十]+)"
    r"|(?:[及和与].{0,12}?)?(?:详解|介绍|指南|模板|范本|范文|大全|汇总))?"  # "…工作内容和要求及职业发展详解"
    r"|(?P<f>.{1,20}?)(?:是什么岗位|是什么职位|是做什么的|是干什么的)\s*\??"  # "电商客服是什么岗位?"
    r"|(?:(?:an? |the )?(?:[\w-]+ )?(?:look at|guide to|overview of) (?:the |an? )?"
    r"|(?:comprehensive|complete|detailed|sample|ultimate) )?"  # "An In-Depth Look at the …"
    r"(?P<b>.{1,60}?)\s*[-–—:|]?\s*(?:job description(?:\s*[:,|\-–—]\s*.{0,80})?|job)"  # "… Job Description: Duties, …"
    r"|(?:job description|岗位说明书|职位说明书|职务说明书)\s*[:\-–—|]\s*(?P<c>.{1,60})"
    r"|(?:招聘|诚聘|急聘|hiring|we are hiring|now hiring)\s*:\s*(?P<d>.{1,40})"
    r"|(?:key )?(?:responsibilities|duties)(?: and [\w ]{1,30}?)? (?:for|of) (?:an? |the )?(?P<e>[^,;:]{1,60})"
    r"|what (?:does|do) (?:an? |the )?(?P<g>[^,;:?]{1,60}?) do\s*\?",
    re.I,
)  # "What Does a Delivery Driver Do?"
# What follows a title on a search result or a site's page: "客服主管岗位职责_某公司 - 百度文库", "… | 招聘网".
SITE_TITLE = re.compile(r"(?P<a>.{1,40}?)\s*的?(?:工作内容|岗位职责|职位职责|工作职责|职责)")  # before a site's name
SITE_SUFFIX = re.compile(r"\s*(?:_|\s[-–—|]\s|[|｜]).{1,30}$")
# How the name of a position ends: 专员, 经理, 主管, Assistant, Engineer …
POSITION_END = re.compile(
    r"(?:专员|经理|主管|助理|总监|主任|组长|工程师|设计师|会计|出纳|文员|客服|顾问|代表|司机|厨师|店长|"
    r"职员|专家|[师员长]|assistant|manager|engineer|officer|specialist|associate|clerk"
    r"|supervisor|director|coordinator|analyst|designer|representative|lead|agent|administrator|technician"
    r"|operator|driver|cashier|developer|consultant|advisor|adviser|accountant|nurse|teacher|chef)$",
    re.I,
)
# A line that only says what kind of document follows ("Job description"), and a vacancy's reference
# after a title ("(EDB/FIN/447/23)", "(Ref: 2024-17)"): code-like, with a digit and no CJK.
DOC_KIND = re.compile(r"(?:job|position|role) (?:description|profile)|岗位说明书|职位说明书|职务说明书", re.I)
REF_TAIL = re.compile(r"\s*[(（][^()（）\u2e80-\U0010ffff]*[0-9][^()（）\u2e80-\U0010ffff]*[)）]\s*$")
PAY_LINE = re.compile(r"\s*(?:时薪|日薪|月薪|年薪|薪资|薪水|salary|pay)\s*:?\s*(?:HK\$|US\$|\$|¥|RMB)?\s*[0-9]", re.I)
GENERIC_TITLE = re.compile(r"(?:主要|具体|基本|核心|日常|其他|其它|岗位|职位|职务|部门|工作|本|各|相关|以下)?", re.I)
RUNNING = re.compile(r"说明书|job description|\S\s{3,}\S", re.I)  # what a running page header looks like
# The same with the words a form puts before it ("受教育程度", "基本技能", "基本素质", "特殊要求"):
# a requirement under a requirements heading, label and all (a job-description form's cells)
REQ_LABEL_ANY = re.compile(r"(?:(?:受|基本|相关|特殊)?" + REQ_LABEL.pattern + r"|特殊(?:要求|规定)|其[他它]规定)", re.I)
REQ_LABEL_LINE = re.compile(REQ_LABEL_ANY.pattern + r"\s*:\s*\S", re.I)
# Words that end no phrase: a Latin line ending with one goes on on the next line.
GOES_ON = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "for",
    "with",
    "in",
    "on",
    "at",
    "by",
    "from",
    "over",
    "under",
    "into",
    "as",
    "than",
    "that",
    "which",
    "who",
    "our",
    "your",
    "their",
    "its",
    "is",
    "are",
    "be",
    "including",
    "such",
    "both",
    "either",
    "within",
    "across",
    "between",
    "per",
    "via",
    "&",
}
MODIFIERS = _MODIFIERS = {
    "key",
    "main",
    "job",
    "essential",
    "education",
    "primary",
    "core",
    "major",
    "principal",
    "general",
    "specific",
    "role",
    "position",
    "daily",
    "other",
    "additional",
    "minimum",
    "preferred",
    "required",
    "basic",
    "our",
    "your",
    "duties",
    "and",
    "&",
    "of",
    "the",
    "person",
    "work",
    "working",
    "physical",
}
_CJK_MODIFIERS = set("岗位职务工作主要具体基本核心日常其他本")


def heading_start(norm: str, lo: int, p: int) -> int:
    """Where a heading ending at ``p`` starts when text that is not part of it comes before it
    ("Support Team Lead Responsibilities" -> "Responsibilities", "1人岗位目的" -> "岗位目的"):
    at its keyword, with the words that modify a heading just before it ("Key", "具体工作")."""
    m = kind_match(fold(norm[lo:p]))
    if m is None:
        return lo
    at = lo + m[0]
    while at > lo:
        if wide(norm[at - 1]):
            if norm[at - 1] not in _CJK_MODIFIERS:
                break
            at -= 1
            continue
        words = norm[lo:at].rstrip().rsplit(None, 1)
        if not words or words[-1].lower() not in _MODIFIERS or len(words[-1]) == len(norm[lo:at].rstrip()) and False:
            break
        at = lo + len(norm[lo:at].rstrip()) - len(words[-1])
    return at


BRACKET_LABEL = re.compile(r"\s*【([^】]{1,12})】\s*(?=\S)")
TITLE_PREFIX = re.compile(
    r"\s*(?:【[^】]{1,40}】|[^:;。!?\s【][^:;。!?]{0,39}?(?:(?:岗位|职位|职务)?说明书"
    r"|的?(?:具体|主要)?职责范围(?:是什么)?\s*(?:篇\s*[0-9一二三四五六七八九十]+|[(][^()]{0,6}篇[)])"
    r"|\s+job description)"
    r"|[\u4e00-\u9fff]{2,20}(?=一、))(?=\s*\S)",  # "人力資源行政助理一、人力資源行政助理概述": the title, then the first heading
    re.I,
)
LABELLED_LINE = re.compile(r"\s*[^:\s][^:]{0,11}:\s*\S.{14,}")  # "店铺搭建与维护：依据品牌调性规划…"
# What may surround the noise cut out of a long line: separators, counts, sizes ("- 0 - 0 -", ": 28.00 KB")
NOISE_EDGE = re.compile(r"(?:[\s\-–·•/|:]|[0-9.]+\s*(?:[KMG]B|页|字)?)*", re.I)
LONG_LINE = 120  # a line longer than this with noise and items in it lost its line breaks: the noise is cut out
LONE_BULLETS = {"-", "–", "—", "•", "·", "*", "●", "▪", "■", "◆", "◇"}
