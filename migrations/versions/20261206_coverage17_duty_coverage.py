"""duty coverage: department functions get a title, job-description duties link to them

Department functions (主要职责) become structured items: a short optional title besides the
text, and an id that edits keep, so that duties of job descriptions can be linked to them
(jd_duty_functions, with the function's label copied: a published version keeps showing it).

The existing functions stay the first items, in their order. A function row that holds several
numbered items run together ("1.负责…；2.负责…", as pasted charters do) is split the way the
job-description parser splits duties (app.jobs.parser, standard library only): its first item
stays in the row, the others follow it as new rows. Text the parser finds no numbered items in
is kept whole. Written and checked by hand.

Revision ID: c17d0f7a2e51
Revises: 2d9bb9e0eed1
Create Date: 2026-12-07 00:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c17d0f7a2e51"
down_revision = "2d9bb9e0eed1"
branch_labels = None
depends_on = None


def _pieces(text):
    """The items of ``text`` as the parser splits duties, or the text itself."""
    from app.jobs.parser import ParseError, parse_job_description  # the parser as it was when this was written

    try:
        duties = parse_job_description(text)["duties"]
    except ParseError:
        return [text]
    duties = [d.strip() for d in duties if isinstance(d, str) and d.strip()]
    return duties if len(duties) > 1 else [text]


def upgrade():
    op.create_table(
        "jd_duty_functions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=False),
        sa.Column("function_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("function_label", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["duty_id"], ["jd_duties.id"], name=op.f("fk_jd_duty_functions_duty_id_jd_duties"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["function_id"],
            ["department_functions.id"],
            name=op.f("fk_jd_duty_functions_function_id_department_functions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jd_duty_functions")),
        sa.UniqueConstraint("duty_id", "function_id", name=op.f("uq_jd_duty_functions_duty_id_function_id")),
    )
    with op.batch_alter_table("jd_duty_functions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jd_duty_functions_duty_id"), ["duty_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_jd_duty_functions_function_id"), ["function_id"], unique=False)

    with op.batch_alter_table("department_functions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=120), nullable=False, server_default=""))

    functions = sa.table(
        "department_functions",
        sa.column("id", sa.Integer),
        sa.column("department_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("title", sa.String),
        sa.column("text", sa.Text),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(functions.c.id, functions.c.department_id, functions.c.text).order_by(
            functions.c.department_id, functions.c.position, functions.c.id
        )
    ).all()
    by_department = {}
    for row in rows:
        by_department.setdefault(row.department_id, []).append(row)
    for department_id, department_rows in by_department.items():
        items = []  # (existing id or None, text), in order
        for row in department_rows:
            pieces = _pieces(row.text)
            items.append((row.id, pieces[0]))
            items.extend((None, piece) for piece in pieces[1:])
        for position, (function_id, text) in enumerate(items):
            if function_id is None:
                bind.execute(
                    functions.insert().values(department_id=department_id, position=position, title="", text=text)
                )
            else:
                bind.execute(
                    functions.update().where(functions.c.id == function_id).values(position=position, text=text)
                )


def downgrade():
    with op.batch_alter_table("department_functions", schema=None) as batch_op:
        batch_op.drop_column("title")
    with op.batch_alter_table("jd_duty_functions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jd_duty_functions_function_id"))
        batch_op.drop_index(batch_op.f("ix_jd_duty_functions_duty_id"))
    op.drop_table("jd_duty_functions")
