"""Routes for registering, logging in and out, password resets and account settings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import (
    copy_current_request_context,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from forum import web
from forum.auth import bp, services, throttle
from forum.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetForm,
    ResetRequestForm,
)
from forum.errors import DomainError
from forum.extensions import limiter
from forum.models import User

log = logging.getLogger(__name__)
# Where a reset link's token waits between the e-mailed link and the form (never in a URL).
RESET_TOKEN_KEY = "password_reset_token"  # noqa: S105 (a session key, not a secret)


def _after_response(response: Response, action: Callable[[], None]) -> Response:
    """Run `action` without holding the answer, in a copy of this request's context.

    Servers start it in a thread of its own: werkzeug's development server skips a
    response's close callbacks when the browser drops the connection first, so
    `call_on_close` alone lost reset mails there. The test client closes every response,
    so tests run it on close, where its order after the answer can be checked.
    """

    @copy_current_request_context
    def run() -> None:
        try:
            action()
        except Exception:
            log.exception("work after the response of %s failed", request.endpoint)

    if current_app.testing:
        response.call_on_close(run)
    else:
        threading.Thread(target=run, name="after-response", daemon=True).start()
    return response


def _start_session(user: User, remember: bool) -> None:
    # Nothing from before login survives, so a planted session cannot be taken over.
    session.clear()
    login_user(user, remember=remember, duration=current_app.config["REMEMBER_COOKIE_DURATION"])


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> Response | tuple[str, int] | str:
    form = RegisterForm()
    if form.is_submitted() and not _check_registration(form):
        return render_template("auth/register.html", form=form), web.form_status()
    done = web.run_form(
        form,
        lambda: services.register_user(
            form.name.data,
            form.email.data,
            form.password.data,
            health_consent=bool(form.health_consent.data),
        ),
    )
    if done:
        user = done.value
        _start_session(user, remember=False)
        flash(f"Welcome, {user.name}! Your account is ready.", "success")
        if not user.health_consent_at:
            flash("You can read everything. To post, give your consent in settings.", "info")
        return redirect(url_for("home.index"))
    return render_template("auth/register.html", form=form), web.form_status()


def _check_registration(form: RegisterForm) -> bool:
    """Validate every field and every account rule, so that all problems show at once."""
    valid = form.validate()
    problems = services.registration_problems(
        form.name.data or "", form.email.data or "", form.password.data or ""
    )
    for name, message in problems.items():
        field = form[name]
        if not field.errors:
            field.errors = [*field.errors, message]
    return valid and not problems


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    done = web.run_form(
        form,
        lambda: throttle.attempt_login(
            form.login.data,
            lambda: services.check_credentials(form.login.data, form.password.data),
        ),
    )
    if done:
        _start_session(done.value, remember=bool(form.remember.data))
        return redirect(web.safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), web.form_status()


@bp.post("/logout")
@login_required
def logout() -> Response:
    services.end_all_sessions(current_user)
    logout_user()
    session.clear()
    flash("You are logged out on every device.", "success")
    return redirect(url_for("home.index"))


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def reset_request() -> Response | tuple[str, int]:
    form = ResetRequestForm()
    if form.validate_on_submit():
        login = form.login.data
        flash(
            "If an account matches, we have sent it an e-mail with a link to reset the "
            "password. The link works for one hour.",
            "info",
        )
        # Looking the account up and mailing it happen after the answer is sent: the answer
        # is the same, and takes as long, whether the account exists or not.
        return _after_response(
            redirect(url_for("auth.login")),
            lambda: services.send_password_reset(
                login, lambda token: url_for("auth.reset_link", token=token, _external=True)
            ),
        )
    return render_template("auth/reset_request.html", form=form), web.form_status()


def _reset_refused(message: str) -> tuple[str, int]:
    return render_template("auth/reset_invalid.html", message=message), 400


@bp.get("/password-reset/<token>")
def reset_link(token: str) -> Response | tuple[str, int]:
    """The e-mailed link: keep its token in the session and go on to a URL without it."""
    try:
        services.user_for_reset_token(token)
    except DomainError as error:
        return _reset_refused(error.message)
    session[RESET_TOKEN_KEY] = token
    return redirect(url_for("auth.reset"), 303)


@bp.route("/password-reset/new", methods=["GET", "POST"])
def reset() -> Response | tuple[str, int]:
    token = session.get(RESET_TOKEN_KEY)
    if not isinstance(token, str):
        return _reset_refused("Open the link from the e-mail again to choose a new password.")
    try:
        services.user_for_reset_token(token)
    except DomainError as error:
        session.pop(RESET_TOKEN_KEY, None)
        return _reset_refused(error.message)
    form = ResetForm()
    done = web.run_form(form, lambda: services.reset_password(token, form.new_password.data))
    if done:
        throttle.clear_account((done.value.name, done.value.email))
        logout_user()
        session.clear()
        flash("Your password is changed. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), web.form_status()


def _settings_page(sent: ChangePasswordForm | ChangeEmailForm | None = None) -> str:
    """The settings page; `sent`, a form that came back with errors, is shown in its place."""
    return render_template(
        "auth/settings.html",
        password_form=sent if isinstance(sent, ChangePasswordForm) else ChangePasswordForm(),
        email_form=sent if isinstance(sent, ChangeEmailForm) else ChangeEmailForm(),
    )


def _change_setting(
    form: ChangePasswordForm | ChangeEmailForm, change: Callable[[], object], message: str
) -> Response | tuple[str, int]:
    """Run a settings form: back to the settings with `message`, or the page with errors."""
    if not web.run_form(form, change):
        return _settings_page(form), web.FORM_ERROR
    flash(message, "success")
    return redirect(url_for("auth.settings"))


@bp.get("/settings")
@login_required
def settings() -> str:
    return _settings_page()


@bp.post("/settings/password")
@login_required
def update_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()

    def change() -> None:
        services.change_password(current_user, form.current_password.data, form.new_password.data)
        # This browser stays logged in; every other session has ended.
        _start_session(current_user._get_current_object(), remember=False)

    return _change_setting(
        form, change, "Your password is changed. Other devices have been logged out."
    )


@bp.post("/settings/email")
@login_required
def update_email() -> Response | tuple[str, int]:
    form = ChangeEmailForm()
    return _change_setting(
        form,
        lambda: services.change_email(current_user, form.current_password.data, form.email.data),
        "Your e-mail address is changed.",
    )
