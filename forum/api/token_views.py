"""Account settings: create (shown once), list and revoke personal API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import web
from forum.api import tokens, tokens_bp
from forum.api.forms import TokenForm


def _page(form: TokenForm, secret: str | None = None) -> str:
    return render_template(
        "tokens/index.html", form=form, tokens=tokens.active_tokens(current_user), secret=secret
    )


@tokens_bp.get("")
@login_required
def index() -> str:
    return _page(TokenForm())


@tokens_bp.post("")
@login_required
def create() -> tuple[str, int]:
    form = TokenForm()
    done = web.run_form(
        form, lambda: tokens.create_token(current_user, form.name.data, form.scope.data)
    )
    if done:
        _token, secret = done.value
        # The secret is on this one page and nowhere else: it is stored only as a hash.
        return _page(TokenForm(formdata=None), secret=secret), 200
    return _page(form), web.FORM_ERROR


@tokens_bp.post("/<int:token_id>/revoke")
@login_required
def delete(token_id: int) -> Response:
    token = tokens.token_of(current_user, token_id)
    tokens.revoke_token(current_user, token)
    flash(f"The token “{token.name}” is revoked: it no longer works.", "info")
    return redirect(url_for("tokens.index"))
