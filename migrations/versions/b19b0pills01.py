"""Pill identifier (issue 19): products and pills from SPL labels

Revision ID: b19b0pills01
Revises: a15a0trust01
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b19b0pills01'
down_revision = 'a15a0trust01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pill_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('set_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ndc', sa.String(length=20), nullable=False),
    sa.Column('package_ndcs', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('generic_name', sa.String(length=300), nullable=False),
    sa.Column('form', sa.String(length=100), nullable=False),
    sa.Column('labeler', sa.String(length=200), nullable=False),
    sa.Column('label_date', sa.Date(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pill_product')),
    sa.UniqueConstraint('set_id', 'ndc', name=op.f('uq_pill_product_set_id')),
    sqlite_autoincrement=True
    )
    op.create_table('pill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('imprint', sa.String(length=200), nullable=False),
    sa.Column('imprint_key', sa.String(length=200), nullable=False),
    sa.Column('color', sa.String(length=20), nullable=True),
    sa.Column('second_color', sa.String(length=20), nullable=True),
    sa.Column('shape', sa.String(length=20), nullable=True),
    sa.Column('size_mm', sa.Float(), nullable=True),
    sa.Column('score', sa.SmallInteger(), nullable=True),
    sa.ForeignKeyConstraint(['product_id'], ['pill_product.id'], name=op.f('fk_pill_product_id_pill_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pill'))
    )
    with op.batch_alter_table('pill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pill_imprint_key'), ['imprint_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_pill_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_pill_look', ['shape', 'color', 'size_mm'], unique=False)

    op.create_table('pill_ingredient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('substance', sa.String(length=300), nullable=False),
    sa.Column('moiety', sa.String(length=300), nullable=False),
    sa.Column('strength', sa.String(length=60), nullable=False),
    sa.Column('drug_key', sa.String(length=220), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['pill_product.id'], name=op.f('fk_pill_ingredient_product_id_pill_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pill_ingredient'))
    )
    with op.batch_alter_table('pill_ingredient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pill_ingredient_drug_key'), ['drug_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_pill_ingredient_product_id'), ['product_id'], unique=False)

    op.create_table('pill_imprint_token',
    sa.Column('token', sa.String(length=60), nullable=False),
    sa.Column('pill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pill_id'], ['pill.id'], name=op.f('fk_pill_imprint_token_pill_id_pill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', 'pill_id', name=op.f('pk_pill_imprint_token'))
    )
    with op.batch_alter_table('pill_imprint_token', schema=None) as batch_op:
        batch_op.create_index('ix_pill_imprint_token_pill', ['pill_id', 'token'], unique=False)

    with op.batch_alter_table('cabinet_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cabinet_entry_product_id'), ['product_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_cabinet_entry_product_id_pill_product'), 'pill_product', ['product_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('cabinet_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cabinet_entry_product_id_pill_product'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_cabinet_entry_product_id'))
        batch_op.drop_column('product_id')

    with op.batch_alter_table('pill_imprint_token', schema=None) as batch_op:
        batch_op.drop_index('ix_pill_imprint_token_pill')

    op.drop_table('pill_imprint_token')
    with op.batch_alter_table('pill_ingredient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pill_ingredient_product_id'))
        batch_op.drop_index(batch_op.f('ix_pill_ingredient_drug_key'))

    op.drop_table('pill_ingredient')
    with op.batch_alter_table('pill', schema=None) as batch_op:
        batch_op.drop_index('ix_pill_look')
        batch_op.drop_index(batch_op.f('ix_pill_product_id'))
        batch_op.drop_index(batch_op.f('ix_pill_imprint_key'))

    op.drop_table('pill')
    op.drop_table('pill_product')
