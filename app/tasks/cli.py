"""``flask tasks worker``: the background-task consumer as a process of its own (production
with Redis, or whenever the web processes run with ROLEBOOK_QUEUE_CONSUMER=none)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.tasks.queue import task_queue

tasks_cli = click.Group("tasks", help="Background tasks.")


@tasks_cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Threads (default: ROLEBOOK_QUEUE_WORKERS).")
@with_appcontext
def worker(workers):
    """Run the background tasks of the queue until stopped (Ctrl+C)."""
    from flask import current_app

    queue = task_queue()
    if not queue.consumer_lock(wait=False):
        click.echo("Another process consumes this instance folder's embedded queue; waiting until it stops …")
        queue.consumer_lock(wait=True)
    click.echo(f"Consuming background tasks from {queue.url.split('://')[0]} …")
    queue.start_housekeeping()
    queue.huey.create_consumer(
        workers=workers or current_app.config.get("TASK_WORKERS", 2), worker_type="thread", periodic=True, max_delay=1.0
    ).run()
