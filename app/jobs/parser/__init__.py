"""Turn a messy pasted job-description document into structure (standard library only).

Pipeline, one pass over the lines after a look at the whole:

0. tables and layout (``tables``, ``_label_lines``) - table rows (cells joined by TAB, as the
   upload's text extraction writes Word and HTML tables) are rewritten as the lines a text
   document would have (``岗位名称：客服主管``, ``任职资格：`` then ``学历：大专及以上``, KPI rows
   as items), "【职位名称】X" and a field label with its value on the next line become
   ``label：value``; the title the first lines name is found ("客服主管岗位说明书" names 客服主管,
   a short first line before a heading or a field is a title) and those lines are not items;
1. normalise - each line gets a same-length *matching copy* with full-width forms (``１．``
   ``（一）`` ``：``) folded to ASCII and Traditional characters to Simplified ones (``職務名稱``
   matches ``职务名称``); regexes run on the copy, returned text is sliced from the original,
   so the parser never invents characters (table rows aside: their cells are joined with ``：``)
   and keeps the user's script;
2. drop noise - whole lines that look like web-page or PDF furniture (download banners, view
   counters, file information ``格式:doc`` ``大小:154.00 KB`` ``文档页数:2``, page numbers
   ``第 1 页 共 2 页``, running page headers, "reproduced from" notes) are skipped, counted in a
   warning, and end the open item; in a long line that lost its line breaks only the noise is cut;
3. split lines into tokens (``lines``) - numbering markers (``1、`` ``2.`` ``(一)`` ``①`` ``A、``
   ``•`` ``-负责``...), field labels (``直接上级:``), headings (``岗位职责:``, ``Job requirements``,
   run-on Title Case headings of long English lines) and plain labels (``市场部:``). A marker
   inside a line starts an item only after a sentence end or a space *and* when it is the next
   number of its list, so "48小时内" or "2,5以上" never split an item; "2.3年以上经验" is item 2
   when item 1 came before it, a decimal otherwise; a number further on after a sentence end
   ("…处理。8.负责…") starts an item (with a warning about the gap) unless the next line carries
   on the list below it (then a warning says the item may hold two);
4. assemble (``document``) - items go into sections. A short unpunctuated item followed by a
   deeper list (``1)、关于管理工作`` then ``A、``), or a short ``一、``/``(一)`` item, is taken
   for a sub-heading, tentatively: if nothing comes under it before its list goes on or ends, it
   is an item after all (a run of "一、…" items with no children is a list). A line without a
   marker continues an unfinished item when the previous line looks wrapped (English: when it
   starts in lower case or the item ends on "the", "of"…); lines right under a heading of which
   none ends a sentence are one item each ("Responsibilities" then "Upload new products");
   otherwise a line is a paragraph (a requirement if it looks like one, e.g. "25—45岁3年运营经验",
   or is labelled so under a requirements heading, "学历：本科");
5. extract fields - the first value of each field label wins; the paragraphs under a purpose
   heading (岗位目的 / 职位概述 / 岗位描述 / Job Summary …) are the purpose (``fields["purpose"]``;
   a numbered list under 职位描述 is duties).

Nothing is dropped silently: text that fits no section is an "other" item, and a heading with
nothing under it is named in a warning. Section kinds come from heading keywords
(``patterns.KINDS``; salary, benefits, working conditions, how to apply, contacts are "other").
Headings without a keyword inherit the kind in force (duties at the start of a document);
``label: value`` facts are "other" sections.
"""
from __future__ import annotations

from app.jobs.parser.document import Doc
from app.jobs.parser.lines import Line
from app.jobs.parser.messages import (ERR_EMPTY, ERR_NOT_TEXT, ERR_TOO_LONG, MAX_WARNINGS, WARN_EMPTY_HEADING,
                                      WARN_JUMP, WARN_JUMP_UNTITLED, WARN_MORE, WARN_NO_DUTIES, WARN_NOISE,
                                      WARN_NOISE_ONE, WARN_RUN_ON, WARN_RUN_ON_UNTITLED, WARN_START,
                                      WARN_START_UNTITLED)
from app.jobs.parser import tables
from app.jobs.parser.patterns import (BRACKET_LABEL, DONE, FIELD, FOLD, GENERIC_TITLE, LABELLED_LINE, LONE_BULLETS, LONG_LINE,
                                      MARKER, NOISE, NOISE_EDGE, RUNNING, TITLE_LINE, TITLE_PREFIX, decode, fold,
                                      heading_like, heading_text, kind_of)

