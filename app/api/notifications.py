"""The user's own notifications (the bell's inbox): newest first, filtered by kind or unread."""

from __future__ import annotations

from flask_login import current_user

from app.api.common import Blueprint, page_of
from app.api.notification_schemas import NotificationArgs, NotificationPage
from app.auth.permissions import requires
from app.notifications import kinds, services
from app.notifications.access import can_use_notifications

blp = Blueprint(
    "notifications_api",
    __name__,
    url_prefix="/api/v1/notifications",
    description="Notifications: what needs the user's attention, in their language.",
)


def _row(notification) -> dict:
    return {
        "id": notification.id,
        "kind": notification.kind,
        "kind_label": kinds.label(notification.kind),
        "text": kinds.text(notification.kind, notification.params),
        "items": kinds.items(notification.kind, notification.params),
        "link": notification.link,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@blp.route("")
@blp.response(200, NotificationPage)
@requires(can_use_notifications)
@blp.arguments(NotificationArgs, location="query")
def list_notifications(args):
    """List my notifications

    Only the user's own; `unread` is the number the bell shows.
    """
    page = page_of(services.list_notifications(current_user, kind=args.get("kind"), unread=args["unread"]), args)
    page["items"] = [_row(n) for n in page["items"]]
    page["unread"] = services.unread_count(current_user)
    return page
