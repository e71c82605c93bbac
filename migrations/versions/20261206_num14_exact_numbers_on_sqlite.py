"""numbers of 18 digits kept exactly on SQLite: an integer count of ten-thousandths

The NUMERIC(18, 4) columns (KPI targets, thresholds, stretches, actuals, attainments and
scores) keep their declared type on both engines. PostgreSQL stores NUMERIC exactly: nothing
changes there. SQLite's NUMERIC keeps a float (15 significant digits), so the application now
writes these columns there as an integer count of 10^-4 (app.db.ExactNumber), which NUMERIC
affinity stores as an integer: this revision converts the values already there (at most 15
significant digits, so the rounding is exact). Written and checked by hand.

Revision ID: 3c9e51f0a7d2
Revises: 6131df78f4b4
Create Date: 2026-12-06 21:30:00
"""

from alembic import op

revision = "3c9e51f0a7d2"
down_revision = "6131df78f4b4"
branch_labels = None
depends_on = None

SCALE = 10000  # 10 ** 4: the scale of NUMERIC(18, 4)
COLUMNS = {
    "jd_kpi_targets": ("target", "threshold", "stretch"),
    "appraisal_kpi_results": ("target", "threshold", "stretch", "self_actual", "actual", "attainment"),
    "appraisal_reviews": ("kpi_score", "competency_score", "final_score"),
}


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in COLUMNS.items():
        op.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = CAST(ROUND({c} * {SCALE}) AS INTEGER)" for c in columns))


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in COLUMNS.items():
        op.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = {c} / {SCALE}.0" for c in columns))
