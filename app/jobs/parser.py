"""Turn a messy pasted job-description document into structure (standard library only).

Pipeline, one pass over the lines:

1. normalise - each line gets a same-length *matching copy* with full-width forms (``１．``
   ``（一）`` ``：``) folded to ASCII; regexes run on the copy, returned text is sliced from the
   original, so the parser never invents characters;
2. drop noise - whole lines that look like web-page furniture (download banners, view counters,
   "reproduced from" notes) are skipped, counted in a warning, and end the open item;
3. split lines into tokens - numbering markers (``1、`` ``2.`` ``(一)`` ``①`` ``A、`` ``•`` ...),
   field labels (``直接上级:``), headings (``岗位职责:``, ``Job requirements``) and plain labels
   (``市场部:``). A marker inside a line starts an item only after a sentence end or a space *and*
   when it is the next number of its list, so "48小时内" or "2,5以上" never split an item;
4. assemble - items go into sections. A short unpunctuated item followed by a deeper list
   (``1)、关于管理工作`` then ``A、``), or a short ``一、``/``(一)`` item, becomes a sub-heading.
   A line without a marker continues an unfinished item when the previous line looks wrapped;
   otherwise it is a paragraph (a requirement if it looks like one, e.g. "25—45岁3年运营经验");
5. extract fields - the first value of each field label wins.

Section kinds come from heading keywords (``_KINDS``). Headings without a keyword inherit the
kind in force (duties at the start of a document); ``label: value`` facts are "other" sections.
"""
from __future__ import annotations

import re

MAX_CHARS = 200_000

# Messages, kept as module-level format strings so the app can wrap them for translation.
ERR_NOT_TEXT = "The job description must be text."
ERR_EMPTY = "The job description is empty."
ERR_TOO_LONG = "The job description is too long ({length} characters; the limit is {limit})."
WARN_NOISE_ONE = "Ignored 1 line that looks like web-page noise (download banners, view counters)."
WARN_NOISE = "Ignored {count} lines that look like web-page noise (download banners, view counters)."
WARN_JUMP = "Item numbering jumps from {previous} to {current} in section '{section}': check for a missing item."
WARN_JUMP_UNTITLED = "Item numbering jumps from {previous} to {current}: check for a missing item."
WARN_START = "Item numbering starts at {current} in section '{section}': check for a missing item."
WARN_START_UNTITLED = "Item numbering starts at {current}: check for a missing item."
WARN_NO_DUTIES = "No duties were found: check that the text lists the responsibilities of the position."
WARN_MORE = "{count} more warnings are not shown."
MAX_WARNINGS = 20


class ParseError(ValueError):
    """The text cannot be parsed at all (not text, empty, or longer than MAX_CHARS)."""


# ---------------------------------------------------------------- characters and patterns
_FOLD = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII, same length
_FOLD.update({i: 0x20 for i in range(0x3001) if chr(i).isspace()})
_TERM = "。.;!?"              # sentence ends (after folding)
_DONE = _TERM + ":"           # an item ending with one of these is complete
_TRAIL = " \t；;,，:：、"      # stripped from both ends of items
_CN = "一二三四五六七八九"
_CN_NUM = f"(?:[{_CN[1:]}]?十[{_CN}]?|[{_CN}])"
_SELF_DELIMITED = {"paren", "paren_cn", "circled"}  # "(3)" "③" may follow any character
_EAGER = {"cn", "paren_cn"}   # a short "一、…" / "(一)…" item is a heading at once
_NOT_BEFORE_LABEL = "第共约近每年月日"  # "第1、" "2011年1、" are not list starts

_NOISE = re.compile(  # the look-ahead on first characters makes the scan four times faster
    r"(?=[本原bB版文相查上VvT成.实该+人作下二阅fF\s0-9])(?:本文档共\s*\d+\s*页|原创力文档|book118|版权申诉"
    r"|文档评论|文档贡献者|相关文档|查看更多|上传文档|VIP(?:文档|会员|精品|专享)|成为VIP"
    r"|\.(?:pdf|docx?|pptx?|txt)\s*VIP|实名认证|该用户很懒|\+\s*关注|人气\s*:\s*\d|^\s*作者\s*:"
    r"|下载(?:本文档|权益|券)|二次下载|阅读全部内容|following content is reproduced"
    r"|Traditional Culture Encyclopedia|^\s*\d{2,4}\*{3,}\d{2,4})", re.I)
