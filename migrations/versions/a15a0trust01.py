"""Trust and safety (issue 15): endorsement invalidation, warnings, lockout

Revision ID: a15a0trust01
Revises: 9c5389cafb13
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a15a0trust01'
down_revision = '9c5389cafb13'
branch_labels = None
depends_on = None


def upgrade():
    # issue 15: interactions
    # The rule's condition ("anti-inflammatory doses of ..."); `flask import drugs` fills it.
    with op.batch_alter_table('interaction_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('condition', sa.Text(), nullable=False, server_default=''))
    # end issue 15: interactions
    # issue 15: crisis kind
    # "self-harm" or "medical-emergency" on an urgent post; urgent posts saved before stay None.
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crisis_kind', sa.String(length=20), nullable=True))
    # end issue 15: crisis kind
    # issue 15: edits and endorsements
    # The revision whose reviewers' changes the article's author accepted.
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_revision', sa.Integer(), nullable=True))
    # end issue 15: edits and endorsements


def downgrade():
    # issue 15: edits and endorsements
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('accepted_revision')
    # end issue 15: edits and endorsements
    # issue 15: crisis kind
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_column('crisis_kind')
    # end issue 15: crisis kind
    # issue 15: interactions
    with op.batch_alter_table('interaction_rule', schema=None) as batch_op:
        batch_op.drop_column('condition')
    # end issue 15: interactions
