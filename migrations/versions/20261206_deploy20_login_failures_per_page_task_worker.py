"""Failed logins counted in the database (login_failures), each user's list page size
(users.per_page), the process running a task (tasks.worker).

Revision ID: 6131df78f4b4
Revises: 40646bae4175
Create Date: 2026-12-06 21:06:05.862276

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6131df78f4b4"
down_revision = "40646bae4175"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_account_created_at", ["account", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_created_at"), ["created_at"], unique=False)

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker", sa.String(length=120), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("per_page", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("per_page")

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("worker")

    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_created_at"))
        batch_op.drop_index("ix_login_failures_account_created_at")

    op.drop_table("login_failures")
