"""`flask users token NAME`: a personal API token for operators' scripts."""

from __future__ import annotations

import click

from forum.api import tokens
from forum.auth.cli import users_cli
from forum.auth.services import find_user_by_name
from forum.errors import DomainError
from forum.models import TokenScope


@users_cli.command("token")
@click.argument("name")
@click.option(
    "--scope",
    type=click.Choice([scope.value for scope in TokenScope]),
    default=TokenScope.READ.value,
    show_default=True,
)
@click.option("--label", default="command line", show_default=True, help="The token's name.")
def create_token(name: str, scope: str, label: str) -> None:
    """Print a new API token for the account NAME (shown once, stored hashed)."""
    user = find_user_by_name(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    try:
        token, secret = tokens.create_token(user, label, scope)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(secret)
    click.echo(f"token {token.id} ({scope}) for user {user.name}: it is shown only once", err=True)
