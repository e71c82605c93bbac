"""appraisals: the template's self-review mode, how a review's self-review ended, reviews excluded
from a cycle (and employees excluded before the launch), the reason for finalising without a score

Revision ID: 40646bae4175
Revises: 54a18ad99583
Create Date: 2026-12-06 21:02:41.425699

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "40646bae4175"
down_revision = "54a18ad99583"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appraisal_exclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('long_leave', 'left', 'joined_late', 'other')",
            name=op.f("ck_appraisal_exclusions_reason_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["appraisal_cycles.id"],
            name=op.f("fk_appraisal_exclusions_cycle_id_appraisal_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_appraisal_exclusions_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_exclusions")),
        sa.UniqueConstraint("cycle_id", "employee_id", name=op.f("uq_appraisal_exclusions_cycle_id_employee_id")),
    )
    with op.batch_alter_table("appraisal_exclusions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_exclusions_employee_id"), ["employee_id"], unique=False)

    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("self_review_state", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("excluded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("exclusion_reason", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("exclusion_comment", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("unscored_reason", sa.Text(), server_default="", nullable=False))
        batch_op.create_check_constraint(
            op.f("ck_appraisal_reviews_self_review_state_valid"),
            "self_review_state IS NULL OR self_review_state IN "
            "('skipped_template', 'skipped_no_account', 'skipped_optional', 'on_behalf')",
        )
        batch_op.create_check_constraint(
            op.f("ck_appraisal_reviews_exclusion_reason_valid"),
            "exclusion_reason IS NULL OR exclusion_reason IN ('long_leave', 'left', 'joined_late', 'other')",
        )

    with op.batch_alter_table("appraisal_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("self_review", sa.String(length=20), server_default="required", nullable=False))
        batch_op.add_column(
            sa.Column("reviewer_enters_self_review", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_appraisal_templates_self_review_valid"), "self_review IN ('required', 'optional', 'skipped')"
        )


def downgrade():
    with op.batch_alter_table("appraisal_templates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_appraisal_templates_self_review_valid"), type_="check")
        batch_op.drop_column("reviewer_enters_self_review")
        batch_op.drop_column("self_review")

    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_appraisal_reviews_exclusion_reason_valid"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_appraisal_reviews_self_review_state_valid"), type_="check")
        batch_op.drop_column("unscored_reason")
        batch_op.drop_column("exclusion_comment")
        batch_op.drop_column("exclusion_reason")
        batch_op.drop_column("excluded_at")
        batch_op.drop_column("self_review_state")

    with op.batch_alter_table("appraisal_exclusions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_exclusions_employee_id"))

    op.drop_table("appraisal_exclusions")
