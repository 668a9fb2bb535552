"""Cabinet entries: per-medicine safety alerts (issue 17)

Revision ID: d18a0alerts1
Revises: c17c0notify1
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd18a0alerts1'
down_revision = 'c17c0notify1'
branch_labels = None
depends_on = None


def upgrade():
    # Lists kept before this change go on being alerted, as they were.
    with op.batch_alter_table('cabinet_entry', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('safety_alerts', sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('cabinet_entry', schema=None) as batch_op:
        batch_op.drop_column('safety_alerts')
