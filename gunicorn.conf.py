"""Gunicorn's configuration for RoleBook: read by `make run`, and by any `gunicorn wsgi:app` started
in this folder (gunicorn reads ./gunicorn.conf.py by default). Command-line options and
GUNICORN_CMD_ARGS override what is set here, e.g.

    ROLEBOOK_CONFIG=production gunicorn --workers 4 --bind 0.0.0.0:8000 wsgi:app

What is set here, and why:

- threads (gthread): a slow request (a PDF, a spreadsheet import) holds one thread, not the process.
- keepalive 75 s: an idle kept-alive connection is closed by the server after this long. With
  gunicorn's 2 s, a client that sent its next request just as the server closed the connection got a
  connection reset, with nothing in the log (15 in 13,899 requests under load). 75 s is nginx's
  default; idle connections cost a file descriptor, not a thread.
- limits of the request line and headers above the application's own (ROLEBOOK_MAX_URL_LENGTH,
  ROLEBOOK_MAX_HEADER_BYTES), so that a too-long address or header is answered by the application,
  in JSON under /api/ (414, 431); beyond these, gunicorn's worker answers with the same JSON.
- a worker stops by running the exit handlers (the PDF render child is hung up on) and then leaving
  at once: the interpreter's own teardown of a process that loaded WeasyPrint and SQLAlchemy took
  2–3 s of CPU per worker, for nothing.
- a production start with several processes refuses a per-process login-limit store (memory://):
  the per-address limit would be as many times weaker as there are processes.
"""

from __future__ import annotations

import json
import os

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker


class RoleBookWorker(ThreadWorker):
    """gunicorn's threaded worker, whose own answers to a request line or headers beyond the limits
    below are the API's JSON errors (the path is unknown then: every client gets JSON)."""

    LIMITS = (
        (LimitRequestLine, 414, "URI Too Long", "The address is too long."),
        (LimitRequestHeaders, 431, "Request Header Fields Too Large", "The request's headers are too large."),
    )

    def handle_error(self, req, client, addr, exc):
        for kind, status, reason, message in self.LIMITS:
            if isinstance(exc, kind):
                self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
                body = json.dumps({"code": status, "message": message, "errors": {}}).encode()
                head = (
                    f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode("latin1")
                try:
                    util.write_nonblock(client, head + body)
                except Exception:  # noqa: BLE001 - the client left
                    self.log.debug("Failed to send error message.")
                return
        super().handle_error(req, client, addr, exc)


bind = os.environ.get("ROLEBOOK_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
threads = 8
worker_class = RoleBookWorker  # gthread
timeout = 60  # a worker that does not check in for this long is replaced
graceful_timeout = 20  # requests in flight get this long to finish on a stop or a reload (HUP)
keepalive = 75
backlog = 2048
limit_request_line = 8190  # gunicorn's maximum; the application refuses above 4094
limit_request_fields = 100
limit_request_field_size = 16380  # the application refuses a header above 8190 bytes
control_socket_disable = True  # one shared path under ~/.gunicorn for every server otherwise
accesslog = os.environ.get("ROLEBOOK_ACCESS_LOG") or None


def on_starting(server):
    """Refuse a production start whose login limit per address would be counted in each process.
    The check's module is loaded by its path: importing the ``app`` package here would load Flask,
    SQLAlchemy and the rest into the master process, which serves no request."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent / "app" / "core" / "deployment.py"
    spec = importlib.util.spec_from_file_location("rolebook_deployment_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.check_server(server.cfg.workers)


def worker_exit(server, worker):
    """The worker has stopped serving: run the exit handlers (they stop the PDF render child and
    the worker pool of big manuals, and flush the logs), then leave without the interpreter's
    teardown. A worker that failed to boot leaves the usual way, with its exit status."""
    if not worker.booted:
        return
    import atexit
    import sys

    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def post_worker_init(worker):
    """Load scikit-learn (the duty-coverage suggestions, ``app.jobs.coverage``) when the worker
    starts, not in the first request that asks for suggestions."""
    from app.jobs.coverage import warm_up

    warm_up()
