"""background tasks: the state of queued work (a big position manual, later cycle launches
and imports) with its owner, progress, error and result file

The queue itself (huey: a SQLite file or Redis) only carries task ids; this table is what the
pages read. Reviewed by hand: the owner's tasks are listed newest first (owner_id, created_at);
the status index serves the housekeeping of stale and old tasks.

Revision ID: 0750c6457f19
Revises: 1b7884e3f9f0
Create Date: 2026-11-23 02:58:35.455690

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0750c6457f19"
down_revision = "1b7884e3f9f0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("result_file", sa.String(length=255), nullable=True),
        sa.Column("result_name", sa.String(length=255), nullable=False),
        sa.Column("result_mimetype", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_tasks_status_valid")),
        sa.CheckConstraint("done >= 0 AND total >= 0", name=op.f("ck_tasks_progress_not_negative")),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_tasks_owner_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_owner_id_created_at", ["owner_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_status"), ["status"], unique=False)


def downgrade():
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_status"))
        batch_op.drop_index("ix_tasks_owner_id_created_at")

    op.drop_table("tasks")