MAX_CHARS = 200_000

__all__ = ["MAX_CHARS", "ParseError", "parse_job_description", "ERR_EMPTY", "ERR_NOT_TEXT", "ERR_TOO_LONG",
           "MAX_WARNINGS", "WARN_EMPTY_HEADING", "WARN_JUMP", "WARN_JUMP_UNTITLED", "WARN_MORE", "WARN_NO_DUTIES",
           "WARN_NOISE", "WARN_NOISE_ONE", "WARN_RUN_ON", "WARN_RUN_ON_UNTITLED", "WARN_START",
           "WARN_START_UNTITLED"]


class ParseError(ValueError):
    """The text cannot be parsed at all (not text, empty, or longer than MAX_CHARS)."""


def parse_job_description(text: str) -> dict:
    """Parse pasted job-description text into ``{"title", "fields", "sections", "duties",
    "requirements", "warnings"}`` (see the module docstring); ``fields`` holds ``reports_to``,
    ``direct_reports``, ``department``, ``headcount`` and ``purpose``. Raises ParseError for text that is
    not a string, empty or whitespace only, or longer than MAX_CHARS."""
    if not isinstance(text, str):
        raise ParseError(ERR_NOT_TEXT)
    if len(text) > MAX_CHARS:
        raise ParseError(ERR_TOO_LONG.format(length=len(text), limit=MAX_CHARS))
    if not text.strip():
        raise ParseError(ERR_EMPTY)
    lines = [(raw, norm) for raw in _untabled(text.splitlines())
             if (norm := fold(raw)).strip() and norm.strip() not in LONE_BULLETS]  # "-" alone says nothing
    lines = [_bracket_label(raw, norm) for raw, norm in lines] if any("【" in r for r, _ in lines) else lines
    _label_lines(lines)
    noise = [bool(NOISE.search(norm)) for _, norm in lines]
    if any(noise):
        _cut_noise(lines, noise)
    _split_title(lines, noise)
    _running_headers(lines, noise)
    markers = [MARKER.match(norm, len(norm) - len(norm.lstrip())) for _, norm in lines]
    title, title_at = find_title(lines, noise, markers)
    hard = _item_per_line(lines, noise, markers)
    subheads = _subheadings(lines, noise, markers, title_at)
    doc = Doc()
    widths = sorted(_width(norm) for i, (_, norm) in enumerate(lines) if not noise[i])
    if widths:  # a line nearly as wide as the widest may be a wrapped one (PDF text); a shorter one ends
        doc.wrap_width = max(doc.wrap_width, int(0.8 * widths[-1]))
    for i, (raw, norm) in enumerate(lines):
        if noise[i] or i in title_at:  # a dropped line also ends the open item: items never span removed text
            doc.end_line(0, close=True)
            continue
        m = next((markers[j] for j in range(i + 1, min(i + 4, len(lines))) if not noise[j]), None) \
            if i + 1 < len(lines) else None
        doc.hard = hard[i]
        if i in subheads:  # "店铺基础管理" over "店铺搭建与维护：…" lines or a numbered list
            doc.pend("label", raw)
            doc.end_line(0)
            continue
        Line(doc, raw, norm, decode(m) if m else None).scan()
    result = doc.result(title)
    if any(noise):
        count = sum(noise)
        result["warnings"].insert(0, WARN_NOISE_ONE if count == 1 else WARN_NOISE.format(count=count))
    return result


def _width(norm: str) -> int:
    """Display width of a line: a CJK character counts two."""
    seg = norm.strip()
    return (len(seg.encode("utf-8")) + len(seg)) // 2


def _untabled(raw_lines: list[str]) -> list[str]:
    """The lines with each run of table rows (cells joined by TAB) rewritten as text lines."""
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


def _bracket_label(raw: str, norm: str) -> tuple[str, str]:
    """"【职位名称】数据分析专员" says "职位名称：数据分析专员"."""
    m = BRACKET_LABEL.match(norm)
    if m is None:
        return raw, norm
    raw = raw[:m.end(1)] + "：" + raw[m.end():]
    return raw, raw.translate(FOLD)


def _label_lines(lines):
    """A header field whose value is on the next line (a web table flattened one cell per line:
    "岗位名称" then "客服主管") is one line "岗位名称：客服主管"."""
    i = 0
    while i + 1 < len(lines):
        label = lines[i][1].strip().strip("*#【】[] ")
        if label and len(label) <= 12 and FIELD.fullmatch(label + ":") and ":" not in lines[i + 1][1] \
                and not MARKER.match(lines[i + 1][1].lstrip()) and not FIELD.match(lines[i + 1][1].strip() + ":"):
            raw = label + "：" + lines[i + 1][0].strip()
            lines[i:i + 2] = [(raw, raw.translate(FOLD))]
        i += 1


