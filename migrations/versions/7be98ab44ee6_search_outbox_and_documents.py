"""search outbox and documents

Revision ID: 7be98ab44ee6
Revises: ecddd7d70c89
Create Date: 2026-11-27 06:48:33.703121

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '7be98ab44ee6'
down_revision = 'ecddd7d70c89'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_document',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('doc_type', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('is_private', sa.Boolean(), nullable=False),
    sa.Column('is_answered', sa.Boolean(), nullable=False),
    sa.Column('is_endorsed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('community_name', sa.Text(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('search_vector', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_search_document'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index('ix_search_document_community_created', ['community_id', 'created_at'], unique=False)
        # GIN on PostgreSQL (a tsvector); a plain index on SQLite, which never searches it.
        batch_op.create_index('ix_search_document_search_vector', ['search_vector'], unique=False, postgresql_using='gin')

    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    op.create_table('search_word',
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_word'))
    )


def downgrade():
    op.drop_table('search_word')
    op.drop_table('search_outbox')
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index('ix_search_document_search_vector', postgresql_using='gin')
        batch_op.drop_index('ix_search_document_community_created')

    op.drop_table('search_document')
