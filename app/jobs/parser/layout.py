"""The look at the whole document before the line-by-line pass (see the package docstring, step 0
and 2): tables rewritten as text, labels and values put on one line, noise cut out of run-on
lines, the title found, and the lines marked that are items of their own or sub-headings."""

from __future__ import annotations

import re
from bisect import bisect_right

from app.jobs.parser import tables
from app.jobs.parser.patterns import (
    BRACKET_LABEL,
    CN,
    CN_NUM,
    DOC,
    DOC_KIND,
    DONE,
    FIELD,
    FOLD,
    FORM_CELL,
    GENERIC_TITLE,
    LABELLED_LINE,
    LONE_BULLETS,
    LONG_LINE,
    MARKER,
    NOISE_EDGE,
    PAY_LINE,
    POSITION_END,
    REF_TAIL,
    RUNNING,
    SITE_SUFFIX,
    SITE_TITLE,
    TERM,
    TITLE_LINE,
    TITLE_PREFIX,
    cn_int,
    fold,
    heading_like,
    heading_start,
    heading_text,
    kind_match,
    kind_of,
    noise_search,
)


def width(norm: str) -> int:
    """Display width of a line: a CJK character counts two."""
    seg = norm.strip()
    return (len(seg.encode("utf-8")) + len(seg)) // 2


_PIPE_ROW = re.compile(r"\s*\|?(?:[^|\n]*\|){2,}[^|\n]*$")  # "岗位名称 | 客服主管 |": a markdown table row
_PIPE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")  # its "---|---|" rule


def _pipe_rows(raw_lines: list[str]) -> list[str]:
    """A markdown table (rows of cells between "|", under a "---|---|" rule, as web pages and
    chat answers are copied) is a table like a Word one: its rows become TAB-separated cells."""
    out, i = [], 0
    while i < len(raw_lines):
        if i + 1 < len(raw_lines) and _PIPE_ROW.match(raw_lines[i]) and _PIPE_RULE.match(raw_lines[i + 1]):
            out.append(_cells(raw_lines[i]))
            i += 2
            while i < len(raw_lines) and _PIPE_ROW.match(raw_lines[i]) and "\t" not in raw_lines[i]:
                out.append(_cells(raw_lines[i]))
                i += 1
            continue
        out.append(raw_lines[i])
        i += 1
    return out


def _cells(row: str) -> str:
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    return "\t".join(cells) if len(cells) > 1 else cells[0] + "\t"


def untabled(raw_lines: list[str]) -> list[str]:
    """The lines with each run of table rows (cells joined by TAB, or a markdown table) rewritten
    as text lines."""
    if any("---" in r for r in raw_lines):
        raw_lines = _pipe_rows(raw_lines)
    if not any("\t" in r for r in raw_lines):
        return raw_lines
    out, rows = [], []
    for raw in raw_lines + [""]:
        if "\t" in raw.strip():
            rows.append(raw)
            continue
        if rows:
            out.extend(tables.rewrite(rows))
            rows = []
        out.append(raw)
    return out[:-1]