def _cut_noise(lines, noise):
    """A long line with page noise and numbered items in it (a document site's page whose line
    breaks were lost) is not dropped whole: each run of noise is cut out as a noise line of its
    own, the text around it kept."""
    out_lines, out_noise = [], []
    for (raw, norm), is_noise in zip(lines, noise):
        if not is_noise or len(norm) <= LONG_LINE or sum(1 for m in MARKER.finditer(norm) if m.lastgroup != "bu") < 3:
            out_lines.append((raw, norm))
            out_noise.append(is_noise)
            continue
        pos = 0
        while (m := NOISE.search(norm, pos)) is not None:
            a, b = max(pos, len(norm[:m.start()].rstrip(" -–·•0123456789"))), m.end()
            while (n := NOISE.search(norm, b)) is not None and n.start() - b <= 40:
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


def _split_title(lines, noise):
    """A first line that runs on after its title ("电商部经理职位说明书一、工作职责…", a document
    whose line breaks were lost) is two lines: the title, then the rest."""
    i = next((i for i in range(len(lines)) if not noise[i]), None)
    if i is None:
        return
    raw, norm = lines[i]
    m = TITLE_PREFIX.match(norm)
    if m and norm[m.end():].strip():
        lines[i:i + 1] = [(raw[:m.end()], norm[:m.end()]), (raw[m.end():], norm[m.end():])]
        noise.insert(i, False)


def _running_headers(lines, noise):
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
        m = TITLE_LINE.fullmatch(t) if len(t) <= 80 else None
        if m:
            g = m.lastgroup
            found = heading_text(raw[lead + m.start(g):lead + m.end(g)])
            if found and ":" not in fold(found) and not GENERIC_TITLE.fullmatch(fold(found)) and not kind_of(found) \
                    and found[-1] not in "及和与、":
                return found, {j for j in range(len(lines)) if lines[j][1].strip() == norm.strip()}
        if _opens(norm):
            break
        head, colon, rest = t.partition(":")
        if colon and heading_like(head, "label") and not kind_of(head) and not FIELD.match(t) \
                and (kind_of(rest.split(":")[0]) and ":" in rest or MARKER.match(rest.lstrip())):
            return heading_text(raw[lead:lead + len(head)]), set()   # "运营部经理：工作职责：1. …"
        if k == 0 and _bare_title(t) and len(first) > 1 and _opens(lines[first[1]][1]):
            return heading_text(raw), {i}
    kept = [i for i in range(len(lines)) if not noise[i]][:8]
    for k, i in enumerate(kept[1:], 1):  # "人才招聘" / "运营总监" / "岗位职责：": the line before the first heading
        if markers[i] or markers[kept[k - 1]]:
            break
        if _opens(lines[i][1]):
            before = lines[kept[k - 1]][1].strip()
            if _bare_title(before) and not _opens(before):
                return heading_text(lines[kept[k - 1]][0]), {kept[k - 1]}
            break
    return None, set()


def _bare_title(t: str) -> bool:
    s = t.strip("#*=【】[] \t")
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
        t = t[m.end():].strip()
    if FIELD.match(t):
        return True
    t = t.rstrip(":").strip()
    return bool(kind_of(t)) and heading_like(t, "kw")


def _subheadings(lines, noise, markers, title_at) -> set:
    """Short lines without a number, a colon or punctuation between a finished line and a list
    or "label：text" lines: sub-headings of the section ("店铺基础管理", "营销活动策划与推广")."""
    found, prev = set(), None
    kept = [i for i in range(len(lines)) if not noise[i]]
    for k, i in enumerate(kept):
        t = lines[i][1].strip()
        nxt = kept[k + 1] if k + 1 < len(kept) else None
        if prev is not None and nxt is not None and not markers[i] and i not in title_at and len(t) <= 24 \
                and not any(c in ":;,.!?、" for c in t) and heading_like(t, "label") and not kind_of(t) \
                and (lines[prev][1].rstrip()[-1:] in DONE + "】" or _opens(lines[prev][1])) \
                and (markers[nxt] or LABELLED_LINE.match(lines[nxt][1])
                     or (found and len(lines[nxt][1].strip()) >= 20)):
            found.add(i)
        prev = i
    return found


def _item_per_line(lines, noise, markers) -> list[bool]:
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