_MARKER = re.compile(
    r"(?=[0-9(\u2460-\u2487一二三四五六七八九十A-Z•●▪■◆◇·*\-–])"
    r"(?:\(\s?(?P<pn>[0-9]{1,2})\s?\)、?"                               # (1)
    rf"|\((?P<pc>{_CN_NUM})\)、?"                                       # (一)
    r"|(?P<ps>[\u2474-\u2487])、?|(?P<ci>[\u2460-\u2473])、?"             # ⑴ ①
    r"|(?<![0-9A-Za-z(])(?P<cp>[0-9]{1,2})\)、?"                         # 1) 1)、
    r"|(?<![0-9A-Za-z.])(?P<ar>[0-9]{1,3})(?P<sep>\.、|、|\.(?![0-9])|,)"  # 1、 1. 1, 2.、
    rf"|(?<![{_CN}十])(?P<cn>{_CN_NUM})(?:、|\.(?![0-9]))"                # 一、 一.
    r"|(?<![A-Za-z])(?P<le>[A-Z])(?:、|\.(?![A-Za-z0-9]))"               # A、 A.
    r"|(?P<bu>[•●▪■◆◇·]|[-–*](?=\s)))")                                 # • · - *
_FAMILY = {"pn": "paren", "ps": "paren", "pc": "paren_cn", "ci": "circled", "cp": "close", "sep": "arabic",
           "cn": "cn", "le": "letter", "bu": "bullet"}
_BASE = {"ps": 0x2473, "ci": 0x245F, "le": 64}  # ⑴ ① A count from 1
_FIELD = re.compile(
    r"(?=[职岗直所部编定jprdh])(?:(?P<title>职务名称|职位名称|岗位名称)|(?P<reports_to>直接上级)"
    r"|(?P<direct_reports>直接下级)|(?P<department>所属部门|部门名称)|(?P<headcount>编制人数|编制|定员)"
    r"|\b(?:(?P<title_en>job title|position)|(?P<reports_en>reports? to|reporting to)"
    r"|(?P<direct_en>direct reports)|(?P<dept_en>department)|(?P<head_en>headcount))\b)\s*:", re.I)
_FIELD_NAME = {"title_en": "title", "reports_en": "reports_to", "direct_en": "direct_reports",
               "dept_en": "department", "head_en": "headcount"}
_SHORT_FIELD = {"headcount", *_FIELD_NAME}  # labels that need a space or sentence end before them
_COLON = re.compile(r":(?!//)")
_DOC = re.compile(rf"第(?:{_CN_NUM}|[0-9]{{1,3}})篇|篇{_CN_NUM}")  # "第二篇:" starts another document
_KINDS = [  # at the same position the earlier kind wins ("职责权限" is authority, not duties)
    ("authority", r"职责权限|管理权限|管理责任|权限|职权|\bauthorit(?:y|ies)\b"),
    ("kpis", r"考核指标|绩效|考核|业绩指标|\bkpis?\b|\bkey performance\b"
             r"|\bperformance (?:indicators?|metrics|targets|evaluation)\b"),
    ("requirements", r"任职资格|任职要求|任职条件|职务要求|岗位要求|职位要求|工作能力|工作经验|能力|资格|要求|加分项"
                     r"|\brequirements?\b|\bqualifications?\b|\bskills\b|\bcompetenc(?:e|es|y|ies)\b"
                     r"|\bwhat we(?:['’]re| are)? look(?:ing)? for\b|\bwho you are\b|\bmust[- ]haves?\b"),
    ("other", r"工作总结|总结|编制|岗位设置|人员配置|福利|待遇|薪资|薪酬|公司简介"
              r"|\bbenefits\b|\bperks\b|\bwhat we offer\b|\bsalary\b|\bcompensation\b|\babout us\b"),
    ("duties", r"职责|职能|岗位描述|职位描述|工作描述|工作内容|工作(?=[\s:]*$)|\bresponsibilit(?:y|ies)\b"
               r"|\bduties\b|\bduty\b|\btasks\b|\bwhat you(?:['’]ll| will) do\b|\byour role\b"),
]
_KIND_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _KINDS), re.I)
_REQ_LIKE = re.compile(r"学历|本科|大专|专科|硕士|中专|高中|[0-9]+\s*岁|经验|experience|degree|bachelor", re.I)
_WS = re.compile(r"\s+")
_CJK_WS = re.compile(r"(?<=[\u2e80-\U0010ffff])\s+(?=[\u2e80-\U0010ffff])")  # wrap spaces in CJK text
_WORDY = re.compile(r"[^\W_]").search
_LIST_SEP = re.compile(r"[；;、,，/]")
_NONE_VALUES = {"无", "没有", "暂无", "none", "n/a", "-", "/"}


