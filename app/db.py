"""The declarative base, shared column helpers and database-engine settings."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import DateTime, Integer, MetaData, Numeric, TypeDecorator, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, Session, declared_attr, mapped_column

from app.core import clock
from app.core.numbers import exact, normal, quantized

# Stable constraint names, so Alembic revisions can name what they alter or drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current moment in UTC, from the application's one clock (app.core.clock)."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on both engines (SQLite drops the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class _ScaledNumeric(Numeric):
    """NUMERIC(p, s) in the schema, an integer count of 10^-s in the rows, passed to and from
    the driver untouched (Numeric alone would turn it into a float on SQLite)."""

    def bind_processor(self, dialect):
        return None

    def result_processor(self, dialect, coltype):
        return None


class ExactNumber(TypeDecorator):
    """A NUMERIC(precision, scale) read and written as a ``Decimal``, exactly, on every engine.

    PostgreSQL keeps NUMERIC exactly. SQLite's NUMERIC keeps a float (15 significant digits), so
    there a column of more than 15 digits holds an integer count of 10^-scale (99999999999999.9999
    at scale 4 is 999999999999999999, within 64 bits; the schema still says NUMERIC(18, 4), whose
    affinity stores integers as integers): exact, ordered and summed exactly, and compared with
    bound values, which go through this type. Narrower columns (weights, 6,2) stay plain NUMERIC
    on SQLite: a float holds them exactly. Values come back without trailing zeros (100, not
    100.0000) whatever the engine. A computed value with more decimals than the scale (a score)
    is rounded half up; typed values are refused beyond it before they get here.
    ``as_float``: read as a float whose repr is the stored decimal (scores, at most 7 digits)."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int, as_float: bool = False):
        super().__init__(precision, scale, asdecimal=True)
        self.precision, self.scale, self.as_float = precision, scale, as_float

    def scaled_on(self, dialect) -> bool:
        return dialect.name == "sqlite" and self.precision > 15

    def load_dialect_impl(self, dialect):
        if self.scaled_on(dialect):
            return _ScaledNumeric(self.precision, self.scale)
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        number = quantized(value, self.scale)
        if abs(number) >= Decimal(10) ** (self.precision - self.scale):
            raise ValueError(f"{number} has more than {self.precision - self.scale} digits before the point")
        if self.scaled_on(dialect):
            return int(number.scaleb(self.scale))
        return number

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        number = exact(value).scaleb(-self.scale) if self.scaled_on(dialect) else exact(value)
        number = normal(quantized(number, self.scale))  # what a write keeps, even of a row written by hand
        return float(number) if self.as_float else number


class VersionedMixin:
    """Optimistic locking: every UPDATE checks and bumps ``version``.

    Forms and API calls carry the version they were based on; services compare it before
    applying a change (see ``app.core.concurrency``), and the mapper's version check catches a
    race between two requests that both passed that comparison.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    # Collections that are part of the record, as {relationship: field name in forms and the API}:
    # its child rows (a department's functions) or association rows (a position's dotted lines).
    # Changing them changes the record: its version goes up (so an edit based on the old version
    # is refused like any other) and its audit row lists them, by label, as [before, after].
    __versioned_collections__: dict[str, str] = {}

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


def record_label(obj) -> str:
    """A short human name of a row: its ``audit_label``, code, e-mail, number, name or title."""
    for attr in ("audit_label", "code", "email", "employee_no", "name", "title"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""


def collection_changes(obj) -> dict[str, list[list[str]]]:
    """{field: [labels before, labels after]} of the versioned collections of ``obj`` that the
    pending flush changes, compared by their items' labels (a list replaced by an equal one is
    no change). Only collections that were loaded and then changed have a "before"."""
    state = inspect(obj)
    if state.transient or state.pending:
        return {}
    changes = {}
    for key, field in getattr(type(obj), "__versioned_collections__", {}).items():
        if key not in state.committed_state:  # not changed since it was loaded
            continue
        before = [record_label(item) for item in (state.committed_state[key] or ())]
        after = [record_label(item) for item in getattr(obj, key)]
        if before != after:
            changes[field] = [before, after]
    return changes


def _owners_of_changed_children(session) -> set:
    """Versioned records one of whose collection rows is added, changed in place or deleted
    through the child itself (``DepartmentFunction(department=d)``, ``session.delete(row)``)."""
    owners = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        parent_key = _CHILD_PARENTS.get(type(obj))
        if parent_key is None:
            continue
        if obj in session.dirty and not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        history = state.attrs[parent_key].history
        for parent in (*history.added, *history.unchanged, *history.deleted):
            if parent is not None:
                owners.add(parent)
    return owners


# {child class: name of its many-to-one to the versioned record}, filled when mappers are configured.
_CHILD_PARENTS: dict[type, str] = {}


@event.listens_for(Mapper, "after_configured")
def _find_versioned_children():
    for mapper in Base.registry.mappers:
        for key in getattr(mapper.class_, "__versioned_collections__", {}):
            prop = mapper.relationships[key]
            if prop.secondary is None and prop.back_populates:
                _CHILD_PARENTS[prop.mapper.class_] = prop.back_populates


@event.listens_for(Session, "before_flush")
def _bump_versions_for_collections(session, flush_context, instances):
    """A change of a versioned record's collections bumps its version like a change of a column:
    the mapper then checks and increments it in the UPDATE, so two concurrent edits still
    collide, and a stale form or If-Match is refused by ``check_version``."""
    with session.no_autoflush:
        owners = _owners_of_changed_children(session)
        owners.update(obj for obj in session.dirty if isinstance(obj, VersionedMixin) and collection_changes(obj))
        for obj in owners:
            state = inspect(obj)
            if not isinstance(obj, VersionedMixin) or not state.persistent or obj in session.deleted:
                continue
            if not state.attrs.version.history.has_changes():
                obj.version = obj.version + 1


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, write-ahead logging, wait for locks instead of failing."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def render_migration_item(type_, obj, autogen_context):
    """Alembic autogenerate: write our column types as plain SQLAlchemy types, so that
    migrations never import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, ExactNumber):
        return f"sa.Numeric(precision={obj.precision}, scale={obj.scale})"
    return False


# Made by hand in the search index's migration, described by no model: SQLite's full-text table
# (a virtual table and its shadow tables) and PostgreSQL's trigram index (an operator class the
# models' metadata would also try to create on SQLite).
UNMODELLED_TABLE_PREFIX = "search_fts"
UNMODELLED_INDEXES = {"ix_search_entries_words_trgm"}


def include_migration_name(name, type_, parent_names) -> bool:
    """Alembic autogenerate and `flask db check`: leave out what the models do not describe."""
    if type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIX):
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)


def serialize(session, name: str) -> None:
    """Serialise, until the end of the transaction, the changes guarded by ``name``: the checks
    that read and then write (no loop in the reporting line or the department tree, one primary
    assignment at a time) would otherwise both pass in two requests at the same moment. On
    PostgreSQL an advisory lock on the name; on SQLite the database's write lock, which orders
    every writer. What is read after it includes what the previous holder committed."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
    else:
        begin_transaction(session)


def begin_transaction(session) -> None:
    """Make sure ``session`` is inside a real database transaction before using savepoints.

    Python's sqlite3 driver opens a transaction lazily, just before the first write: a SAVEPOINT
    issued first would itself start the transaction, and its RELEASE would commit everything so
    far, so a later rollback would undo nothing. On SQLite this opens the transaction explicitly
    (IMMEDIATE: the write lock is taken now, waiting for other writers, rather than failing when a
    read turns into a write); other engines always run inside a transaction already."""
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
