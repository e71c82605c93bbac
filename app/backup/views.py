"""The backups page (administrators): download a backup now, and how to restore one."""

from __future__ import annotations

import tempfile

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.services import record
from app.auth.forms import ConfirmForm
from app.auth.permissions import expose_to_templates, requires
from app.backup import access
from app.backup.access import can_manage_backups
from app.backup.archive import table_counts
from app.backup.create import archive_name, create_backup
from app.core.spreadsheets import download_file
from app.extensions import db

bp = Blueprint("backup", __name__, url_prefix="/backup")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)


@bp.route("/")
@requires(can_manage_backups)
def index():
    recent = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action.in_(("backup", "restore")))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(10)
    ).all()
    counts = table_counts()
    return render_template(
        "backup/index.html", form=ConfirmForm(), recent=recent, counts=counts, total=sum(counts.values())
    )


@bp.route("/download", methods=["POST"])
@requires(can_manage_backups)
def download():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("backup.index"))
    filename = archive_name()
    record("backup", "database", label=filename)
    db.session.commit()  # the download is on record (and in the archive) even if it is interrupted
    spool = tempfile.TemporaryFile()
    try:
        create_backup(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return download_file(spool, filename, "application/zip")
