"""The composer's Preview button: the body rendered as it would be posted, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forum.extensions import db
from forum.models import Community, Post, Thread
from forum.threads.content import BODY_MAX
from tests.conftest import CsrfClient, login, text_of
from tests.factories import make_community, make_thread, make_user

TITLE = "Does walking after dinner lower morning sugar?"
HOSTILE_BODY = "It is **bold** <script>alert('x')</script> <img src=x onerror=alert(1)>"


def preview_question(client: CsrfClient, community: Community, **fields: str) -> TestResponse:
    data = {"community": community.slug, "title": TITLE, "body": HOSTILE_BODY, "kind": "question"}
    data.update(fields, preview="1")
    return client.post("/threads/new", data=data)


def counts() -> tuple[int, int]:
    threads = db.session.scalar(select(func.count(Thread.id))) or 0
    posts = db.session.scalar(select(func.count(Post.id))) or 0
    return threads, posts


def session_of(client: CsrfClient) -> dict[str, Any]:
    with client.session_transaction() as session:
        return dict(session)


def test_the_question_preview_renders_the_markdown_and_saves_nothing(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    response = preview_question(client, community)
    page = text_of(response)
    assert response.status_code == 200
    assert 'class="preview"' in page
    assert "It is <strong>bold</strong>" in page
    assert counts() == (0, 0)


def test_the_preview_sanitizes_hostile_input(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    page = text_of(preview_question(client, community))
    assert "<script>alert" not in page
    box = page.split('class="preview"', 1)[1].split("</section>", 1)[0]
    assert "<img" not in box and "&lt;img src=x onerror=alert(1)&gt;" in box


def test_the_preview_keeps_the_text_in_the_fields(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    page = text_of(preview_question(client, community, tags="diet"))
    assert f'value="{TITLE}"' in page
    assert "It is **bold** &lt;script&gt;alert(" in page
    assert 'value="diet"' in page
    assert f'<option selected value="{community.slug}"' in page


def test_the_preview_adds_nothing_to_the_session(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    client.get("/threads/new")
    before = session_of(client)
    preview_question(client, community)
    assert session_of(client) == before


def test_the_preview_runs_no_posting_checks_but_the_size(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    # A too-short title is a post's problem, not a preview's.
    page = text_of(preview_question(client, community, title="Hm"))
    assert "<strong>bold</strong>" in page
    too_long = text_of(preview_question(client, community, body="a" * (BODY_MAX + 1)))
    assert f"Keep it under {BODY_MAX:,} characters" in too_long
    assert 'class="preview"' not in too_long
    empty = preview_question(client, community, body="  ")
    assert empty.status_code == 200 and "Write something first." in text_of(empty)
    assert counts() == (0, 0)


def test_the_compose_page_offers_the_preview_and_loads_the_composer_script(
    client: CsrfClient,
) -> None:
    make_community()
    login(client, make_user())
    page = text_of(client.get("/threads/new"))
    assert 'name="preview"' in page
    assert "/static/js/composer.js" in page
    assert "<script>" not in page


def test_the_reply_preview_renders_and_saves_nothing(client: CsrfClient) -> None:
    thread = make_thread()
    login(client, make_user())
    before = counts()
    response = client.post(
        f"/threads/{thread.id}/replies", data={"body": HOSTILE_BODY, "preview": "1"}
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "It is <strong>bold</strong>" in page
    assert "<script>alert" not in page
    assert "It is **bold** &lt;script&gt;alert(" in page
    assert counts() == before


def test_a_visitor_cannot_preview_a_reply(client: CsrfClient) -> None:
    thread = make_thread()
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Hi", "preview": "1"})
    assert response.status_code == 302 and "/account/login" in response.location


def test_posting_without_the_preview_button_still_posts(client: CsrfClient) -> None:
    thread = make_thread()
    login(client, make_user())
    _, posts = counts()
    response = client.post(f"/threads/{thread.id}/replies", data={"body": "Walking helped me."})
    assert response.status_code == 302
    assert counts()[1] == posts + 1


@pytest.mark.config(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="2 per minute")
def test_previews_do_not_use_up_the_posting_limit(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    for _ in range(4):
        assert preview_question(client, community).status_code == 200
    posted = client.post(
        "/threads/new",
        data={"community": community.slug, "kind": "question", "title": "Does pacing help?",
              "body": "After my diagnosis I get tired by noon.", "tags": ""},
    )  # fmt: skip
    assert posted.status_code == 302


@pytest.mark.config(RATELIMIT_ENABLED=True, PREVIEW_RATE_LIMIT="2 per minute")
def test_previews_have_a_limit_of_their_own(client: CsrfClient) -> None:
    community = make_community()
    login(client, make_user())
    statuses = [preview_question(client, community).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
