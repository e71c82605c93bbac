"""The notifications page (filter, mark read, mark all read), the preferences of the account
page, the admins' outbox and HR's list of people who cannot be reminded."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import expose_to_templates, requires
from app.core.forms import attempt
from app.core.listing import page_of
from app.core.urls import safe_next
from app.notifications import access, delivery, kinds, reminders, services
from app.notifications.access import can_list_unreachable, can_read_outbox, can_use_notifications
from app.notifications.forms import NotificationFilterForm, preferences_form
from app.notifications.mail import bodies
from app.notifications.models import MailStatus

bp = Blueprint("notifications", __name__)
expose_to_templates(bp, access.TEMPLATE_GLOBALS)


def _back(target: str | None) -> str:
    """A path of this site to go to (never another site), else the notifications page."""
    return safe_next(target) if target else url_for("notifications.index")


@bp.route("/notifications")
@requires(can_use_notifications)
def index():
    form = NotificationFilterForm(request.args)
    form.kind.choices = [("", _("All kinds"))] + kinds.filter_choices()
    kind = form.kind.data if form.kind.data in dict(form.kind.choices) else ""
    page = page_of(services.list_notifications(current_user, kind=kind or None, unread=form.state.data == "unread"))
    return render_template(
        "notifications/index.html", page=page, form=form, kinds=kinds, unread=services.unread_count(current_user)
    )


@bp.route("/notifications/<int:notification_id>/open")
@requires(can_use_notifications)
def open_notification(notification_id: int):
    """Follow a notification's link, marking it read (the commit point commits the redirect)."""
    notification = services.get_notification(notification_id, current_user)
    services.mark_read(notification)
    return redirect(_back(notification.link))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@requires(can_use_notifications)
def mark_read(notification_id: int):
    services.mark_read(services.get_notification(notification_id, current_user))
    return redirect(_back(request.form.get("next")))


@bp.route("/notifications/read-all", methods=["POST"])
@requires(can_use_notifications)
def mark_all_read():
    count = services.mark_all_read(current_user)
    flash(_("%(num)d notification(s) marked read.", num=count), "success")
    return redirect(_back(request.form.get("next")))


@bp.route("/account/notifications", methods=["POST"])
@requires(can_use_notifications)
def preferences():
    form = preferences_form(formdata=request.form)
    if not form.validate():
        flash(_("Choose e-mail or in the app for each kind of notification."), "danger")
        return redirect(url_for("auth.account") + "#notifications")
    chosen = [key for key in kinds.GROUPS if getattr(form, key).data == "email"]
    if attempt(lambda: services.set_preferences(current_user, chosen)).ok:
        flash(_("Your notification preferences are saved."), "success")
    return redirect(url_for("auth.account") + "#notifications")


# --- admins: the outbox --------------------------------------------------------------------------


@bp.route("/admin/outbox")
@requires(can_read_outbox)
def outbox():
    status = request.args.get("status", "")
    status = status if status in {s.value for s in MailStatus} else ""
    overview = services.outbox_overview()
    return render_template(
        "notifications/outbox.html",
        page=page_of(services.list_outbox(status or None)),
        status=status,
        counts=overview.counts,
        problem=overview.problem,
        refused=overview.refused,
        statuses=list(MailStatus),
        sending=services.outbox_enabled(),
        error_text=delivery.error_text,
    )


@bp.route("/admin/outbox/<int:mail_id>")
@requires(can_read_outbox)
def outbox_mail(mail_id: int):
    mail = services.get_mail(mail_id)
    text, html = bodies(mail)
    return render_template(
        "notifications/outbox_mail.html", mail=mail, text=text, html=html, error_text=delivery.error_text
    )


@bp.route("/admin/outbox/check", methods=["POST"])
@requires(can_read_outbox)
def outbox_check():
    """Try the SMTP settings now (an admin's diagnostic: this request does wait for the server)."""
    if not services.outbox_enabled():
        flash(_("No mail server is set (ROLEBOOK_MAIL_SERVER): mails stay in the outbox."), "warning")
    else:
        problem = delivery.check_settings()
        if problem:
            flash(problem, "danger")
        else:
            flash(_("The mail server accepted the connection."), "success")
    return redirect(url_for("notifications.outbox"))


@bp.route("/admin/outbox/<int:mail_id>/retry", methods=["POST"])
@requires(can_read_outbox)
def outbox_retry(mail_id: int):
    """Send a refused or failed mail again (and allow its address again)."""
    mail = services.get_mail(mail_id)
    if attempt(lambda: services.retry_mail(mail)).ok:
        flash(_("The mail is queued again."), "success")
    return redirect(url_for("notifications.outbox_mail", mail_id=mail.id))


# --- HR: who cannot be reminded ------------------------------------------------------------------


@bp.route("/notifications/unreachable")
@requires(can_list_unreachable)
def unreachable():
    return render_template("notifications/unreachable.html", people=reminders.unreachable_people())
