"""job descriptions: versions keep their own KPI and competency labels

A version showed the KPI's name, unit and direction and the competency's name and level
description from the libraries, so editing the library changed published versions, their
comparisons and PDFs (a target of 600000 suddenly "万元"). Each KPI target now keeps the KPI's
code, name, unit and direction, and each competency requirement the competency's code, name,
description and the description of its required level, copied when a draft is saved.

Existing rows are filled from the libraries as they are now (the best record there is of what
the versions showed). Reviewed by hand: batch mode for SQLite; server defaults only while the
columns are added and filled; the level description is read from the JSON list in Python, the
same on SQLite and PostgreSQL. The downgrade drops the copies (versions then read the libraries
again, as before).

Revision ID: f49f7545f6bd
Revises: f6b918a1ea2a
Create Date: 2026-11-23 05:25:07

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f49f7545f6bd"
down_revision = "f6b918a1ea2a"
branch_labels = None
depends_on = None

_competencies = sa.table(
    "competencies",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("levels", sa.JSON),
)
_requirements = sa.table(
    "jd_competencies",
    sa.column("id", sa.Integer),
    sa.column("competency_id", sa.Integer),
    sa.column("level", sa.Integer),
    sa.column("competency_code", sa.String),
    sa.column("competency_name", sa.String),
    sa.column("competency_description", sa.Text),
    sa.column("level_description", sa.Text),
)
_KPI_COLUMNS = (
    ("kpi_code", "code", ""),
    ("kpi_name", "name", ""),
    ("kpi_unit", "unit", ""),
    ("kpi_direction", "direction", "higher"),
)


def upgrade():
    with op.batch_alter_table("jd_competencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("competency_code", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("competency_name", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("competency_description", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("level_description", sa.Text(), nullable=False, server_default=""))

    with op.batch_alter_table("jd_kpi_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kpi_code", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("kpi_name", sa.String(length=120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("kpi_unit", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("kpi_direction", sa.String(length=10), nullable=False, server_default="higher"))

    # KPI targets: the library's labels, one statement for every row.
    op.execute(
        "UPDATE jd_kpi_targets SET "
        + ", ".join(
            f"{column} = COALESCE((SELECT kpis.{source} FROM kpis WHERE kpis.id = jd_kpi_targets.kpi_id), '{default}')"
            for column, source, default in _KPI_COLUMNS
        )
    )

    # Competency requirements: the code, name, description and the description of the required level (a JSON list).
    bind = op.get_bind()
    library = {row.id: row for row in bind.execute(sa.select(_competencies))}
    updates = []
    for row in bind.execute(sa.select(_requirements.c.id, _requirements.c.competency_id, _requirements.c.level)):
        competency = library.get(row.competency_id)
        if competency is None:
            continue
        levels = competency.levels or []
        text = levels[row.level - 1] if 1 <= row.level <= len(levels) and levels[row.level - 1] else ""
        updates.append(
            {
                "row_id": row.id,
                "code": competency.code,
                "name": competency.name,
                "description": competency.description or "",
                "text": text,
            }
        )
    if updates:
        bind.execute(
            _requirements.update()
            .where(_requirements.c.id == sa.bindparam("row_id"))
            .values(
                competency_code=sa.bindparam("code"),
                competency_name=sa.bindparam("name"),
                competency_description=sa.bindparam("description"),
                level_description=sa.bindparam("text"),
            ),
            updates,
        )

    with op.batch_alter_table("jd_competencies", schema=None) as batch_op:
        for column, type_ in (
            ("competency_code", sa.String(length=40)),
            ("competency_name", sa.String(length=120)),
            ("competency_description", sa.Text()),
            ("level_description", sa.Text()),
        ):
            batch_op.alter_column(column, server_default=None, existing_type=type_, existing_nullable=False)

    with op.batch_alter_table("jd_kpi_targets", schema=None) as batch_op:
        for column, type_ in (
            ("kpi_code", sa.String(length=40)),
            ("kpi_name", sa.String(length=120)),
            ("kpi_unit", sa.String(length=40)),
            ("kpi_direction", sa.String(length=10)),
        ):
            batch_op.alter_column(column, server_default=None, existing_type=type_, existing_nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_jd_kpi_targets_kpi_direction_valid"), "kpi_direction IN ('higher', 'lower')"
        )


def downgrade():
    with op.batch_alter_table("jd_kpi_targets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_jd_kpi_targets_kpi_direction_valid"), type_="check")
        batch_op.drop_column("kpi_direction")
        batch_op.drop_column("kpi_unit")
        batch_op.drop_column("kpi_name")
        batch_op.drop_column("kpi_code")

    with op.batch_alter_table("jd_competencies", schema=None) as batch_op:
        batch_op.drop_column("level_description")
        batch_op.drop_column("competency_description")
        batch_op.drop_column("competency_name")
        batch_op.drop_column("competency_code")