def lone_bullets(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A bullet alone on its line ("-" then the item's text on the next line, as web pages
    copied list by list give them) marks the next line, unless that line is a short label (a
    sub-heading: "-" "基础服务" "-" "负责客户咨询…"); a bullet before nothing says nothing."""
    if not any(norm.strip() in LONE_BULLETS for _, norm in lines):
        return lines
    out = []
    for k, (raw, norm) in enumerate(lines):
        t = norm.strip()
        if t in LONE_BULLETS:
            continue
        if k and lines[k - 1][1].strip() in LONE_BULLETS and not MARKER.match(t) and not _bullet_heading(lines, k):
            raw, norm = "• " + raw.lstrip(), "• " + norm.lstrip()
        out.append((raw, norm))
    return out


def _bullet_heading(lines, k: int) -> bool:
    """Is the bulleted line ``k`` a sub-heading of the bulleted lines after it: a short name
    without punctuation, numbers or "以上", over a line at least twice as long that has some?"""
    t = lines[k][1].strip()
    if not heading_like(t, "label") or any(c in ":;,.!?、" or c.isdigit() for c in t) or "以上" in t:
        return False
    nxt = next((n.strip() for _, n in lines[k + 1 :] if n.strip() not in LONE_BULLETS), "")
    return len(nxt) >= 2 * len(t) and any(c in ":;,.!?、。，；：" for c in nxt)


_EMPHASIS = re.compile(r"\s*(\*\*|__)(?P<text>[^*_].*?)\1\s*$")


def emphasis(raw: str, norm: str) -> tuple[str, str]:
    """A line in bold markdown ("**二、要求**", a chat answer or a web page copied as markdown)
    says what it says without the asterisks: they would hide its number and its heading."""
    m = _EMPHASIS.match(norm)
    if m is None:
        return raw, norm
    return raw[m.start("text") : m.end("text")], norm[m.start("text") : m.end("text")]


def bracket_label(raw: str, norm: str) -> tuple[str, str]:
    """ "【职位名称】数据分析专员" says "职位名称：数据分析专员"."""
    m = BRACKET_LABEL.match(norm)
    if m is None:
        return raw, norm
    if DOC.fullmatch(m.group(1).strip()):  # "【第1篇】客服管理岗位职责…": another document starts, its name after
        raw = raw[m.start(1) : m.end(1)] + "：" + raw[m.end() :]
        return raw, raw.translate(FOLD)
    raw = raw[: m.end(1)] + "：" + raw[m.end() :]
    return raw, raw.translate(FOLD)


def label_lines(lines):
    """A header field whose value is on the next line (a web table flattened one cell per line:
    "岗位名称" then "客服主管") is one line "岗位名称：客服主管"."""
    i = 0
    while i + 1 < len(lines):
        label = lines[i][1].strip("*#【】[]: \t")  # "Responsible To:" then the value
        if (
            label
            and len(label) <= (24 if label.isascii() else 12)  # "Direct Subordinates", "直接上级"
            and FIELD.fullmatch(label + ":")
            and not _label_columns(lines, i)
            and ":" not in lines[i + 1][1]
            and not MARKER.match(lines[i + 1][1].lstrip())
            and not FIELD.match(lines[i + 1][1].strip() + ":")
            and not FORM_CELL.match(lines[i + 1][1].strip())  # "所辖人员客服部经理": another cell, out of order
        ):
            raw = label + "：" + lines[i + 1][0].strip()
            lines[i : i + 2] = [(raw, raw.translate(FOLD))]
        i += 1


def _label_columns(lines, i: int) -> bool:
    """A header table flattened by columns (a PDF's text layer: "岗位名称" "所在部门" "直接上级"
    then "质检组长" "品质部" "品质经理"): a run of two or more bare field labels from ``i``
    followed by as many short plain values pairs them in order (True when it did). Nothing is
    paired when a value holds a colon, a number marker, a keyword or starts with another label
    cell ("所辖人员客服部经理": the cells are out of order)."""
    k = i + 1
    while k < len(lines) and len(lab := lines[k][1].strip()) <= 12 and FIELD.fullmatch(lab + ":"):
        k += 1
    n = k - i
    values = lines[k : k + n]
    if n < 2 or len(values) < n:
        return False
    for _, v in values:
        v = v.strip()
        if len(v) > 20 or ":" in v or MARKER.match(v) or FIELD.match(v + ":") or FORM_CELL.match(v) or kind_of(v):
            return False
    pairs = []
    for (_, lab), (raw, _) in zip(lines[i:k], values):
        text = lab.strip() + "：" + raw.strip()
        pairs.append((text, text.translate(FOLD)))
    lines[i : k + n] = pairs
    return True


_LISTED = re.compile(r"(?:职责|要求|资格|条件|描述|内容)\s*:\s*[0-9]").search  # "岗位职责：1. …" on a short run-on line


def cut_noise(lines, noise):
    """A long line with page noise and numbered items in it (a document site's page whose line
    breaks were lost), or a very long one (a whole document on one line), is not dropped whole:
    each run of noise is cut out as a noise line of its own, the text around it kept."""
    out_lines, out_noise = [], []
    for (raw, norm), is_noise in zip(lines, noise):
        items = sum(1 for m in MARKER.finditer(norm) if m.lastgroup != "bu") if is_noise else 0
        if not is_noise or not (
            len(norm) > 2 * LONG_LINE or (len(norm) > LONG_LINE and items >= 3) or (items >= 2 and _LISTED(norm))
        ):  # a whole document on one line: cut
            out_lines.append((raw, norm))
            out_noise.append(is_noise)
            continue
        pos = 0
        while (m := noise_search(norm, pos)) is not None:
            a, b = max(pos, len(norm[: m.start()].rstrip(" -–·•0123456789"))), m.end()
            while (n := noise_search(norm, b)) is not None and n.start() - b <= 40:
                b = n.end()
            b = max(b, NOISE_EDGE.match(norm, b).end())
            if norm[pos:a].strip():
                out_lines.append((raw[pos:a], norm[pos:a]))
                out_noise.append(False)
            out_lines.append((raw[a:b], norm[a:b]))
            out_noise.append(True)
            pos = b
        if norm[pos:].strip():
            out_lines.append((raw[pos:], norm[pos:]))
            out_noise.append(False)
    lines[:], noise[:] = out_lines, out_noise


def split_title(lines, noise):
    """A first line that runs on after its title ("电商部经理职位说明书一、工作职责…", a document
    whose line breaks were lost) is two lines: the title, then the rest."""
    i = next((i for i in range(len(lines)) if not noise[i]), None)
    if i is None:
        return
    raw, norm = lines[i]
    m = TITLE_PREFIX.match(norm)
    if m and norm[m.end() :].strip():
        lines[i : i + 1] = [(raw[: m.end()], norm[: m.end()]), (raw[m.end() :], norm[m.end() :])]
        noise.insert(i, False)


def running_headers(lines, noise):
    """A page header of PDF text ("华东商贸有限公司      岗位说明书") repeated on every page is noise."""
    seen = {}
    for i, (_, norm) in enumerate(lines):
        t = norm.strip()
        if not noise[i] and len(t) <= 80 and (RUNNING.search(t)):
            seen.setdefault(t, []).append(i)
    for at in seen.values():
        if len(at) > 1:
            for i in at[1:]:
                noise[i] = True
            if "   " in lines[at[0]][1].strip():
                noise[at[0]] = True


def find_title(lines, noise, markers) -> tuple[str | None, set]:
    """The title the first lines name, and the indexes of the lines that only say it. A first
    line "客服主管岗位说明书" names 客服主管; a short first line before a heading or a field
    ("内容运营" then "职位概述") is a title; "运营部经理：工作职责：…" names 运营部经理."""
    first = [i for i in range(len(lines)) if not noise[i]][:3]
    for k, i in enumerate(first):
        raw, norm = lines[i]
        t = norm.strip().strip("#*=【】[]「」 ")
        if markers[i]:
            break
        lead = norm.index(t[:1]) if t else 0
        found = _title_line(raw, t, lead)
        if found:
            return found, {j for j in range(len(lines)) if lines[j][1].strip() == norm.strip()}
        if _opens(norm):
            break
        head, colon, rest = t.partition(":")
        if (
            colon
            and heading_like(head, "label")
            and not kind_of(head)
            and not FIELD.match(t)
            and (kind_of(rest.split(":")[0]) and ":" in rest or MARKER.match(rest.lstrip()))
        ):
            return heading_text(raw[lead : lead + len(head)]), set()  # "运营部经理：工作职责：1. …"
        if (
            k == 0
            and _bare_title(t)
            and len(first) > 1
            and _opens(lines[first[1]][1])
            and (markers[first[1]] or not _title_line(lines[first[1]][0], lines[first[1]][1].strip(), 0))
        ):
            return heading_text(raw), {i}
    kept = [i for i in range(len(lines)) if not noise[i]][:8]
    if len(kept) > 1 and DOC_KIND.fullmatch(lines[kept[0]][1].strip()) and _bare_title(lines[kept[1]][1].strip()):
        return heading_text(_unref(lines[kept[1]][0])), {kept[1]}  # "Job description" then "Remote Support Agent"
    for k, i in enumerate(kept[1:], 1):  # "人才招聘" / "运营总监" / "岗位职责：": the line before the first heading
        if markers[i] or markers[kept[k - 1]]:
            break
        if _opens(lines[i][1]):
            bare = []  # the bare lines just before the heading, nearest first
            for j in reversed(kept[:k]):
                t = lines[j][1].strip()
                if PAY_LINE.match(t):  # "時薪191元 (每星期需工作16小時)" between the title and the heading
                    continue
                if markers[j] or not _bare_title(t) or _opens(t):
                    break
                bare.append(j)
            named = [j for j in bare if POSITION_END.search(_unref(lines[j][1]))]
            at = named[-1] if named else (bare[0] if bare else None)
            if at is not None:  # "HR专员" / "人事行政" / "职位描述：": the (first) line that names a position
                return heading_text(_unref(lines[at][0])), {at}
            break
    # "JobDescription.org" / "Transportation" / "Warehouse Associate" above the text: the short English
    # top line of two words or more naming a position (a Chinese one alone is as often a flattened
    # table's value, "总经理", as a title)
    for i in kept[:5]:
        t = lines[i][1].strip()
        if markers[i] or not _bare_title(t) or _opens(t):
            break
        if t.isascii() and len(t.split()) >= 2 and POSITION_END.search(_unref(t)):
            return heading_text(_unref(lines[i][0])), {i}
    return None, set()


def _unref(text: str) -> str:
    """A title without the vacancy's reference after it: "兼職會計助理 (EDB/FIN/447/23)"."""
    return REF_TAIL.sub("", text.strip())


def _title_line(raw: str, t: str, lead: int) -> str | None:
    """The title a line names as a title line ("客服主管岗位说明书", "… Job Description"), also
    with a site's name after it ("客服主管岗位职责_某公司 - 百度文库")."""
    for text in (t, SITE_SUFFIX.sub("", t)):
        m = TITLE_LINE.fullmatch(text) if len(text) <= 120 else None
        if m is None and text != t:  # "门市店长工作内容 | 某人力网"
            m = SITE_TITLE.fullmatch(text)
        if m:
            g = m.lastgroup
            found = heading_text(raw[lead + m.start(g) : lead + m.end(g)])
            if (
                found
                and ":" not in fold(found)
                and not GENERIC_TITLE.fullmatch(fold(found))
                and not kind_of(found)
                and found[-1] not in "及和与、"
            ):
                return found
        if text == t and not SITE_SUFFIX.search(t):
            break
    return None


def _bare_title(t: str) -> bool:
    s = _unref(t).strip("#*=【】[] \t")
    if not s or any(c in ":;!?。" for c in s) or kind_of(s) or FIELD.match(s) or (s.endswith(".") and " " in s):
        return False
    if sum(c.isascii() for c in s) * 2 > len(s):
        return len(s.split()) <= 6 and s[0].isupper()
    return len(s) <= 20


def _opens(norm: str) -> bool:
    """Does this line open the body of a document: a field, or a heading with a keyword (also
    numbered: "一、岗位职责")?"""
    t = norm.strip().strip("#*=【】[] ")
    if (m := MARKER.match(t)) is not None:
        t = t[m.end() :].strip()
    if FIELD.match(t):
        return True
    head = t.split(":", 1)[0].strip() if ":" in t[:40] else t  # "岗位职责： 1. 负责…" (a line that lost its breaks)
    return bool(kind_of(head)) and heading_like(head, "kw")


def subheadings(lines, noise, markers, title_at) -> set:
    """Short lines without a number, a colon or punctuation between a finished line and a list
    or "label：text" lines: sub-headings of the section ("店铺基础管理", "营销活动策划与推广")."""
    found, prev = set(), None
    kept = [i for i in range(len(lines)) if not noise[i]]
    for k, i in enumerate(kept):
        t = lines[i][1].strip()
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if (
            prev is not None
            and nxt is not None
            and not markers[i]
            and i not in title_at
            and len(t) <= 24
            and not any(c in ":;,.!?、。" for c in t)  # a sentence ("设定安全库存提醒。") is no sub-heading
            and heading_like(t, "label")
            and not kind_of(t)
            and (lines[prev][1].rstrip()[-1:] in DONE + "】" or _opens(lines[prev][1]))
            and (markers[nxt] or LABELLED_LINE.match(lines[nxt][1]) or (found and len(lines[nxt][1].strip()) >= 20))
        ):
            found.add(i)
        prev = i
    return found


def item_per_line(lines, noise, markers) -> list[bool]:
    """Lines without numbers, right under a heading, none ending a sentence ("Responsibilities"
    then "Upload new products…" "Check stock levels daily…"): each is an item, not a wrapped one."""
    hard = [False] * len(lines)
    run, after_heading = [], False
    for i, (_, norm) in enumerate(lines + [("", ":")]):
        if i < len(lines) and noise[i]:
            continue
        t = norm.strip()
        heading = len(t) <= 40 and bool(kind_of(t.rstrip(":"))) and heading_like(t.strip("#*=【】[] "), "kw")
        if i < len(lines) and not markers[i] and not heading and ":" not in t:
            run.append(i)
            continue
        if after_heading and len(run) > 1 and not any(lines[j][1].rstrip()[-1:] in DONE for j in run):
            for j in run:
                hard[j] = True
        run, after_heading = [], heading
    return hard


# ---------------------------------------------------------------- page chunks
# The text document-sharing sites (docin, doc88, 原创力, 360doc, renrendoc, zixin …) give for a PDF
# or Word file: the page text cut into chunks of a few hundred characters, one chunk a line, each
# opening with the chunk's number ("1、 ", "2、 " … or "1、" run into the text). That number is a
# page artefact, not a list number: the document's own headings and numbered items run together
# inside the chunks ("…处理 五、 权限范围 ·考核权"), and a chunk may end in the middle of an item
# or a word ("4、 5、考核直属下级…": "4、 " is the chunk, "5、" the duty; "…货币资金、" then
# "2、存货，…").
_CHUNK = re.compile(r"\s*([0-9]{1,3})、(\s*)")
# The document's own numbering inside a chunk: "一、" headings, "1、" / "1." / "(1)" items, and the bare
# numbers of a table's number column run into the text ("…及职责1审阅…；2掌握…"): a bare number
# is one or two digits before a CJK character that is no unit ("3年以上", "2个" are not items).
_INNER = re.compile(
    rf"(?P<cn>(?<![第0-9一二三四五六七八九十]){CN_NUM})、"
    r"|\((?P<paren>[0-9]{1,2})\)"
    r"|(?<![0-9.])(?P<ar>[0-9]{1,2})(?:、|\.(?![0-9]))"
    r"|(?<![0-9A-Za-z.])(?P<bare>[0-9]{1,2})(?=[\u4e00-\u9fff])(?![年月日个人岁次名位种项条元万千百周天小号楼层期级届倍])"
)
# The label cells of a job description's header table ("岗位名称", "所属部门", "直接上级" …), longest first
_LABEL_CELL = re.compile(
    r"(?<![:：])(?:职务名称|职位名称|岗位名称|直接上级|直接下级|所属部门|所在部门|部门名称|编制人数|岗位编制|人员编制"
    r"|所辖人数|定员人数|所辖人员|岗位定员|岗位编号|职位编号|职位编码|岗位编码|工资等级|薪资等级|岗位等级|职位等级)(?!\s*:)"
)
_NUMBER_ONLY = re.compile(rf"(?:{CN_NUM}|[0-9]{{1,3}})、")
_CHUNK_MIN_LENGTH = 150  # mean length of chunks cut by size (a real list's items are shorter)
_RESTART_HINT = re.compile(r"[1１一]").search  # no "1" in any line: no list of its own, a cheap test first
_LEVEL = {"cn": 0, "ar": 1, "paren": 2}  # "一、" over "1、" over "(1)"
_CN_DIGITS = CN + "十"
_HEAD_AFTER_STOP = 120  # how far after a "。" a heading run into the text is looked for
_SPACES = re.compile(r"\s*")
_TEXT = re.compile(r"\S")


def _inner(norm: str) -> list[tuple[str, int, int]]:
    """(style, ordinal, position) of each number of the document's own numbering in ``norm``."""
    out = []
    for m in _INNER.finditer(norm):
        style = m.lastgroup
        out.append((style, cn_int(m.group("cn")) if style == "cn" else int(m.group(style)), m.start()))
    return out


def _own(norm: str) -> list[tuple[str, int, int, int]]:
    """(style, ordinal, start, end) of the numbers in ``norm`` that are surely a list's: "一、",
    "1、" and "(1)". A bare number ("负责1家门店", "精通1门外语") or "1." says nothing about chunks."""
    out = []
    for m in _INNER.finditer(norm):
        style = m.lastgroup
        if style == "bare" or (style == "ar" and not m.group().endswith("、")):
            continue
        out.append((style, cn_int(m.group("cn")) if style == "cn" else int(m.group(style)), m.start(), m.end()))
    return out


def _is_chunked(bodies: list[str]) -> bool:
    """Do the numbered lines ``bodies`` (without their numbers) look like chunks of page text
    rather than the items of a list? Only the surest numbers count ("一、" "1、" "(1)", see
    ``_own``), and all of these must hold:

    - a list of the document's own starts inside the lines (1 then 2 of one style);
    - no line starts its own list again (an item's "(1)…(2)" in every item: a list whose items
      hold short lists, the line numbers being the level above);
    - a heading of the document ("一、", not "一、二级") is run into the middle of a line: page
      text, not a list item;
    - and either the numbering runs on from one line into the next (chunk 3 ends with item 4,
      chunk 4 starts with item 5), or the lines are long (cut by size).

    Length alone is never enough (a real list's items may be long), nor are bare numbers
    ("负责1家门店", "精通1门外语") or a space after the line numbers ("1、 负责…"). A document
    cut into chunks without a numbered heading in them is left as it is (missed, not misread),
    unless the lines are long and the cells of a header table ran together in one ("职位名称X
    所属部门Y", which no list item says): then a list starting inside, bare numbers too, is enough."""
    folded = [fold(b) for b in bodies]
    numbers = [_own(b) for b in folded]
    if _restarts_per_line(numbers):
        return False
    long = sum(len(b) for b in bodies) / len(bodies) >= _CHUNK_MIN_LENGTH
    if long and _header_inside(folded) and _starts_list([_inner(b) for b in folded]):
        return True  # "…职位说明书职位名称客户服务部经理所属部门客户服务部…任职资格1学历…2工作经验…"
    if not _starts_list(numbers) or not _heading_inside(folded, numbers):
        return False
    for before, after in zip(numbers, numbers[1:]):
        last = {style: n for style, n, _, _ in before}
        first = {}
        for style, n, _, _ in after:
            first.setdefault(style, n)
        if any(first.get(style) == n + 1 for style, n in last.items()):
            return True
    return long


def _header_inside(folded: list[str]) -> bool:
    """Did the cells of a header table run together in one of the lines ("职位名称客户服务部经理
    所属部门客户服务部直接上级…": two label cells without colons, near each other)?"""
    for b in folded:
        cells = list(_LABEL_CELL.finditer(b))
        if any(nxt.start() - cell.end() <= 30 for cell, nxt in zip(cells, cells[1:])):
            return True
    return False


def _heading_inside(folded: list[str], numbers) -> bool:
    """Is a numbered heading ("一、", not "一、二级") run into the middle of one of the lines?"""
    for b, nums in zip(folded, numbers):
        for style, _, at, end in nums:
            after = _SPACES.match(b, end).end()
            if style == "cn" and _TEXT.search(b, 0, at) and b[after : after + 1] not in _CN_DIGITS:
                return True
    return False


def _starts_list(numbers) -> bool:
    """Does a list start in the lines: a 1 and, after it, a 2 of the same style?"""
    ones = set()
    for nums in numbers:
        for style, n, *_ in nums:
            if n == 1:
                ones.add(style)
            elif n == 2 and style in ones:
                return True
    return False


def _restarts_per_line(numbers) -> bool:
    """Does a line start its own list again: its first number of a style is 1 when a line
    before had that style, with no number of a level above in between?"""
    seen = set()
    for nums in numbers:
        firsts = set()
        for style, n, _, _ in nums:
            if style not in firsts and n == 1 and style in seen:
                return True
            firsts.add(style)
            seen.add(style)
            seen -= {s for s in seen if _LEVEL[s] > _LEVEL[style]}  # "二、" or "2、" before: sub-lists restart
    return False


def page_chunks(raw_lines: list[str]) -> list[str]:
    """The lines with a run of page chunks (see above) put back together: chunk numbers removed,
    the chunks joined, the text cut again where the document's own headings and items start.
    A list whose items are numbered lines ("1、负责…" "2、负责…") is left alone (see
    ``_is_chunked``), and so is a run whose re-cut would give fewer items than it had lines."""
    starts = [i for i, r in enumerate(raw_lines) if r[:8].lstrip().startswith("1、")]
    for first in starts:
        run, i, n = [], first, 1
        while i < len(raw_lines):
            if not raw_lines[i].strip():
                i += 1
                continue
            m = _CHUNK.match(raw_lines[i])
            if m is None or int(m.group(1)) != n:
                break
            run.append((i, m))
            i, n = i + 1, n + 1
        bodies = [raw_lines[j][m.end() :] for j, m in run]
        if len(run) < 2 or not any(_RESTART_HINT(b) for b in bodies) or not _is_chunked(bodies):
            continue
        joined = ""
        for j, m in run:
            body = raw_lines[j][m.end() :].rstrip()
            spaced = m.group(2) or (joined[-1:].isascii() and joined[-1:].isalnum() and body[:1].isascii())
            joined += (" " if joined and spaced else "") + body
        recut = _recut(joined)
        if sum(1 for line in recut if MARKER.match(fold(line))) < len(run):
            continue  # the lines' own numbers were the list's: keep them
        return raw_lines[:first] + recut + raw_lines[i:]
    return raw_lines


def _recut(text: str) -> list[str]:
    """Chunk text cut into lines where the document's own structure starts: at each heading
    number in sequence ("一、" "二、" …), at each item number in sequence ("1、" "2、" …, restarting
    under each heading; a bare "1" only right after a heading word: "工作内容及职责1审阅…", and a
    bare number gets the "、" the table's number column stood for, as table rows do), before a
    heading with a keyword and a colon ("…完善考核重点：…"), before a short label with a colon or
    a bullet after a space ("… 年龄:28岁以上 经验:3年…", " ·考核权": a form's cells), before a
    form's signature row (" 编写人 审核人 批准人"), before the label cells of a header row that
    ran together ("岗位名称销售大区经理所属部门销售部": each becomes "label：value", as table rows
    do), before a heading after a sentence end ("…工作。具体职责编号工作内容及职责"), and after a
    numbered heading that runs into the next heading or its text ("二、工作职责工作概要本岗位…",
    "六、使用设备 电脑")."""
    norm = fold(text)
    cuts, bare, heads = {0}, set(), []
    for m in re.finditer(r"(?<=[^\s:;,.。、])\s*:(?!//)", norm):
        p = m.start()
        q = p
        while q > 0 and p - q < 8 and not norm[q - 1].isspace() and norm[q - 1] not in TERM + ":;,、()·•":
            q -= 1
        label = norm[q:p]
        if not label or label.isdigit() or (p + 1 < len(norm) and norm[p - 1].isdigit() and norm[p + 1].isdigit()):
            continue
        if q > 0 and norm[q - 1].isspace() and len(label) >= 2:
            if not _number_before(norm, q):  # not "四、 岗位职责:"
                cuts.add(q)  # "… 年龄:28岁以上"
        elif (head := kind_match(label)) is not None and heading_like(label[head[0] :], "kw"):
            heads.append(heading_start(norm, q, q + head[1]))  # "…修订、完善考核重点："
            cuts.add(heads[-1])
    last, last_bare = {"cn": 0, "paren": 0, "ar": 0, "bare": 0}, 0
    heads.sort()
    for style, n, at in _inner(norm):
        if style == "bare" and last["bare"] and _between(heads, last_bare, at):
            last["bare"] = 0  # a heading with a colon ("…完善考核重点：") ends a bare-numbered list
        if n != last[style] + 1:
            continue
        if style == "bare":
            if n == 1 and ((head := kind_match(norm[max(0, at - 6) : at])) is None or head[1] != min(at, 6)):
                continue
            if n == 1 and head[1] - head[0] >= 4:  # "…客户服务主管任职资格1学历…": the heading on a line of its own
                cuts.add(heading_start(norm, max(0, at - 10), at))
            bare.add(at)
            last_bare = at
        cuts.add(at)
        last[style] = n
        if style == "cn":
            last["paren"] = last["ar"] = last["bare"] = 0
            cuts.update(_after_heading(norm, at))
    cuts.update(m.start() + 1 for m in re.finditer(r"\s[·•●▪■◆](?=\S)", norm))
    cuts.update(m.start() + 1 for m in re.finditer(r"\s(?:编写|撰写|编制|拟制)人\s", norm))  # a form's signature row
    cells = list(_LABEL_CELL.finditer(norm))
    valued = set()
    for k, m in enumerate(cells):  # a header row whose cells ran together: "岗位名称X所属部门Y直接上级Z"
        near = (k and m.start() - cells[k - 1].end() <= 30) or (
            k + 1 < len(cells) and cells[k + 1].start() - m.end() <= 30
        )
        if near:
            cuts.add(m.start())
            if norm[m.end() : m.end() + 1].strip() and (k + 1 == len(cells) or cells[k + 1].start() > m.end()):
                valued.add(m.end())
    ordered = sorted(cuts)
    for m in re.finditer("。", norm):
        k = bisect_right(ordered, m.end())
        end = ordered[k] if k < len(ordered) else len(norm)  # the next cut
        if end - m.end() > _HEAD_AFTER_STOP:
            continue  # a heading is short
        tail = norm[m.end() : end].strip()
        if tail and kind_of(tail) and heading_like(tail, "kw"):
            cuts.add(m.end())  # "…工作。具体职责编号工作内容及职责"
    bounds = sorted(cuts) + [len(text)]
    valued = sorted(valued)
    lines = []
    for a, b in zip(bounds, bounds[1:]):
        line = text[a:b].strip()
        if line and a in bare:  # "1审阅…" is item 1: "1、审阅…"
            digits = len(norm[a:b]) - len(norm[a:b].lstrip("0123456789"))
            line = line[:digits] + "、" + line[digits:]
        k = bisect_right(valued, a)
        label = valued[k] if k < len(valued) and valued[k] < b else None
        if line and label is not None:  # "岗位名称销售大区经理" says "岗位名称：销售大区经理"
            line = text[a:label].strip() + "：" + text[label:b].strip()
        if line:
            lines.append(line)
    return lines


def _number_before(norm: str, q: int) -> bool:
    """Is the word before the spaces before ``q`` a heading's number alone ("四、 岗位职责:")?"""
    end = q
    while end > 0 and norm[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not norm[start - 1].isspace() and end - start <= 4:  # "十二、", "123、": short
        start -= 1
    return (start == 0 or norm[start - 1].isspace()) and _NUMBER_ONLY.fullmatch(norm[start:end]) is not None


def _between(ordered: list[int], lo: int, hi: int) -> bool:
    """Is any of the sorted positions ``ordered`` strictly between ``lo`` and ``hi``?"""
    k = bisect_right(ordered, lo)
    return k < len(ordered) and ordered[k] < hi


def _after_heading(norm: str, at: int) -> list[int]:
    """Where the heading numbered at ``at`` ("二、工作职责…") ends when more runs on after it on
    the line: another heading or its text straight after a keyword of four characters or more
    ("工作职责工作概要本岗位…" is cut after 工作职责 and after 工作概要), or a space after a short
    heading with a keyword ("六、使用设备 电脑")."""
    m = _INNER.match(norm, at)
    start = _SPACES.match(norm, m.end()).end()
    head = kind_match(norm[start : start + 12])
    if head is None or heading_start(norm, start, start + head[1]) != start:
        return []
    end = start + head[1]
    space = norm.find(" ", start, start + 16)
    if space >= end and heading_like(norm[start:space], "kw") and _TEXT.search(norm, space):
        return [space]  # "六、使用设备 电脑", "九、绩效考核原则 撰写人…"
    if end - start < 4 or not norm[end : end + 1].strip() or norm[end] in TERM + ":、,":
        return []
    cuts = [end]
    nxt = kind_match(norm[end : end + 8])
    if (
        nxt is not None
        and nxt[0] == 0
        and nxt[1] >= 4
        and nxt[2] != "other"
        and norm[end + nxt[1] : end + nxt[1] + 1] not in (":", "")
    ):
        cuts.append(end + nxt[1])  # "工作概要" then its text
    return cuts