# ---------------------------------------------------------------- small helpers
def _wide(c: str) -> bool:
    return c >= "\u2e80"


def _cn_int(s: str) -> int:
    if "十" not in s:
        return _CN.index(s) + 1
    tens, _, ones = s.partition("十")
    return (_CN.index(tens) + 1 if tens else 1) * 10 + (_CN.index(ones) + 1 if ones else 0)


def _decode(m) -> tuple[str, int]:
    """(family, ordinal) of a marker match; bullets have ordinal 0."""
    g = m.lastgroup
    v = m.group("ar" if g == "sep" else g)
    if g in _BASE:
        return _FAMILY[g], ord(v) - _BASE[g]
    return _FAMILY[g], 0 if g == "bu" else _cn_int(v) if g in ("pc", "cn") else int(v)


def _label(fam: str, n: int) -> str:
    return chr(64 + n) if fam == "letter" and 0 < n < 27 else str(n)


def _kind(s: str) -> str | None:
    m = _KIND_RE.search(s)
    return m.lastgroup if m else None


def _heading_like(s: str, mode: str) -> bool:
    """Short text without sentence punctuation. mode: "kw" (a heading with a keyword), "label"
    (a bare ``name:``) or "promo" (an item that may become a sub-heading)."""
    s = s.strip().rstrip("。:：.").strip().translate(_FOLD)
    bad = ";!?。:" if mode == "promo" else ",;!?。:、"
    if not s or any(c in bad for c in s) or not any(c.isalpha() for c in s):
        return False
    if sum(c.isascii() for c in s) * 2 > len(s):
        return len(s) <= 80 and len(s.split()) <= {"kw": 12, "label": 4, "promo": 8}[mode]
    return len(s) <= {"kw": 30, "label": 12, "promo": 24}[mode]


def _clean(parts) -> str:
    """Join text pieces (nothing between CJK, one space between Latin words), tidy the ends."""
    out = ""
    for p in parts:
        p = p.strip()
        if p:
            out += (" " if out and not (_wide(out[-1]) or _wide(p[0])) else "") + p
    if _WS.search(out):
        out = _WS.sub(" ", _CJK_WS.sub("", out))
    return out.strip(_TRAIL).strip()


def _heading_text(s: str) -> str:
    """Heading text without decoration: "【岗位职责】" "## Responsibilities" "**Skills:**"."""
    s = _clean([s]).rstrip("。:：.")
    return s.strip("#*=【】[]「」 \t").strip() or s


def _field_value(name: str, value: str):
    """The parsed value of a field, or None when there is none."""
    value = _clean([value]).rstrip("。.")
    if not value:
        return None
    if name == "headcount":
        digits = re.search(r"[0-9]+", value.translate(_FOLD))
        return int(digits.group()) if digits else None
    if name == "direct_reports":
        return [] if value.lower() in _NONE_VALUES else [v for v in (_clean([x]) for x in _LIST_SEP.split(value)) if v]
    return value


def _frag_start(norm: str, lo: int, p: int):
    """Start of the fragment before ``p``: after the last sentence end or CJK-separating space
    in ``norm[lo:p]``; None when that fragment would be longer than 80 characters."""
    i, stop = p - 1, max(lo, p - 80)
    while i >= stop:
        c = norm[i]
        if c in _TERM or (c.isspace() and i + 1 < p and _wide(norm[i + 1]) and (i == lo or _wide(norm[i - 1]))):
            return i + 1
        i -= 1
    return lo if stop == lo else None


