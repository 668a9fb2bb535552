"""Operator commands: users create, users set-role, seed demo."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Drug, Role, Thread, User
from tests.factories import make_user


def test_users_create_reads_the_password_from_stdin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "site_admin", "--email", "Operator@Example.org",
              "--password-stdin", "--role", "admin"],
        input="a long admin passphrase\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1
    assert "created user site_admin" in result.output
    user = db.session.scalar(select(User).where(User.name_key == "site_admin"))
    assert user is not None and user.role == Role.ADMIN
    assert user.email == "operator@example.org"


def test_users_create_fails_clearly_on_a_bad_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "someone", "--email", "s@example.org", "--password-stdin"],
        input="1234567890\n",
    )
    assert result.exit_code != 0
    assert "too common" in result.output


def test_users_create_without_password_stdin_is_a_usage_error(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["users", "create", "someone", "--email", "s@example.org"]
    )
    assert result.exit_code == 2


def test_users_set_role(app: Flask) -> None:
    user = make_user(name="future_mod")
    result = app.test_cli_runner().invoke(args=["users", "set-role", "FUTURE_MOD", "moderator"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "user future_mod is now moderator"
    db.session.refresh(user)
    assert user.role == Role.MODERATOR


def test_users_set_role_of_an_unknown_user_fails(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["users", "set-role", "ghost", "admin"])
    assert result.exit_code == 1
    assert "no user named 'ghost'" in result.output


def test_users_set_role_refuses_an_unknown_role(app: Flask) -> None:
    make_user(name="someone")
    result = app.test_cli_runner().invoke(args=["users", "set-role", "someone", "king"])
    assert result.exit_code == 2


def test_seed_demo_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(select(func.count(User.id)))
    assert count and count >= 5
    imported = select(func.count(Thread.id)).where(
        Thread.source_id.startswith("qa:"), Thread.accepted_post_id.is_not(None)
    )
    reference_questions = db.session.scalar(imported)
    assert reference_questions and reference_questions > 300  # through `import qa`'s service
    # The drug directory comes with the demo: drug pages, My Medicine and pill links work.
    drugs = db.session.scalar(select(func.count(Drug.id)))
    assert drugs and drugs > 10_000
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0, second.output
    assert "nothing new" in second.output
    assert db.session.scalar(select(func.count(User.id))) == count
    assert db.session.scalar(imported) == reference_questions
    assert db.session.scalar(select(func.count(Drug.id))) == drugs
