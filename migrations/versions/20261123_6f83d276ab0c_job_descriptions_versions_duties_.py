"""job descriptions: versions, duties, requirements, competencies, KPI targets

The KPI and competency libraries, base job descriptions (templates), a position's dated
versions with their content, the workflow history, linter waivers and acknowledgements.
Partial unique indexes keep one published and one open version per position on both engines.
Reviewed by hand: creation order follows the foreign keys; downgrade drops in reverse.

Revision ID: 6f83d276ab0c
Revises: c1a3a04b2c38
Create Date: 2026-11-23 02:20:29.454203

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6f83d276ab0c"
down_revision = "c1a3a04b2c38"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "competencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competencies")),
        sa.UniqueConstraint("code", name=op.f("uq_competencies_code")),
    )
    op.create_table(
        "jd_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_templates")),
    )
    op.create_table(
        "kpis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("measurement", sa.Text(), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f("ck_kpis_direction_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpis")),
        sa.UniqueConstraint("code", name=op.f("uq_kpis_code")),
    )
    op.create_table(
        "jd_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("authority", sa.Text(), nullable=False),
        sa.Column("management_responsibility", sa.Text(), nullable=False),
        sa.Column("working_conditions", sa.Text(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'in_review', 'approved', 'published', 'superseded')",
            name=op.f("ck_jd_versions_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_jd_versions_approved_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_versions_based_on_id_jd_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_jd_versions_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["positions.id"], name=op.f("fk_jd_versions_position_id_positions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_jd_versions_published_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"], ["users.id"], name=op.f("fk_jd_versions_submitted_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_jd_versions_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_versions")),
        sa.UniqueConstraint("position_id", "number", name=op.f("uq_jd_versions_position_id_number")),
    )
    with op.batch_alter_table("jd_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_versions_position_id"), ["position_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jd_versions_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_jd_versions_one_open",
            ["position_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('draft', 'in_review', 'approved')"),
            postgresql_where=sa.text("status IN ('draft', 'in_review', 'approved')"),
        )
        batch_op.create_index(
            "uq_jd_versions_one_published",
            ["position_id"],
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )

    op.create_table(
        "jd_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_jd_acknowledgements_employee_id_employees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_acknowledgements_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_acknowledgements")),
        sa.UniqueConstraint("version_id", "employee_id", name=op.f("uq_jd_acknowledgements_version_id_employee_id")),
    )
    with op.batch_alter_table("jd_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_acknowledgements_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jd_acknowledgements_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_competencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.CheckConstraint("level >= 1 AND level <= 5", name=op.f("ck_jd_competencies_level_range")),
        sa.ForeignKeyConstraint(
            ["competency_id"], ["competencies.id"], name=op.f("fk_jd_competencies_competency_id_competencies")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_competencies_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_competencies")),
        sa.UniqueConstraint("version_id", "competency_id", name=op.f("uq_jd_competencies_version_id_competency_id")),
    )
    with op.batch_alter_table("jd_competencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_competencies_competency_id"), ["competency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jd_competencies_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_duty_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_duty_sections_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_duty_sections")),
    )
    with op.batch_alter_table("jd_duty_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_duty_sections_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_kpi_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("target", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=False),
        sa.Column("threshold", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("stretch", sa.Numeric(precision=18, scale=4, asdecimal=False), nullable=True),
        sa.Column("weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint("period IN ('monthly', 'quarterly', 'annual')", name=op.f("ck_jd_kpi_targets_period_valid")),
        sa.CheckConstraint("weight >= 0 AND weight <= 100", name=op.f("ck_jd_kpi_targets_weight_range")),
        sa.ForeignKeyConstraint(["kpi_id"], ["kpis.id"], name=op.f("fk_jd_kpi_targets_kpi_id_kpis")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_kpi_targets_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_kpi_targets")),
        sa.UniqueConstraint("version_id", "kpi_id", "period", name=op.f("uq_jd_kpi_targets_version_id_kpi_id_period")),
    )
    with op.batch_alter_table("jd_kpi_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_kpi_targets_kpi_id"), ["kpi_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jd_kpi_targets_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_lint_waivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("finding_key", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_jd_lint_waivers_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_lint_waivers_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_lint_waivers")),
        sa.UniqueConstraint("version_id", "finding_key", name=op.f("uq_jd_lint_waivers_version_id_finding_key")),
    )
    with op.batch_alter_table("jd_lint_waivers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_lint_waivers_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('education', 'experience', 'skills', 'certification', 'language', 'working_conditions', 'other')",
            name=op.f("ck_jd_requirements_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_requirements_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_requirements")),
    )
    with op.batch_alter_table("jd_requirements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_requirements_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_version_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=254), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_jd_version_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["jd_versions.id"],
            name=op.f("fk_jd_version_events_version_id_jd_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_version_events")),
    )
    with op.batch_alter_table("jd_version_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_version_events_version_id"), ["version_id"], unique=False)

    op.create_table(
        "jd_duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=True),
        sa.Column("standard", sa.String(length=200), nullable=False),
        sa.Column("weight", sa.Numeric(precision=6, scale=2, asdecimal=False), nullable=True),
        sa.CheckConstraint(
            "frequency IS NULL OR frequency IN ('daily', 'weekly', 'monthly', 'quarterly', 'annual', 'as_needed')",
            name=op.f("ck_jd_duties_frequency_valid"),
        ),
        sa.CheckConstraint("weight IS NULL OR (weight >= 0 AND weight <= 100)", name=op.f("ck_jd_duties_weight_range")),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["jd_duty_sections.id"],
            name=op.f("fk_jd_duties_section_id_jd_duty_sections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_duties")),
    )
    with op.batch_alter_table("jd_duties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_duties_section_id"), ["section_id"], unique=False)


def downgrade():
    with op.batch_alter_table("jd_duties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_duties_section_id"))

    op.drop_table("jd_duties")
    with op.batch_alter_table("jd_version_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_version_events_version_id"))

    op.drop_table("jd_version_events")
    with op.batch_alter_table("jd_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_requirements_version_id"))

    op.drop_table("jd_requirements")
    with op.batch_alter_table("jd_lint_waivers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_lint_waivers_version_id"))

    op.drop_table("jd_lint_waivers")
    with op.batch_alter_table("jd_kpi_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_kpi_targets_version_id"))
        batch_op.drop_index(batch_op.f("ix_jd_kpi_targets_kpi_id"))

    op.drop_table("jd_kpi_targets")
    with op.batch_alter_table("jd_duty_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_duty_sections_version_id"))

    op.drop_table("jd_duty_sections")
    with op.batch_alter_table("jd_competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_competencies_version_id"))
        batch_op.drop_index(batch_op.f("ix_jd_competencies_competency_id"))

    op.drop_table("jd_competencies")
    with op.batch_alter_table("jd_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_acknowledgements_version_id"))
        batch_op.drop_index(batch_op.f("ix_jd_acknowledgements_employee_id"))

    op.drop_table("jd_acknowledgements")
    with op.batch_alter_table("jd_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_jd_versions_one_published",
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        )
        batch_op.drop_index(
            "uq_jd_versions_one_open",
            sqlite_where=sa.text("status IN ('draft', 'in_review', 'approved')"),
            postgresql_where=sa.text("status IN ('draft', 'in_review', 'approved')"),
        )
        batch_op.drop_index(batch_op.f("ix_jd_versions_status"))
        batch_op.drop_index(batch_op.f("ix_jd_versions_position_id"))

    op.drop_table("jd_versions")
    op.drop_table("kpis")
    op.drop_table("jd_templates")
    op.drop_table("competencies")
