"""Bulk actions on HR's review queue (the mechanism: ``app.core.bulk``): publish the selected
approved versions from one effective date."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField
from wtforms.validators import InputRequired

from app.audit.services import record
from app.core.bulk import BulkAction, BulkList, register_action, register_list
from app.extensions import db
from app.jobs import services
from app.jobs.access import can_review_jd
from app.jobs.models import JobDescriptionVersion
from app.org.models import Position

REVIEW_QUEUE = "jobs.review_queue"
Version = JobDescriptionVersion


class BulkPublishForm(FlaskForm):
    effective_date = DateField(
        _l("Effective from"), validators=[InputRequired(message=_l("Enter the date from which this version applies."))]
    )


def _matching(args):
    queued = services.review_queue().order_by(None).subquery()
    return select(queued.c.id)


def _names(ids) -> dict[int, str]:
    return {
        row.id: f"{row.code} {row.title} (v{row.number})"
        for row in db.session.execute(
            select(Version.id, Version.title, Version.number, Position.code)
            .join(Position, Position.id == Version.position_id)
            .where(Version.id.in_(list(ids)))
        )
    }


def publish_selected(ids: list[int], form) -> None:
    versions = services.publish_many(ids, current_user, form.effective_date.data)
    record(
        "bulk",
        "jd_versions",
        None,
        {
            "action": [None, "publish"],
            "count": [None, len(versions)],
            "effective_date": [None, form.effective_date.data.isoformat()],
            "records": [None, ", ".join(str(v.id) for v in versions)[:5000]],
        },
        label=_("Published %(num)d job descriptions", num=len(versions)),
    )


register_list(BulkList(REVIEW_QUEUE, _l("Review queue"), "jobs.review_queue", can_review_jd, _names, _matching))
register_action(
    REVIEW_QUEUE,
    BulkAction(
        "publish",
        _l("Publish selected"),
        _l("Publish %(num)d approved versions from one effective date?"),
        can_review_jd,
        publish_selected,
        form=BulkPublishForm,
        done=_l("%(num)d job descriptions published."),
    ),
)
