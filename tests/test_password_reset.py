"""Password resets: the same answer for every account, mail after the answer, no token in logs."""

from __future__ import annotations

import http.client
import logging
import re
import threading
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from forum.auth import services
from forum.logs import ScrubResetTokens, scrub
from forum.mail import outbox
from tests.conftest import CsrfClient
from tests.factories import make_user

NEW_PASSWORD = "rain on the roof tonight"
# Headers that differ between any two answers (a fresh signed session cookie, the clock).
VARYING_HEADERS = {"set-cookie", "date"}


def request_reset(client: CsrfClient, login: str) -> Any:
    return client.post("/account/password-reset", data={"login": login})


def mailed_path(app: Flask) -> str:
    body = outbox()[-1].get_body(("plain",)).get_content()
    match = re.search(r"http://forum\.test(/account/password-reset/[\w.-]+)", body)
    assert match, body
    return match.group(1)


def stable_headers(response: Any) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers.items() if k.lower() not in VARYING_HEADERS]


def test_a_reset_request_answers_byte_for_byte_the_same_for_known_and_unknown_accounts(
    client: CsrfClient,
) -> None:
    known = make_user(name="known_member")
    answers = [request_reset(client, known.name), request_reset(client, "nobody_by_that_name")]
    for answer in answers:
        answer.close()
    known_answer, unknown_answer = answers
    assert known_answer.status_code == unknown_answer.status_code == 302
    assert known_answer.get_data() == unknown_answer.get_data()
    assert stable_headers(known_answer) == stable_headers(unknown_answer)
    assert "Set-Cookie" in known_answer.headers
    assert [message["To"] for message in outbox()] == [known.email]


def test_the_account_is_looked_up_and_mailed_only_after_the_answer_is_sent(
    client: CsrfClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(name="forgetful")
    events: list[str] = []
    find_by_login = services.find_by_login
    send_mail = services.send_mail

    def looking_up(login: str) -> Any:
        events.append("lookup")
        return find_by_login(login)

    def sending(to: str, subject: str, body: str) -> None:
        events.append("send")
        send_mail(to, subject, body)

    monkeypatch.setattr(services, "find_by_login", looking_up)
    monkeypatch.setattr(services, "send_mail", sending)
    answer = request_reset(client, "forgetful")
    assert answer.status_code == 302
    assert answer.get_data() is not None
    # The answer is complete (status, headers, body) and nothing was looked up or sent yet.
    assert events == []
    assert outbox() == []
    # The server closes the answer once it has written it: only then does the work run.
    answer.close()
    assert events == ["lookup", "send"]
    assert len(outbox()) == 1


def test_a_failure_after_the_answer_is_logged_and_never_reaches_the_visitor(
    client: CsrfClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(name="forgetful")

    def broken(to: str, subject: str, body: str) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    answer = request_reset(client, "forgetful")
    assert answer.status_code == 302
    answer.close()
    assert "work after the response of auth.reset_request failed" in caplog.text


def test_the_mailed_link_moves_its_token_out_of_the_url_and_works_once(
    app: Flask, client: CsrfClient
) -> None:
    user = make_user(name="forgetful")
    request_reset(client, user.email).close()
    link = mailed_path(app)
    token = link.rsplit("/", 1)[1]
    landing = client.get(link)
    assert landing.status_code == 303
    assert landing.location == "/account/password-reset/new"
    form_page = client.get(landing.location)
    assert form_page.status_code == 200
    page = form_page.get_data(as_text=True)
    assert 'action="/account/password-reset/new"' in page
    assert token not in page
    done = client.post(
        "/account/password-reset/new",
        data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done.location == "/account/login"
    assert services.check_credentials("forgetful", NEW_PASSWORD).id == user.id
    for response in (landing, form_page, done):
        assert token not in response.headers.get("Location", "")
    # Used once: neither the link nor the form page accepts it again.
    again = client.get(link)
    assert again.status_code == 400
    assert "expired or was already used" in again.get_data(as_text=True)
    assert "Location" not in again.headers
    assert client.get("/account/password-reset/new").status_code == 400


def test_the_reset_form_without_a_link_asks_for_the_link_again(client: CsrfClient) -> None:
    response = client.get("/account/password-reset/new")
    assert response.status_code == 400
    assert "Open the link from the e-mail again" in response.get_data(as_text=True)
    sent = client.post(
        "/account/password-reset/new",
        data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert sent.status_code == 400


def test_the_reset_form_refuses_a_link_that_expired_after_it_was_opened(
    app: Flask, client: CsrfClient
) -> None:
    user = make_user()
    link = f"/account/password-reset/{services.make_reset_token(user)}"
    assert client.get(link).status_code == 303
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.post(
        "/account/password-reset/new",
        data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_a_forged_link_is_refused_without_a_redirect(client: CsrfClient) -> None:
    response = client.get("/account/password-reset/not-a-real-token")
    assert response.status_code == 400
    assert "Location" not in response.headers


@pytest.mark.parametrize(
    "request_line",
    [
        "GET /account/password-reset/eyJ1c2VyIjoxfQ.aBcD.eFgH-ij_k HTTP/1.1",
        "GET /account/password-reset/eyJ1c2VyIjoxfQ.aBcD.eFgH?x=1 HTTP/1.1",
        # The development server colours the line by status.
        "\x1b[32mGET /account/password-reset/eyJ1c2VyIjoxfQ.aBcD.eFgH HTTP/1.1\x1b[0m",
    ],
)
def test_the_access_log_filter_scrubs_the_token_of_a_werkzeug_record(request_line: str) -> None:
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1,
        '127.0.0.1 - - [12/Jan/2026 10:00:00] "%s" %s %s', (request_line, "303", "-"), None,
    )  # fmt: skip
    assert ScrubResetTokens().filter(record)
    message = record.getMessage()
    assert "eyJ1c2VyIjoxfQ" not in message
    assert "/account/password-reset/[token]" in message
    assert message.startswith('127.0.0.1 - - [12/Jan/2026 10:00:00] "')
    assert message.endswith('" 303 -')


def test_the_access_log_filter_leaves_other_lines_alone() -> None:
    for line in ("GET /account/password-reset/new HTTP/1.1", "GET /threads/5 HTTP/1.1"):
        assert scrub(line) == line


def test_the_development_server_logs_no_reset_token(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    user = make_user()
    token = services.make_reset_token(user)
    server = make_server("127.0.0.1", 0, app)
    worker = threading.Thread(target=server.handle_request, daemon=True)
    worker.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request(
            "GET", f"/account/password-reset/{token}", headers={"Host": "forum.test"}
        )
        answer = connection.getresponse()
        answer.read()
        connection.close()
        worker.join(timeout=10)
    finally:
        server.server_close()
    assert answer.status == 303
    assert token not in (answer.getheader("Location") or "")
    access_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/account/password-reset/[token]" in line for line in access_lines), access_lines
    assert token not in caplog.text
