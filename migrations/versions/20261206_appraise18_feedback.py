"""360° feedback (issue 18): a template's feedback settings, a review's feedback section score,
the nominations of respondents and their unattributed answers (random ids, no author, no time).

Revision ID: beaa27650444
Revises: 3c9e51f0a7d2
Create Date: 2026-12-07 00:34:07.910696

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'beaa27650444'
down_revision = '3c9e51f0a7d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appraisal_feedback_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('respondent_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('nominated_by', sa.String(length=20), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("relation IN ('peer', 'direct_report', 'manager')", name=op.f('ck_appraisal_feedback_nominations_relation_valid')),
    sa.CheckConstraint("status IN ('proposed', 'approved', 'declined')", name=op.f('ck_appraisal_feedback_nominations_status_valid')),
    sa.ForeignKeyConstraint(['respondent_id'], ['employees.id'], name=op.f('fk_appraisal_feedback_nominations_respondent_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['appraisal_reviews.id'], name=op.f('fk_appraisal_feedback_nominations_review_id_appraisal_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_feedback_nominations')),
    sa.UniqueConstraint('review_id', 'respondent_id', name=op.f('uq_appraisal_feedback_nominations_review_id_respondent_id'))
    )
    with op.batch_alter_table('appraisal_feedback_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appraisal_feedback_nominations_respondent_id'), ['respondent_id'], unique=False)
        batch_op.create_index('ix_appraisal_feedback_nominations_review_id_status', ['review_id', 'status'], unique=False)

    op.create_table('appraisal_feedback_responses',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=True),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['appraisal_feedback_nominations.id'], name=op.f('fk_appraisal_feedback_responses_nomination_id_appraisal_feedback_nominations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['appraisal_reviews.id'], name=op.f('fk_appraisal_feedback_responses_review_id_appraisal_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_feedback_responses'))
    )
    with op.batch_alter_table('appraisal_feedback_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appraisal_feedback_responses_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('appraisal_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback_score', sa.Numeric(precision=18, scale=4), nullable=True))

    with op.batch_alter_table('appraisal_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback', sa.JSON(), server_default='{}', nullable=False))



def downgrade():
    with op.batch_alter_table('appraisal_templates', schema=None) as batch_op:
        batch_op.drop_column('feedback')

    with op.batch_alter_table('appraisal_reviews', schema=None) as batch_op:
        batch_op.drop_column('feedback_score')

    with op.batch_alter_table('appraisal_feedback_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appraisal_feedback_responses_review_id'))

    op.drop_table('appraisal_feedback_responses')
    with op.batch_alter_table('appraisal_feedback_nominations', schema=None) as batch_op:
        batch_op.drop_index('ix_appraisal_feedback_nominations_review_id_status')
        batch_op.drop_index(batch_op.f('ix_appraisal_feedback_nominations_respondent_id'))

    op.drop_table('appraisal_feedback_nominations')
