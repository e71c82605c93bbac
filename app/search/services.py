"""Answering a search for a user: the database matches, each domain's access rules filter, in
one statement (plus the scope queries of the rules themselves), grouped by kind.

The query is cut to ``MAX_QUERY`` characters and ``MAX_TERMS`` words; every word must match
(anywhere in a record's searched fields, ignoring case). Words are matched literally: FTS5
operators, quotes, ``%`` or SQL in a query are just characters to find.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, case, false, func, or_, select, text, true
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.jobs.access import can_browse_libraries, jd_position_scope
from app.org.access import can_view_org, employee_scope
from app.search.highlight import mark, snippet
from app.search.models import FTS_TABLE, KINDS, SearchEntry

MAX_QUERY = 200
MAX_TERMS = 8
PER_KIND = 10
TRIGRAM = 3   # FTS5's trigram tokenizer finds words of at least three characters; shorter ones use LIKE

KIND_LABELS = {
    "department": _l("Departments"),
    "position": _l("Positions"),
    "employee": _l("Employees"),
    "job_description": _l("Job descriptions"),
    "kpi": _l("KPIs"),
}
entries = SearchEntry.__table__


@dataclass
class Query:
    text: str            # what was searched (cut to MAX_QUERY)
    terms: list[str]
    truncated: bool


@dataclass
class Hit:
    kind: str
    record_id: int
    position_id: int | None
    title: str
    detail: str
    archived: bool
    snippet: str
    terms: list[str]

    @property
    def title_html(self):
        return mark(self.title, self.terms)

    @property
    def detail_html(self):
        return mark(self.detail, self.terms)

    @property
    def snippet_html(self):
        return mark(self.snippet, self.terms)


@dataclass
class Group:
    kind: str
    total: int
    hits: list[Hit] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def parse(raw: str | None) -> Query:
    """The words of a query: split on white space, duplicates (ignoring case) dropped."""
    raw = (raw or "").strip()
    cut = raw[:MAX_QUERY]
    terms: list[str] = []
    for word in cut.split():
        if word.casefold() not in {term.casefold() for term in terms}:
            terms.append(word)
    truncated = len(raw) > MAX_QUERY or len(terms) > MAX_TERMS
    return Query(cut, terms[:MAX_TERMS], truncated)


def _visible(user) -> ColumnElement:
    """The entries ``user`` may see, from each domain's access rules."""
    kind = entries.c.kind
    allowed = []
    if can_view_org(user):
        allowed.append(kind.in_(("department", "position")))
        within = employee_scope(user)
        allowed.append(and_(kind == "employee", true() if within is None else entries.c.record_id.in_(within)))
        positions = jd_position_scope(user)
        if positions is None:
            allowed.append(kind == "job_description")
        elif positions:
            allowed.append(and_(kind == "job_description", entries.c.position_id.in_(sorted(positions))))
    if can_browse_libraries(user):
        allowed.append(kind == "kpi")
    return or_(*allowed) if allowed else false()


def _matching(terms: list[str]) -> ColumnElement:
    if db.session.get_bind().dialect.name != "sqlite":
        return and_(*(entries.c.words.icontains(term, autoescape=True) for term in terms))
    conditions = [entries.c.words.contains(term, autoescape=True) for term in terms if len(term) < TRIGRAM]
    long = [term for term in terms if len(term) >= TRIGRAM]
    if long:
        phrase = " AND ".join('"' + term.replace('"', '""') + '"' for term in long)   # each a literal phrase
        fts = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :phrase") \
            .bindparams(phrase=phrase).columns(rowid=Integer)
        conditions.append(entries.c.id.in_(fts))
    return and_(*conditions)


def search(user, raw: str | None, per_kind: int = PER_KIND, kinds: tuple[str, ...] = KINDS) -> tuple[Query, list[Group]]:
    """The entries matching ``raw`` that ``user`` may see: up to ``per_kind`` of each kind (title
    matches first) and the number of each; kinds without a match are left out."""
    query = parse(raw)
    if not query.terms:
        return query, []
    first = query.terms[0]
    in_title = entries.c.title.icontains(first, autoescape=True)
    ranked = (select(entries.c.kind, entries.c.record_id, entries.c.position_id, entries.c.title, entries.c.detail,
                     entries.c.archived, entries.c.words,
                     func.row_number().over(partition_by=entries.c.kind,
                                            order_by=(case((in_title, 0), else_=1), entries.c.archived,
                                                      entries.c.title, entries.c.id)).label("rank"),
                     func.count().over(partition_by=entries.c.kind).label("total"))
              .where(entries.c.kind.in_(kinds), _visible(user), _matching(query.terms))
              .subquery())
    rows = db.session.execute(select(ranked).where(ranked.c.rank <= per_kind)
                              .order_by(ranked.c.kind, ranked.c.rank)).all()
    groups: dict[str, Group] = {}
    for row in rows:
        group = groups.setdefault(row.kind, Group(row.kind, row.total))
        group.hits.append(Hit(row.kind, row.record_id, row.position_id, row.title, row.detail, row.archived,
                              snippet(row.words, query.terms), query.terms))
    return query, [groups[kind] for kind in KINDS if kind in groups]
