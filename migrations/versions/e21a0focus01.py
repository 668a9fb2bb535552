"""Search documents: the title's focus and question type (issue 21)

Revision ID: e21a0focus01
Revises: d18a0alerts1
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e21a0focus01'
down_revision = 'd18a0alerts1'
branch_labels = None
depends_on = None


def upgrade():
    # Documents indexed before this change have none until `flask search rebuild`.
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('focus', sa.String(length=200), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('qtype', sa.String(length=20), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_column('qtype')
        batch_op.drop_column('focus')
