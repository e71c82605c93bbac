"""360° feedback and individual goals (issue 18): a template's feedback and goals settings, a
review's feedback and goals section scores, the nominations of respondents and their unattributed
answers (random ids, no author, no time), goals with key results and check-ins.

Revision ID: beaa27650444
Revises: c17d0f7a2e51
Create Date: 2026-12-07 00:34:07.910696

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "beaa27650444"
down_revision = "c17d0f7a2e51"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appraisal_feedback_nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nominated_by", sa.String(length=20), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "relation IN ('peer', 'direct_report', 'manager')",
            name=op.f("ck_appraisal_feedback_nominations_relation_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'declined')",
            name=op.f("ck_appraisal_feedback_nominations_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["employees.id"],
            name=op.f("fk_appraisal_feedback_nominations_respondent_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["appraisal_reviews.id"],
            name=op.f("fk_appraisal_feedback_nominations_review_id_appraisal_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_feedback_nominations")),
        sa.UniqueConstraint(
            "review_id", "respondent_id", name=op.f("uq_appraisal_feedback_nominations_review_id_respondent_id")
        ),
    )
    with op.batch_alter_table("appraisal_feedback_nominations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_feedback_nominations_respondent_id"), ["respondent_id"], unique=False
        )
        batch_op.create_index(
            "ix_appraisal_feedback_nominations_review_id_status", ["review_id", "status"], unique=False
        )

    op.create_table(
        "appraisal_feedback_responses",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["appraisal_feedback_nominations.id"],
            name=op.f("fk_appraisal_feedback_responses_nomination_id_appraisal_feedback_nominations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["appraisal_reviews.id"],
            name=op.f("fk_appraisal_feedback_responses_review_id_appraisal_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_feedback_responses")),
    )
    with op.batch_alter_table("appraisal_feedback_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_feedback_responses_review_id"), ["review_id"], unique=False)

    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feedback_score", sa.Numeric(precision=18, scale=4), nullable=True))

    with op.batch_alter_table("appraisal_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("feedback", sa.JSON(), server_default="{}", nullable=False))

    # individual goals (issue 18)
    op.create_table(
        "appraisal_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("weight", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("kpi_code", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("weight >= 0 AND weight <= 100", name=op.f("ck_appraisal_goals_weight_range")),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["appraisal_reviews.id"],
            name=op.f("fk_appraisal_goals_review_id_appraisal_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_goals")),
    )
    with op.batch_alter_table("appraisal_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_goals_review_id"), ["review_id"], unique=False)

    op.create_table(
        "appraisal_goal_check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_appraisal_goal_check_ins_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["appraisal_goals.id"],
            name=op.f("fk_appraisal_goal_check_ins_goal_id_appraisal_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_goal_check_ins")),
    )
    with op.batch_alter_table("appraisal_goal_check_ins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_goal_check_ins_goal_id"), ["goal_id"], unique=False)

    op.create_table(
        "appraisal_key_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("target", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("current", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["appraisal_goals.id"],
            name=op.f("fk_appraisal_key_results_goal_id_appraisal_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_key_results")),
    )
    with op.batch_alter_table("appraisal_key_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_key_results_goal_id"), ["goal_id"], unique=False)

    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goals_score", sa.Numeric(precision=18, scale=4), nullable=True))
        batch_op.add_column(sa.Column("goals_agreed_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("appraisal_templates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goals", sa.JSON(), server_default="{}", nullable=False))


def downgrade():
    # individual goals (issue 18)
    with op.batch_alter_table("appraisal_templates", schema=None) as batch_op:
        batch_op.drop_column("goals")

    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.drop_column("goals_agreed_at")
        batch_op.drop_column("goals_score")

    with op.batch_alter_table("appraisal_key_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_key_results_goal_id"))

    op.drop_table("appraisal_key_results")
    with op.batch_alter_table("appraisal_goal_check_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_goal_check_ins_goal_id"))

    op.drop_table("appraisal_goal_check_ins")
    with op.batch_alter_table("appraisal_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_goals_review_id"))

    op.drop_table("appraisal_goals")

    # 360° feedback
    with op.batch_alter_table("appraisal_templates", schema=None) as batch_op:
        batch_op.drop_column("feedback")

    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.drop_column("feedback_score")

    with op.batch_alter_table("appraisal_feedback_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_feedback_responses_review_id"))

    op.drop_table("appraisal_feedback_responses")
    with op.batch_alter_table("appraisal_feedback_nominations", schema=None) as batch_op:
        batch_op.drop_index("ix_appraisal_feedback_nominations_review_id_status")
        batch_op.drop_index(batch_op.f("ix_appraisal_feedback_nominations_respondent_id"))

    op.drop_table("appraisal_feedback_nominations")
