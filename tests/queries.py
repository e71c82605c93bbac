"""Counting the SQL statements a piece of work runs (pinned query counts)."""

from __future__ import annotations

import contextlib

from sqlalchemy import event


def statement_counter(engine_of):
    """``with counter() as queries: ...`` then ``len(queries)``: the statements run on the
    engine that ``engine_of()`` returns while the block runs."""

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = engine_of()
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counter
