"""The app shell: configuration, headers, error pages, CSRF, text size, health endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from forum import create_app
from forum.config import ConfigError
from tests.conftest import TOKEN_PATTERN, CsrfClient, login
from tests.factories import PASSWORD, make_community, make_thread, make_user


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="FORUM_SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_an_unknown_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="FORUM_ENV"):
        create_app({"ENV": "staging", "SECRET_KEY": "x" * 32})


def test_development_keeps_one_generated_secret_key(tmp_path: Path) -> None:
    first = create_app({"ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    second = create_app({"ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32


def test_environment_variables_configure_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORUM_SECRET_KEY", "from-the-environment-" + "x" * 20)
    monkeypatch.setenv("FORUM_DATABASE_URL", "postgres://u@localhost/forum")
    monkeypatch.setenv("FORUM_HTTPS", "true")
    monkeypatch.setenv("FORUM_RATELIMIT_ENABLED", "false")
    app = create_app()
    assert app.config["SECRET_KEY"].startswith("from-the-environment-")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/forum"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["RATELIMIT_ENABLED"] is False


@pytest.mark.sqlite
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app: Flask) -> None:
    from forum.extensions import db

    with db.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert mode == "wal"
    assert timeout == 15000


def test_every_response_carries_the_security_headers(client: CsrfClient) -> None:
    for path in ("/", "/account/login", "/no/such/page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.config(HTTPS=True)
def test_https_mode_sends_hsts_and_secure_cookies(client: CsrfClient) -> None:
    https = {"base_url": "https://forum.test", "headers": {"Referer": "https://forum.test/"}}
    response = client.get("/", **https)
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    user = make_user()
    token = TOKEN_PATTERN.search(client.get("/account/login", **https).get_data(as_text=True))
    assert token
    data = {"login": user.name, "password": PASSWORD, "remember": "y", "csrf_token": token[1]}
    login_response = client.post("/account/login", data=data, **https)
    assert login_response.status_code == 302
    cookies = login_response.headers.getlist("Set-Cookie")
    assert all("Secure" in cookie for cookie in cookies)


def test_pages_have_no_inline_script(client: CsrfClient) -> None:
    for path in ("/", "/account/login", "/account/register"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page
        assert " onclick=" not in page


def test_home_page_has_navigation_search_disclaimer_and_text_size(client: CsrfClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'class="skip-link" href="#main"' in page
    assert "does not replace a doctor" in page
    assert "in an emergency call your local emergency number" in page
    assert page.count('name="size"') == 4
    assert 'aria-label="Main"' in page


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [("/no/such/page", "get", 404), ("/account/logout", "get", 405)],
)
def test_errors_render_html_pages(client: CsrfClient, path: str, method: str, status: int) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert "Error" in response.get_data(as_text=True)


def test_errors_are_json_when_the_client_asks_for_json(client: CsrfClient) -> None:
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json is not None
    assert response.json["error"]["code"] == "not_found"


def test_a_405_says_which_methods_are_allowed(client: CsrfClient) -> None:
    response = client.get("/account/logout")
    assert "POST" in response.headers["Allow"]


@pytest.mark.config(MAX_CONTENT_LENGTH=1024)
def test_oversized_requests_get_a_413(client: CsrfClient) -> None:
    response = client.post("/account/login", data={"login": "x" * 4096, "password": "y"})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_a_500_is_a_friendly_page_that_leaks_nothing(app: Flask, client: CsrfClient) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "secret internal detail" not in page


def test_a_post_without_a_csrf_token_is_refused(client: CsrfClient) -> None:
    user = make_user()
    response = client.post("/account/login", data={"login": user.name}, csrf=False)
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_a_post_with_a_forged_csrf_token_is_refused(client: CsrfClient) -> None:
    user = make_user()
    form = {"login": user.name, "password": PASSWORD, "csrf_token": "forged"}
    response = client.post("/account/login", data=form)
    assert response.status_code == 400 and "form expired" in response.get_data(as_text=True)


def test_logout_without_a_csrf_token_does_nothing(client: CsrfClient) -> None:
    login(client, make_user())
    assert client.post("/account/logout", csrf=False).status_code == 400
    assert client.get("/account/settings").status_code == 200


def test_text_size_is_remembered_for_a_year(client: CsrfClient) -> None:
    response = client.post("/preferences/text-size", data={"size": "4", "next": "/account/login"})
    assert response.status_code == 302
    assert response.location == "/account/login"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("text_size"))
    assert "Max-Age=31536000" in cookie
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" class="text-size-4">' in page
    assert 'value="4" class="text-size-4-button" aria-pressed="true"' in page


@pytest.mark.parametrize("size", ["0", "5", "big", ""])
def test_an_unknown_text_size_is_a_400(client: CsrfClient, size: str) -> None:
    assert client.post("/preferences/text-size", data={"size": size}).status_code == 400


def test_a_forged_text_size_cookie_is_ignored(client: CsrfClient) -> None:
    client.set_cookie("text_size", '9" onload="x', domain="forum.test")
    assert 'class="text-size-2"' in client.get("/").get_data(as_text=True)


def test_health_endpoint_reports_the_database(client: CsrfClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_static_css_is_served_locally(client: CsrfClient) -> None:
    response = client.get("/static/css/forum.css")
    assert response.status_code == 200
    assert b"@media" in response.data
    response.close()


def test_visitors_reading_pages_get_no_session_cookie(client: CsrfClient) -> None:
    """Reading the forum leaves no cookie behind: no session is made for a visitor who
    only reads (the text-size control needs none), so pages stay cacheable and private."""
    community = make_community(slug="sleep-talk")
    thread = make_thread(community, title="Waking up at four every night", tags="insomnia")
    pages = ["/", "/c/sleep-talk", f"/threads/{thread.id}", "/search?q=waking", "/topics"]
    pages += [f"/topics/{community.topic.slug}", "/tags/insomnia", f"/u/{thread.author.name}"]
    for path in [*pages, "/experts"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.getlist("Set-Cookie") == [], path
        assert 'action="/preferences/text-size"' in response.get_data(as_text=True)


def test_a_visitor_changes_text_size_without_a_session_but_not_from_another_site(
    client: CsrfClient,
) -> None:
    form = {"size": "3", "next": "/"}
    response = client.post("/preferences/text-size", data=form, csrf=False,
                           headers={"Sec-Fetch-Site": "same-origin"})  # fmt: skip
    assert response.status_code == 302
    assert any(c.startswith("text_size=3") for c in response.headers.getlist("Set-Cookie"))
    forged = client.post("/preferences/text-size", data={"size": "1"}, csrf=False,
                         headers={"Sec-Fetch-Site": "cross-site"})  # fmt: skip
    assert forged.status_code == 400
    assert 'class="text-size-3"' in client.get("/").get_data(as_text=True)


def test_a_member_changing_text_size_still_needs_the_csrf_token(client: CsrfClient) -> None:
    login(client, make_user())
    assert client.post("/preferences/text-size", data={"size": "3"}, csrf=False).status_code == 400
    assert client.post("/preferences/text-size", data={"size": "3"}).status_code == 302
