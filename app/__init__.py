"""RoleBook: job descriptions, position manuals and performance evaluations."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, abort, current_app, g, has_request_context, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict

import config as config_module
from app.core.errors_views import wants_json
from app.core.jsonout import ExactJSONProvider
from app.core.text import INVISIBLE, UNSTORABLE
from app.core.unit_of_work import CommittingFlask
from app.db import include_migration_name, render_migration_item
from app.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Endpoints anyone may reach without logging in; everything else requires a login by default.
PUBLIC_ENDPOINTS = {"auth.login", "core.set_language", "static", "bootstrap.static"}
# Endpoints a user who must change their password may still reach.
PASSWORD_CHANGE_ENDPOINTS = PUBLIC_ENDPOINTS | {"auth.change_password", "auth.logout"}


def create_app(config: str | type | None = None, overrides: dict | None = None) -> Flask:
    app = CommittingFlask(
        __name__, template_folder=str(ROOT / "templates"), instance_path=str(config_module.INSTANCE_DIR)
    )
    app.json = ExactJSONProvider(app)  # Decimals as exact JSON numbers
    if config is None or isinstance(config, str):
        import os

        config = config_module.CONFIGS[config or os.environ.get("ROLEBOOK_CONFIG", "development")]
    app.config.from_object(config)
    app.config.update(overrides or {})
    from app.core.clock import zone_named

    zone_named(app.config["TIMEZONE"])  # an unknown zone stops the start with a clear message
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]  # Flask-Babel shows times in it
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.secret_key()
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its INFO lines narrate every render

    from app.core.deployment import per_process_limiter
    from app.core.urls import IdConverter

    if config is config_module.ProductionConfig and per_process_limiter(app.config["RATELIMIT_STORAGE_URI"]):
        app.logger.warning(
            "RoleBook: failed logins per address are counted in this process's memory "
            "(ROLEBOOK_RATELIMIT_STORAGE_URI=memory://); with several server processes set it "
            "to redis://… (the limit per account is kept in the database and holds anyway)."
        )

    app.url_map.converters["int"] = IdConverter  # before any route: ids beyond 2³¹−1 are 404
    _import_models()
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_request_hooks(app)

    from app.core.errors_views import register_error_handlers

    register_error_handlers(app)
    return app


def _import_models() -> None:
    """Every domain's models, so that the metadata (and Alembic) knows all tables."""
    import app.appraisals.models  # noqa: F401
    import app.audit.models  # noqa: F401
    import app.auth.models  # noqa: F401
    import app.core.bulk  # noqa: F401  (the bulk actions' selections)
    import app.jobs.models  # noqa: F401
    import app.notifications.models  # noqa: F401
    import app.org.models  # noqa: F401
    import app.search.models  # noqa: F401
    import app.targets.models  # noqa: F401
    import app.tasks.models  # noqa: F401


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
        include_name=include_migration_name,
    )
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app, locale_selector=_select_locale, default_translation_directories=str(Path(__file__).parent / "translations")
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from app.audit.services import track_changes
    from app.auth.models import User
    from app.auth.services import user_for_token
    from app.jobs.immutability import guard_published_versions
    from app.search.indexing import keep_index

    track_changes()
    guard_published_versions()
    keep_index()  # the search index follows every flush

    from app.tasks.queue import init_app as init_task_queue

    init_task_queue(app)  # background tasks (huey): app.extensions["rolebook_tasks"]

    from app.notifications import init_app as init_notifications

    init_notifications(app)  # the inbox, the outbox's sender and the reminders on the queue

    @login_manager.user_loader
    def load_user(session_id: str):
        """The account of a session, unless its password was set again since (see User.get_id)."""
        user_id, _sep, stamp = session_id.partition(":")
        if not user_id.isdecimal() or not stamp.isdecimal():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.password_stamp != stamp:
            return None
        return user

    @login_manager.request_loader
    def load_user_from_token(req):
        header = req.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.token_auth = True
            return user_for_token(header.removeprefix("Bearer ").strip())
        return None

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return jsonify({"code": 401, "message": str(_l("Authentication required.")), "errors": {}}), 401
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def _select_locale() -> str:
    """The account's language, else the session's (anonymous switch), else Accept-Language.
    Keys are those of LANGUAGES ("en", "zh_CN"); Babel reads "zh_CN" as zh_Hans_CN, which is
    why the Chinese catalog lives in translations/zh_Hans_CN."""
    if has_request_context():
        g.ui_language = _ui_language()
        return g.ui_language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _ui_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _register_blueprints(app: Flask) -> None:
    from app.appraisals.views import bp as appraisals_bp
    from app.audit.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.backup.views import bp as backup_bp
    from app.core.bulk_views import bp as bulk_bp
    from app.documents.views import bp as documents_bp
    from app.home.views import bp as home_bp
    from app.jobs.views import bp as jobs_bp
    from app.notifications.views import bp as notifications_bp
    from app.org.views import bp as org_bp
    from app.search.views import bp as search_bp
    from app.targets.views import bp as targets_bp
    from app.tasks.views import bp as tasks_bp
    from app.transfer.views import bp as transfer_bp

    for blueprint in (
        home_bp,
        auth_bp,
        audit_bp,
        org_bp,
        jobs_bp,
        transfer_bp,
        backup_bp,
        appraisals_bp,
        targets_bp,
        search_bp,
        bulk_bp,
        documents_bp,
        tasks_bp,
        notifications_bp,
    ):
        app.register_blueprint(blueprint)
    from app.notifications.bulk_actions import register as register_reminders

    register_reminders()  # on the lists the blueprints above registered

    from app.api import init_api

    init_api(app)  # the JSON API under /api/v1