# ---------------------------------------------------------------- assembly
class _Doc:
    """Builds sections and items from the tokens of the lines.

    State: ``sec`` the current section; ``item`` the open item (its text pieces); ``pending`` a
    label or field waiting for its value; ``stack`` the numbering families in nesting order with
    ``last`` ordinal of each (``popped`` remembers closed levels, for lettering that goes on in a
    sibling group); ``head_fams`` the levels whose items became sub-headings; ``context`` the
    kind that headings without a keyword inherit (``scope``: what each sub-heading level inherited).
    """

    def __init__(self):
        self.sections, self.sec, self.item, self.pending = [], None, None, None
        self.stack, self.last, self.popped, self.head_fams = [], {}, {}, set()
        self.fam_sec, self.scope, self.context = {}, {}, "duties"
        self.fields = {"title": None, "reports_to": None, "direct_reports": [], "department": None,
                       "headcount": None}
        self.filled, self.warnings, self.warned, self.prev_width = set(), [], set(), 0

    def warn(self, msg: str):
        if msg not in self.warned:
            self.warned.add(msg)
            self.warnings.append(msg)

    def expected(self, fam: str, ordv: int) -> bool:
        """Is ``ordv`` the next number of its list (or lettering going on from a sibling group)?"""
        if fam in self.stack:
            return ordv == self.last.get(fam, 0) + 1
        return ordv == 1 or ordv == self.popped.get(fam, -1) + 1

    def _section(self, heading, kind, implicit=False):
        self.sec = {"heading": heading, "kind": kind, "items": [], "implicit": implicit, "listed": False}
        self.sections.append(self.sec)
        return self.sec

    def _pop(self, keep: int):
        for f in self.stack[keep:]:
            self.popped[f] = self.last.pop(f, 0)
        del self.stack[keep:]

    def _trim(self):
        """A heading ends the lists below the nearest sub-heading level."""
        self._pop(max((i + 1 for i, f in enumerate(self.stack) if f in self.head_fams), default=0))
        self.popped.clear()

    def _close(self, fresh_next=False):
        """Finish the open item: it becomes a sub-heading when short and unpunctuated and either
        eager ("一、…") or followed by a new, deeper list; otherwise it joins its section."""
        it, self.item = self.item, None
        if it is None:
            return
        text, fam = _clean(it["parts"]), it["fam"]
        eager = fam in _EAGER and text[-1:].translate(_FOLD) not in _TERM  # "一、负责运营。" is an item
        if fam and text and (eager or fresh_next) and _heading_like(text, "promo"):
            self.context = self.scope.setdefault(fam, self.context)  # siblings inherit alike
            kind = _kind(text)
            self.context = kind or self.context
            self._section(_heading_text(text), self.context)
            self.head_fams.add(fam)
            return
        if _WORDY(text):
            it["sec"]["items"].append(text)
        self.head_fams.discard(fam)

    def _resolve(self):
        """A pending ``label:`` without a value is a sub-heading; ``第二篇:`` a new document."""
        p, self.pending = self.pending, None
        if p and p[0] == "label":
            self._trim()
            self._section(_heading_text(p[1]), self.context)
        elif p and p[0] == "doc":
            self.heading(p[1], _kind(p[1]) or "other", new_document=True)

    def heading(self, text: str, kind: str, new_document: bool = False):
        """A keyword heading: lists below the nearest sub-heading level end; its kind is in force."""
        self._resolve()
        self._close()
        if new_document:
            self.head_fams.clear()
        self._trim()
        self.scope = {f: c for f, c in self.scope.items() if f in self.stack}
        self.context = kind
        self._section(_heading_text(text), kind)

    def pend(self, kind: str, name: str):
        """A "label", "doc" marker or "field" waits for its value: the text after its colon."""
        self._resolve()
        self._close()
        self.pending = (kind, name)

    def start_item(self, fam: str, ordv: int):
        self._resolve()
        fresh = fam not in self.stack
        continued = fresh and ordv == self.popped.get(fam, -1) + 1  # lettering A-D, then E-H
        self._close(fresh_next=fresh and (ordv <= 1 or continued))
        sec, own = self.sec, self.fam_sec.get(fam)
        if not fresh and ordv > 1 and own is not None and own is not sec:
            sec = self._section(own["heading"], own["kind"], own["implicit"])  # back to the outer list
        if sec is None or (sec["implicit"] and not sec["listed"]):
            sec = self._section(None, self.context, implicit=True)
        self.sec, sec["listed"], self.fam_sec[fam] = sec, True, sec
        if fresh:
            self.stack.append(fam)
        else:
            self.head_fams.difference_update(self.stack[self.stack.index(fam) + 1:])
            self._pop(self.stack.index(fam) + 1)
        if ordv:
            prev, name = self.last.get(fam, 0), sec["heading"]
            if prev == 0 and ordv > 1 and not continued:
                self.warn((WARN_START if name else WARN_START_UNTITLED).format(current=_label(fam, ordv), section=name))
            elif prev and ordv > prev + 1:
                self.warn((WARN_JUMP if name else WARN_JUMP_UNTITLED).format(
                    previous=_label(fam, prev), current=_label(fam, ordv), section=name))
            self.last[fam] = ordv
        self.item = {"fam": fam, "parts": [], "sec": sec, "eol": False}

    def open_unfinished(self) -> bool:
        """Does the open item look cut by a line wrap (no final punctuation, long previous line)?"""
        it = self.item
        if it is None or it["eol"] or not it["parts"]:
            return False
        tail = it["parts"][-1].rstrip()
        if not tail or tail[-1].translate(_FOLD) in _DONE:
            return False
        if it["fam"] in _EAGER and _heading_like(_clean(it["parts"]), "promo"):
            return False
        return self.prev_width >= 36 or tail[-1] in "、,，(（-—"

    def text(self, s: str, lead: bool):
        """Text after a cut (``lead``: at the start of a line without a marker)."""
        if not s.strip():
            return
        if self.pending:
            kind, name = self.pending
            self.pending = None
            if kind == "field":
                if name not in self.filled and (value := _field_value(name, s)) is not None:
                    self.fields[name] = value  # the first value wins
                    self.filled.add(name)
            elif kind == "doc":
                self.heading(s, _kind(s) or "other", new_document=True)
            else:  # "部门性质:网络销售,推广"
                self._section(_heading_text(name), "other")
                self.item = {"fam": None, "parts": [s], "sec": self.sec, "eol": True}
            return
        if lead and self.item is not None and not self.open_unfinished():
            self._close()
        if self.item is None:  # a paragraph: an unnumbered item
            kind = "requirements" if len(s.strip()) <= 60 and _REQ_LIKE.search(s) else "other"
            sec = self.sec
            if sec is None or sec["listed"] or (sec["implicit"] and sec["kind"] != kind):
                sec = self._section(None, kind, implicit=True)
            self.item = {"fam": None, "parts": [], "sec": sec, "eol": False}
        self.item["parts"].append(s)

    def whole_line(self, raw: str, norm: str, next_one: bool):
        t = norm.strip()
        kind = _kind(t) if len(t) <= 80 else None
        if kind and _heading_like(t, "kw") and (next_one or not self.open_unfinished()):
            self.heading(raw, kind)
        else:
            self.text(raw, lead=True)

    def end_line(self, width: int, close: bool = False):
        self._resolve()  # a label without a value is a sub-heading; a field without one is dropped
        if self.item is not None and (close or self.item["eol"]):
            self._close()
        self.prev_width = width

    def result(self) -> dict:
        self._resolve()
        self._close()
        sections = [{"heading": s["heading"], "kind": s["kind"], "items": s["items"]}
                    for s in self.sections if s["items"]]
        duties = [i for s in sections if s["kind"] == "duties" for i in s["items"]]
        if not duties:
            self.warn(WARN_NO_DUTIES)
        warnings = self.warnings[:MAX_WARNINGS]
        if len(self.warnings) > MAX_WARNINGS:
            warnings.append(WARN_MORE.format(count=len(self.warnings) - MAX_WARNINGS))
        fields = dict(self.fields)
        return {"title": fields.pop("title"), "fields": fields, "sections": sections, "duties": duties,
                "requirements": [i for s in sections if s["kind"] == "requirements" for i in s["items"]],
                "warnings": warnings}


