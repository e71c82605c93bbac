"""competency ratings: a comment each for the employee and the manager

One ``comment`` column let the manager's review overwrite what the employee wrote in the
self-review. The existing text was last written by the manager once a review is past the
self-review, so it becomes ``manager_comment``; in reviews still in the self-review it is the
employee's and moves to ``employee_comment``. Reviewed by hand: SQLite needs batch mode for the
rename; the downgrade keeps the manager's text, else the employee's.

Revision ID: f6b918a1ea2a
Revises: 0750c6457f19
Create Date: 2026-11-23 05:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f6b918a1ea2a"
down_revision = "0750c6457f19"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("appraisal_competency_ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("employee_comment", sa.Text(), nullable=False, server_default=""))
        batch_op.alter_column(
            "comment", new_column_name="manager_comment", existing_type=sa.Text(), existing_nullable=False
        )
    # Reviews still in the self-review (or not started): the text is the employee's.
    op.execute("""
        UPDATE appraisal_competency_ratings
           SET employee_comment = manager_comment, manager_comment = ''
         WHERE review_id IN (SELECT id FROM appraisal_reviews WHERE status = 'self_review')
    """)
    with op.batch_alter_table("appraisal_competency_ratings", schema=None) as batch_op:
        batch_op.alter_column("employee_comment", server_default=None, existing_type=sa.Text(), existing_nullable=False)


def downgrade():
    op.execute("""
        UPDATE appraisal_competency_ratings
           SET manager_comment = employee_comment
         WHERE manager_comment = '' AND employee_comment <> ''
    """)
    with op.batch_alter_table("appraisal_competency_ratings", schema=None) as batch_op:
        batch_op.alter_column(
            "manager_comment", new_column_name="comment", existing_type=sa.Text(), existing_nullable=False
        )
        batch_op.drop_column("employee_comment")
