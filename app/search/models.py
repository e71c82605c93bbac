"""The search index: one row per searchable record, written by ``app.search.indexing`` only.

``words`` is what is matched (every searchable field of the record, one per line); ``title``
and ``detail`` are what a result shows. On SQLite an FTS5 table with the trigram tokenizer
(``search_fts``, external content: it reads ``words`` from this table) is kept in step by
triggers; on PostgreSQL a trigram GIN index on ``words`` serves ``ILIKE``. Both come from the
migration (and, for databases made with ``create_all``, from ``SQLITE_DDL`` below).
"""

from __future__ import annotations

from sqlalchemy import DDL, Boolean, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

KINDS = ("department", "position", "employee", "job_description", "kpi")
FTS_TABLE = "search_fts"

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(words, content='search_entries', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS search_entries_ai AFTER INSERT ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_ad AFTER DELETE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, words) VALUES ('delete', old.id, old.words); END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_au AFTER UPDATE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, words) VALUES ('delete', old.id, old.words); "
    f"INSERT INTO {FTS_TABLE}(rowid, words) VALUES (new.id, new.words); END",
)


class SearchEntry(db.Model):
    __tablename__ = "search_entries"
    __audit__ = False  # derived data, rebuilt at will: the records it mirrors are audited
    __table_args__ = (UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    position_id: Mapped[int | None] = mapped_column(Integer, index=True)  # job descriptions: whose
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(String(300), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    words: Mapped[str] = mapped_column(Text)


for _statement in SQLITE_DDL:
    event.listen(SearchEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