# ---------------------------------------------------------------- tokenising one line
def _inline_marker_ok(doc: _Doc, norm: str, m, fam: str, ordv: int, cut: int, in_value: bool) -> bool:
    """May a marker inside a line start an item? After a sentence end, a space or a colon, and
    as the next number of its list ("(3)" "③" need no space; "…处理9,对…" needs ordinal >= 2)."""
    p, end = m.start(), m.end()
    prev, nxt = norm[p - 1], norm[end:end + 1]
    boundary = p == cut or prev.isspace() or prev in _TERM or prev == ":"
    if fam == "bullet":
        return (boundary and norm[p] in "•●▪■◆◇") or (norm[p] == "-" and _wide(prev))
    if not (doc.expected(fam, ordv) or (in_value and ordv == 1 and boundary)):
        return False
    if fam in _SELF_DELIMITED:
        return True
    if fam == "arabic" and m.group("sep") == "," and nxt.isdigit() and fam not in doc.stack:
        return False  # "1,000"
    if fam == "letter" and (not nxt or nxt.isascii()):
        return False  # "Plan A. Then"
    return boundary or (fam == "arabic" and ordv >= 2 and _wide(prev) and prev not in _NOT_BEFORE_LABEL
                        and m.group("sep") in ".," and not nxt.isdigit())


