"""``flask search rebuild``: the whole search index again, from the records."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.core.unit_of_work import unit_of_work

search_cli = click.Group("search", help="The search index.")


@search_cli.command("rebuild")
@with_appcontext
def rebuild():
    """Write the search index again from every department, position, employee, job description and KPI."""
    from app.search.indexing import rebuild as rebuild_index

    with unit_of_work():
        counts = rebuild_index()
    click.echo(", ".join(f"{kind}: {count}" for kind, count in counts.items()))
