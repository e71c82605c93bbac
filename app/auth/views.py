"""Login, logout, one's own account, and the admin's user pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services, throttle
from app.auth.forms import ChangePasswordForm, ConfirmForm, LoginForm, TokenForm, UserCreateForm, UserEditForm
from app.auth.models import ROLE_LABELS, ApiToken, Role, User
from app.auth.passwords import policy_summary
from app.auth.permissions import can_manage_own_tokens, can_manage_users, requires
from app.core.deployment import cookies_need_https_here
from app.core.errors_views import register_error_page
from app.core.forms import save
from app.core.listing import page_of, sort_query
from app.core.urls import safe_next
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _failed_login(response) -> bool:
    """Only failed attempts count against the login limits (a success redirects)."""
    return response.status_code == 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_login,
    scope="login-address",
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        # The limit per account is counted in the database (every process sees it); the limit per
        # address above is Flask-Limiter's.
        attempt = throttle.begin(services.normalise_email(form.email.data))
        if attempt.row_id is None:
            form.form_errors.append(
                _(
                    "Too many failed login attempts. Wait %(num)d minutes, then try again.",
                    num=max(1, round(attempt.wait_seconds / 60)),
                )
            )
            return render_login(form, 429)
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()  # keep the audit record of the failure
            form.password.errors.append(_("Wrong e-mail or password, or the account is deactivated."))
        else:
            throttle.succeeded(attempt)
            lang = session.get("lang")
            session.clear()  # no session fixation
            if lang and not user.locale:
                user.locale = lang
            login_user(user)
            session.permanent = True
            if services.needs_new_password(user):
                flash(_("Please choose a new password before you continue."), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(request.args.get("next")))
    return render_login(form)


# The accounts the login page lists when SHOW_DEMO_LOGINS is on: (e-mail, password, role) of
# each, registered by the demo (app/demo/services.py).
DEMO_LOGINS: list[tuple[str, str, str]] = []


def register_demo_logins(accounts) -> None:
    DEMO_LOGINS[:] = list(accounts)


def _insecure_cookies_page(error):
    """A refused login form over plain HTTP with secure cookies: the page explains why."""
    return render_login(LoginForm(), 400) if cookies_need_https_here() else None


def _too_many_attempts_page(error):
    minutes = max(1, round(error.limit.limit.get_expiry() / 60)) if getattr(error, "limit", None) else 15
    form = LoginForm()
    form.form_errors.append(_("Too many failed login attempts. Wait %(num)d minutes, then try again.", num=minutes))
    return render_login(form, 429)


register_error_page("auth.login", "csrf", _insecure_cookies_page)
register_error_page("auth.login", 429, _too_many_attempts_page)


def render_login(form: LoginForm, status: int = 200):
    return render_template(
        "auth/login.html",
        form=form,
        demo_users=DEMO_LOGINS,
        needs_https=cookies_need_https_here(),
        role_labels={role.value: label for role, label in ROLE_LABELS.items()},
    ), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        lang = current_user.locale
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if save(
            form, lambda: services.change_own_password(current_user, form.current_password.data, form.new_password.data)
        ).ok:
            login_user(current_user._get_current_object())  # this session goes on; the others end
            flash(_("Your password has been changed. Other sessions of your account have been signed out."), "success")
            return redirect(url_for("core.home"))
    return render_template("auth/change_password.html", form=form, policy=policy_summary())


@bp.route("/account")
@login_required
def account():
    return render_template(
        "auth/account.html",
        user=current_user,
        token_form=TokenForm(),
        confirm_form=ConfirmForm(),
        new_token=session.pop("new_token", None),
    )


@bp.route("/account/tokens", methods=["POST"])
@requires(can_manage_own_tokens)
def create_own_token():
    return _create_token(current_user, url_for("auth.account"))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_own_token(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(404)
    return _revoke_token(token, url_for("auth.account"))


def _create_token(user, back: str):
    form = TokenForm()
    if form.validate_on_submit():
        token, clear = services.issue_token(user, form.name.data)
        session["new_token"] = clear  # shown once on the next page, then gone
        flash(_("Token “%(name)s” created. Copy it now: it will not be shown again.", name=token.name), "success")
    return redirect(back)


def _revoke_token(token: ApiToken, back: str):
    if ConfirmForm().validate_on_submit():
        services.revoke_token(token)
        flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(back)


# --- Administration of users ------------------------------------------------------------


@bp.route("/admin/users")
@requires(can_manage_users)
def users():
    search = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    query, sort = sort_query(
        services.list_users(search, role, status),
        request.args.get("sort"),
        {
            "email": User.email,
            "name": User.name,
            "role": User.role,
            "last_login": User.last_login_at,
        },
        "email",
    )
    page = page_of(query)
    return render_template("auth/users.html", page=page, search=search, role=role, status=status, roles=Role, sort=sort)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(can_manage_users)
def create_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: services.create_user(
                form.email.data, form.role.data, form.password.data, form.name.data, must_change_password=True
            ),
        )
        if saved.ok:
            flash(_("User %(email)s created.", email=saved.value.email), "success")
            return redirect(url_for("auth.user_detail", user_id=saved.value.id))
    return render_template("auth/user_new.html", form=form, policy=policy_summary())


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires(can_manage_users)
def user_detail(user_id: int):
    user = services.get_user(user_id)
    form = UserEditForm(obj=user)
    conflict = None
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: services.update_user(
                user,
                seen_version=form.version.data or None,
                role=form.role.data,
                active=form.active.data,
                name=form.name.data or "",
                acting_user=current_user,
            ),
            user,
        )
        if saved.ok:
            flash(_("User %(email)s saved.", email=user.email), "success")
            return redirect(url_for("auth.user_detail", user_id=user.id))
        conflict = saved.conflict
    elif request.method == "GET":
        form.version.data = user.version
    return render_template(
        "auth/user_detail.html",
        user=user,
        form=form,
        conflict=conflict,
        token_form=TokenForm(),
        confirm_form=ConfirmForm(),
        new_token=session.pop("new_token", None),
    )


@bp.route("/admin/users/<int:user_id>/tokens", methods=["POST"])
@requires(can_manage_users)
def create_user_token(user_id: int):
    user = services.get_user(user_id)
    return _create_token(user, url_for("auth.user_detail", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@requires(can_manage_users)
def revoke_user_token(user_id: int, token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != user_id:
        abort(404)
    return _revoke_token(token, url_for("auth.user_detail", user_id=user_id))