class _Line:
    """Cuts one line at markers, field labels and headings and feeds the pieces to a _Doc.
    ``cur``: start of the pending text; ``cut``: end of the last cut; ``mode``: what the pending
    text belongs to - "lead" (continuation or paragraph), "item" or "value" (after a colon)."""

    def __init__(self, doc: _Doc, raw: str, norm: str, next_one: bool):
        self.doc, self.raw, self.norm, self.next_one = doc, raw, norm, next_one
        self.first, self.end = len(norm) - len(norm.lstrip()), len(norm.rstrip())
        self.cur = self.cut = self.first
        self.mode = "lead"

    def flush(self, b: int):
        self.doc.text(self.raw[self.cur:b], lead=self.mode == "lead")

    def fragment(self, p: int):
        """(start, text) of the short sentence fragment just before ``p``, or (None, "")."""
        fs = _frag_start(self.norm, self.cur, p)
        return (fs, self.norm[fs:p]) if fs is not None and self.norm[fs:p].strip() else (None, "")

    def scan(self):
        norm = self.norm
        cands = [(m.start(), 2, m) for m in _MARKER.finditer(norm)]
        if ":" in norm:  # field labels and colon headings
            cands += [(m.start(), 0, m) for m in _FIELD.finditer(norm)]
            cands += [(m.start(), 1, m) for m in _COLON.finditer(norm)]
            cands.sort(key=lambda c: (c[0], c[1]))
        for p, typ, m in cands:
            if p >= self.cut and (self.field, self.colon, self.marker)[typ](p, m):
                self.cur = self.cut = m.end()
        if self.mode == "lead" and self.cur == self.first:
            self.doc.whole_line(self.raw[self.first:], norm[self.first:], self.next_one)
        else:  # a heading at the end of the line, just before a new list: "…交流。客服要求"
            fs, frag = self.fragment(self.end) if self.next_one else (None, "")
            kind = _kind(frag) if fs is not None and fs > self.cur else None
            if kind and _heading_like(frag, "kw"):
                self.flush(fs)
                self.doc.heading(self.raw[fs:self.end], kind)
            else:
                self.flush(len(self.raw))
        seg = norm[self.first:self.end]
        self.doc.end_line((len(seg.encode("utf-8")) + len(seg)) // 2)  # display width: CJK counts 2

    def field(self, p: int, m) -> bool:
        prev = self.norm[p - 1]
        if m.lastgroup in _SHORT_FIELD and p > self.cut and not (prev.isspace() or prev in _TERM):
            return False  # "电商部编制:" is a heading, not the headcount field
        self.flush(p)
        self.doc.pend("field", _FIELD_NAME.get(m.lastgroup, m.lastgroup))
        self.mode = "value"
        return True

    def colon(self, p: int, m) -> bool:
        """``heading:`` (keyword), ``第二篇:`` or a plain ``label:``; never the first words of an
        item ("5,负责店铺标准优化:标题优化") nor a time (18:00)."""
        norm = self.norm
        if 0 < p < len(norm) - 1 and norm[p - 1].isdigit() and norm[p + 1].isdigit():
            return False
        fs, frag = self.fragment(p)
        if fs is None or (self.mode == "item" and not norm[self.cur:fs].strip()):
            return False
        kind, doc_mark = _kind(frag), _DOC.fullmatch(frag.strip())
        if not doc_mark and not (kind and _heading_like(frag, "kw")):
            if not _heading_like(frag, "label") or (self.mode == "item" and m.end() < self.end) or (
                    self.mode == "lead" and fs == self.first and self.doc.open_unfinished()):
                return False
            kind = None
        self.flush(fs)
        if kind:
            self.doc.heading(self.raw[fs:p], kind)
        else:
            self.doc.pend("doc" if doc_mark else "label", self.raw[fs:p])
        self.mode = "value"
        return True

    def marker(self, p: int, m) -> bool:
        """A marker at the line start always starts an item, inside the line see _inline_marker_ok.
        A "1" right after a short heading ("职务要求(任职资格)1,…", "部门协作1. …") starts a list."""
        norm, doc = self.norm, self.doc
        fam, ordv = _decode(m)
        head = fs = None
        if p == self.first:
            if m.lastgroup == "sep" and m.group("sep") == "," and norm[m.end():m.end() + 1].isdigit() \
                    and not (fam in doc.stack and doc.expected(fam, ordv)):
                return False  # "1,000"
        else:
            ok = _inline_marker_ok(doc, norm, m, fam, ordv, self.cut, self.mode == "value")
            fs, frag = self.fragment(p) if ordv == 1 else (None, "")
            at_item_start = fs is not None and self.mode == "item" and not norm[self.cur:fs].strip()
            kind = _kind(frag) if fs is not None and not at_item_start else None
            if kind and _heading_like(frag, "kw"):
                ok, head = True, kind
            elif not ok and fs is not None and fam != "cn" and fam not in doc.stack \
                    and norm[p - 1] not in _NOT_BEFORE_LABEL and not norm[p - 1].isdigit() \
                    and _heading_like(frag, "label"):
                ok, head = True, (None if at_item_start else "label")
            if not ok:
                return False
        self.flush(fs if head else p)
        if head == "label":
            doc.pend("label", self.raw[fs:p])
        elif head:
            doc.heading(self.raw[fs:p], head)
        doc.start_item(fam, ordv)
        self.mode = "item"
        return True


# ---------------------------------------------------------------- public API
def parse_job_description(text: str) -> dict:
    """Parse pasted job-description text into ``{"title", "fields", "sections", "duties",
    "requirements", "warnings"}`` (see the module docstring). Raises ParseError for text that is
    not a string, empty or whitespace only, or longer than MAX_CHARS."""
    if not isinstance(text, str):
        raise ParseError(ERR_NOT_TEXT)
    if len(text) > MAX_CHARS:
        raise ParseError(ERR_TOO_LONG.format(length=len(text), limit=MAX_CHARS))
    if not text.strip():
        raise ParseError(ERR_EMPTY)
    lines = [(raw, norm) for raw in text.splitlines() if (norm := raw.translate(_FOLD)).strip()]
    noise = [bool(_NOISE.search(norm)) for _, norm in lines]
    doc = _Doc()
    for i, (raw, norm) in enumerate(lines):
        if noise[i]:  # a dropped line also ends the open item: items never span removed text
            doc.end_line(0, close=True)
            continue
        nxt = next((n for j, (_, n) in enumerate(lines[i + 1:i + 4], i + 1) if not noise[j]), "")
        m = _MARKER.match(nxt, len(nxt) - len(nxt.lstrip()))  # does the next line start a list?
        _Line(doc, raw, norm, bool(m) and _decode(m)[1] <= 1).scan()
    result = doc.result()
    if any(noise):
        count = sum(noise)
        result["warnings"].insert(0, WARN_NOISE_ONE if count == 1 else WARN_NOISE.format(count=count))
    return result
