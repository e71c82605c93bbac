"""Answering a search for a user: the database matches, each domain's access rules filter, in
one statement (plus the scope queries of the rules themselves), grouped by kind.

The query is cut to ``MAX_QUERY`` characters and ``MAX_TERMS`` words; every word must match
(anywhere in a record's searched fields, ignoring case). Words are matched literally: FTS5
operators, quotes, ``%`` or SQL in a query are just characters to find.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, case, column, false, func, or_, select, table, true, union_all
from sqlalchemy.sql import ColumnElement

from app.extensions import db
from app.jobs.access import can_browse_libraries, jd_position_scope
from app.org.access import can_view_org, employee_scope
from app.search.highlight import mark, snippet
from app.search.models import FTS_TABLE, KINDS, SearchEntry

MAX_QUERY = 200
MAX_TERMS = 8
PER_KIND = 10
TRIGRAM = 3  # FTS5's trigram tokenizer finds words of at least three characters; shorter ones use LIKE

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
    text: str  # what was searched (cut to MAX_QUERY)
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


fts = table(FTS_TABLE, column("rowid", Integer), column(FTS_TABLE))


def _matches(terms: list[str]):
    """(the rows to read: the entries, joined on SQLite to the full-text table when a word is
    long enough for its trigrams; the condition that every word matches)."""
    if db.session.get_bind().dialect.name != "sqlite":
        return entries, and_(*(entries.c.words.icontains(term, autoescape=True) for term in terms))
    conditions = [entries.c.words.contains(term, autoescape=True) for term in terms if len(term) < TRIGRAM]
    long = [term for term in terms if len(term) >= TRIGRAM]
    if not long:
        return entries, and_(*conditions)
    phrase = " AND ".join('"' + term.replace('"', '""') + '"' for term in long)  # each a literal phrase
    conditions.append(fts.c[FTS_TABLE].op("MATCH")(phrase))
    return entries.join(fts, fts.c.rowid == entries.c.id), and_(*conditions)


def search(
    user, raw: str | None, per_kind: int = PER_KIND, kinds: tuple[str, ...] = KINDS
) -> tuple[Query, list[Group]]:
    """The entries matching ``raw`` that ``user`` may see: up to ``per_kind`` of each kind (title
    matches first) and the number of each; kinds without a match are left out. One statement:
    the matches once (a CTE), then for each kind its count and its first few (a limit per kind
    sorts only what it keeps, not every match)."""
    query = parse(raw)
    if not query.terms or not kinds:  # nothing to look for, or nowhere to look
        return query, []
    rows_from, matching = _matches(query.terms)
    in_title = entries.c.title.icontains(query.terms[0], autoescape=True)
    found = (
        select(
            entries.c.id,
            entries.c.kind,
            entries.c.title,
            entries.c.archived,
            case((in_title, 0), else_=1).label("rank"),
        )
        .select_from(rows_from)
        .where(entries.c.kind.in_(kinds), _visible(user), matching)
        .cte("found")
        .prefix_with("MATERIALIZED")
    )  # once, read by every kind (SQLite ≥ 3.35, PostgreSQL ≥ 12)
    order = (found.c.rank, found.c.archived, found.c.title, found.c.id)
    firsts = [
        select(
            *found.c,
            select(func.count()).select_from(found).where(found.c.kind == kind).scalar_subquery().label("total"),
        )
        .where(found.c.kind == kind)
        .order_by(*order)
        .limit(per_kind)
        .subquery()
        for kind in kinds
    ]
    best = union_all(*(select(*first.c) for first in firsts)).subquery("best")
    rows = db.session.execute(
        select(
            entries.c.kind,
            entries.c.record_id,
            entries.c.position_id,
            entries.c.title,
            entries.c.detail,
            entries.c.archived,
            entries.c.words,
            best.c.total,
        )
        .join(best, best.c.id == entries.c.id)
        .order_by(best.c.kind, best.c.rank, best.c.archived, best.c.title, best.c.id)
    ).all()
    groups: dict[str, Group] = {}
    for row in rows:
        group = groups.setdefault(row.kind, Group(row.kind, row.total))
        group.hits.append(
            Hit(
                row.kind,
                row.record_id,
                row.position_id,
                row.title,
                row.detail,
                row.archived,
                snippet(row.words, query.terms),
                query.terms,
            )
        )
    return query, [groups[kind] for kind in KINDS if kind in groups]