def _register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.backup.cli import backup_cli
    from app.demo.cli import demo_cli
    from app.notifications.cli import notifications_cli
    from app.search.cli import search_cli
    from app.tasks.cli import tasks_cli
    from app.transfer.cli import transfer_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(transfer_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(tasks_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(notifications_cli)


def _register_request_hooks(app: Flask) -> None:
    from app.audit.vocabulary import actor_text
    from app.auth.permissions import TEMPLATE_GLOBALS
    from app.auth.services import needs_new_password
    from app.core import formatting
    from app.core.concurrency import field_label
    from app.documents import formatting as document_formatting

    app.jinja_env.globals.update(TEMPLATE_GLOBALS, field_label=field_label, actor_text=actor_text)
    formatting.register(app)
    document_formatting.register(app)

    @app.context_processor
    def inject_languages():
        from flask_babel import get_locale

        get_locale()  # runs the selector once per request, which records g.ui_language
        return {"LANGUAGES": app.config["LANGUAGES"], "current_locale": g.get("ui_language", "en")}

    @app.before_request
    def refuse_oversized_requests():
        """An address or a header longer than the application takes is answered here (JSON under
        /api/), below gunicorn's own limits (gunicorn.conf.py), which answer in plain text."""
        uri = request.environ.get("RAW_URI") or request.full_path
        if len(uri) > app.config["MAX_URL_LENGTH"]:
            abort(414)
        limit = app.config["MAX_HEADER_BYTES"]
        if any(len(name) + len(value) + 2 > limit for name, value in request.headers.items()):
            abort(431)
        return None

    @app.before_request
    def clean_input():
        """Text no database column can hold (a NUL byte, a lone surrogate) is refused in query
        strings (400) before any view runs, instead of failing in the database. Posted forms
        lose it, with the other invisible control characters (not tabs and line breaks) that
        pasting from word processors brings along: the rest of what the user typed is kept and
        validated as usual. Upload forms (multipart) are read by their views, after those set
        their size limit; JSON is checked by the API's schemas (app.api.schemas.Text)."""
        for key, value in request.args.items(multi=True):
            if UNSTORABLE.search(key) or UNSTORABLE.search(value):
                abort(400)
        if request.mimetype == "application/x-www-form-urlencoded":
            items = list(request.form.items(multi=True))
            if any(INVISIBLE.search(key) or INVISIBLE.search(value) for key, value in items):
                request.form = ImmutableMultiDict(
                    [(INVISIBLE.sub("", key), INVISIBLE.sub("", value)) for key, value in items]
                )

    @app.before_request
    def require_login():
        """Every page needs a login unless it is listed as public: new routes are safe by default."""
        endpoint = request.endpoint
        if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if endpoint not in PASSWORD_CHANGE_ENDPOINTS and needs_new_password(current_user) and not g.get("token_auth"):
            if wants_json():
                return jsonify({"code": 403, "message": str(_l("Change your password first.")), "errors": {}}), 403
            return redirect(url_for("auth.change_password"))
        return None

    @app.before_request
    def remember_page_size():
        """A list page's size chosen under the list (``?per_page=``, one of PER_PAGE_CHOICES) is
        kept on the account, and the next lists open with it (``app.core.listing.per_page``)."""
        asked = request.args.get("per_page", "")
        if (
            request.method != "GET"
            or wants_json()
            or not asked.isdecimal()
            or not current_user.is_authenticated
            or int(asked) not in app.config["PER_PAGE_CHOICES"]
            or current_user.per_page == int(asked)
        ):
            return None
        from app.auth.services import set_per_page

        set_per_page(current_user, int(asked))
        db.session.commit()
        return None

    @app.before_request
    def refuse_impossible_pages():
        """After the login check: in the API, a page number of ten digits or more (past any list,
        and an overflow of the database's OFFSET) is a field error. Pages show their last page
        instead (``app.core.listing.page_of``)."""
        if not wants_json():
            return None
        for name in ("page", "per_page"):
            if len(request.args.get(name, "")) > 9:
                message = str(_l("Must be at most %(max)s.", max=999_999_999))
                return jsonify({"code": 422, "message": message, "errors": {name: [message]}}), 422
        return None

    @app.teardown_appcontext
    def close_the_session_even_without_a_database(error=None):
        """Runs before Flask-SQLAlchemy's own teardown (the reverse order of registration): when the
        database went away during the request (a restart), the session's closing ROLLBACK fails
        too, and the request that had its answer would end as a bare 500. The connection is
        dropped instead; the pool opens a new one for the next request."""
        try:
            db.session.remove()
        except (OperationalError, InterfaceError) as lost:
            app.logger.warning(
                "Database connection lost at the end of %s: %s",
                request.path if has_request_context() else "a task",
                str(lost).splitlines()[0],
            )
            db.session.registry.clear()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
