"""`flask users ...`: operator commands for accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from forum.auth import services
from forum.errors import DomainError
from forum.models import Role

users_cli = AppGroup("users", help="Create accounts and set roles.")
ROLE_CHOICE = click.Choice([role.value for role in Role])


@users_cli.command("create")
@click.argument("name")
@click.option("--email", required=True, help="The private e-mail address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--role", type=ROLE_CHOICE, default=Role.MEMBER.value, show_default=True)
@click.option(
    "--health-consent/--no-health-consent",
    default=True,
    show_default=True,
    help="Record the account's consent to processing shared health information "
    "(needed to post); the operator creating it confirms the person agreed.",
)
def create_user(
    name: str, email: str, password_stdin: bool, role: str, health_consent: bool
) -> None:
    """Create an account NAME."""
    if not password_stdin:
        raise click.UsageError("Pass --password-stdin and give the password on standard input.")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = services.register_user(
            name, email, password, role=Role(role), health_consent=health_consent
        )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"created user {user.name} (id {user.id}, role {user.role.value})")


@users_cli.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
def set_role(name: str, role: str) -> None:
    """Give the account NAME the role ROLE."""
    user = services.find_user_by_name(name)
    if user is None:
        raise click.ClickException(f"no user named {name!r}")
    services.set_role(None, user, Role(role))
    click.echo(f"user {user.name} is now {role}")
