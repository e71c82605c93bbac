"""appraisals: templates, cycles, reviews, KPI results, competency ratings

Appraisal templates (section weights, rating scale, bands, outcomes as JSON), cycles with their
scope of departments, one review per employee and cycle (unique), and the review's snapshot of
the job description: KPI results and competency ratings, plus the review's history. A review
can never name its employee as reviewer (check constraint). Reviewed by hand: creation order
follows the foreign keys; downgrade drops in reverse; nothing else in the schema changes.

Revision ID: 1b7884e3f9f0
Revises: 6f83d276ab0c
Create Date: 2026-11-23 02:49:08.338138

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "1b7884e3f9f0"
down_revision = "6f83d276ab0c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "appraisal_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kpi_weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("competency_weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("scale", sa.JSON(), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("outcomes", sa.JSON(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "competency_weight >= 0 AND competency_weight <= 100",
            name=op.f("ck_appraisal_templates_competency_weight_range"),
        ),
        sa.CheckConstraint(
            "kpi_weight >= 0 AND kpi_weight <= 100", name=op.f("ck_appraisal_templates_kpi_weight_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_appraisal_templates_name")),
    )
    op.create_table(
        "appraisal_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("period_type", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("self_review_due", sa.Date(), nullable=True),
        sa.Column("manager_review_due", sa.Date(), nullable=True),
        sa.Column("include_subdepartments", sa.Boolean(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=True),
        sa.Column("launched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "period_type IN ('monthly', 'quarterly', 'annual', 'custom')",
            name=op.f("ck_appraisal_cycles_period_type_valid"),
        ),
        sa.CheckConstraint("status IN ('draft', 'running', 'closed')", name=op.f("ck_appraisal_cycles_status_valid")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_appraisal_cycles_dates_ordered")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["appraisal_templates.id"],
            name=op.f("fk_appraisal_cycles_template_id_appraisal_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_cycles")),
    )
    with op.batch_alter_table("appraisal_cycles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_cycles_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_appraisal_cycles_template_id"), ["template_id"], unique=False)

    op.create_table(
        "appraisal_cycle_departments",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["appraisal_cycles.id"],
            name=op.f("fk_appraisal_cycle_departments_cycle_id_appraisal_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_appraisal_cycle_departments_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cycle_id", "department_id", name=op.f("pk_appraisal_cycle_departments")),
    )
    with op.batch_alter_table("appraisal_cycle_departments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_cycle_departments_department_id"), ["department_id"], unique=False
        )

    op.create_table(
        "appraisal_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("jd_version_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("kpi_weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("competency_weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("self_comment", sa.Text(), nullable=False),
        sa.Column("manager_comment", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("kpi_score", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("competency_score", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("final_score", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("band", sa.String(length=10), nullable=True),
        sa.Column("calibrated_band", sa.String(length=10), nullable=True),
        sa.Column("calibration_reason", sa.Text(), nullable=False),
        sa.Column("self_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("manager_submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('self_review', 'manager_review', 'calibration', 'finalised')",
            name=op.f("ck_appraisal_reviews_status_valid"),
        ),
        sa.CheckConstraint(
            "reviewer_id IS NULL OR reviewer_id <> employee_id", name=op.f("ck_appraisal_reviews_not_own_reviewer")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["appraisal_cycles.id"],
            name=op.f("fk_appraisal_reviews_cycle_id_appraisal_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_appraisal_reviews_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_appraisal_reviews_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["jd_version_id"],
            ["jd_versions.id"],
            name=op.f("fk_appraisal_reviews_jd_version_id_jd_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["positions.id"], name=op.f("fk_appraisal_reviews_position_id_positions")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["employees.id"],
            name=op.f("fk_appraisal_reviews_reviewer_id_employees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_reviews")),
        sa.UniqueConstraint("cycle_id", "employee_id", name=op.f("uq_appraisal_reviews_cycle_id_employee_id")),
    )
    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_appraisal_reviews_cycle_id_status", ["cycle_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_appraisal_reviews_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appraisal_reviews_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appraisal_reviews_position_id"), ["position_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appraisal_reviews_reviewer_id"), ["reviewer_id"], unique=False)

    op.create_table(
        "appraisal_competency_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("required_level", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("self_rating", sa.Integer(), nullable=True),
        sa.Column("manager_rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_appraisal_competency_ratings_competency_id_competencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["appraisal_reviews.id"],
            name=op.f("fk_appraisal_competency_ratings_review_id_appraisal_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_competency_ratings")),
    )
    with op.batch_alter_table("appraisal_competency_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appraisal_competency_ratings_competency_id"), ["competency_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_appraisal_competency_ratings_review_id"), ["review_id"], unique=False)

    op.create_table(
        "appraisal_kpi_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("target", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("stretch", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("self_actual", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("actual", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("attainment", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("employee_comment", sa.Text(), nullable=False),
        sa.Column("manager_comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kpi_id"], ["kpis.id"], name=op.f("fk_appraisal_kpi_results_kpi_id_kpis"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["appraisal_reviews.id"],
            name=op.f("fk_appraisal_kpi_results_review_id_appraisal_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_kpi_results")),
    )
    with op.batch_alter_table("appraisal_kpi_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_kpi_results_kpi_id"), ["kpi_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appraisal_kpi_results_review_id"), ["review_id"], unique=False)

    op.create_table(
        "appraisal_review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_appraisal_review_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["appraisal_reviews.id"],
            name=op.f("fk_appraisal_review_events_review_id_appraisal_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appraisal_review_events")),
    )
    with op.batch_alter_table("appraisal_review_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appraisal_review_events_review_id"), ["review_id"], unique=False)


def downgrade():
    with op.batch_alter_table("appraisal_review_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_review_events_review_id"))

    op.drop_table("appraisal_review_events")
    with op.batch_alter_table("appraisal_kpi_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_kpi_results_review_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_kpi_results_kpi_id"))

    op.drop_table("appraisal_kpi_results")
    with op.batch_alter_table("appraisal_competency_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_competency_ratings_review_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_competency_ratings_competency_id"))

    op.drop_table("appraisal_competency_ratings")
    with op.batch_alter_table("appraisal_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_reviews_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_reviews_position_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_reviews_employee_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_reviews_department_id"))
        batch_op.drop_index("ix_appraisal_reviews_cycle_id_status")

    op.drop_table("appraisal_reviews")
    with op.batch_alter_table("appraisal_cycle_departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_cycle_departments_department_id"))

    op.drop_table("appraisal_cycle_departments")
    with op.batch_alter_table("appraisal_cycles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appraisal_cycles_template_id"))
        batch_op.drop_index(batch_op.f("ix_appraisal_cycles_status"))

    op.drop_table("appraisal_cycles")
    op.drop_table("appraisal_templates")
