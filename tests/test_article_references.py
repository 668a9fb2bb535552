"""Article references and bad input: numbered citations, link schemes, refusals and escaping."""

from __future__ import annotations

import pytest
from flask import Flask

from forum.articles import services
from forum.articles.services import CitationInput
from forum.errors import InvalidAction
from forum.extensions import db
from forum.models import ArticleStatus, EvidenceLevel
from tests.article_support import (
    SUMMARY,
    TITLE,
    content,
    counts,
    form_data,
    make_article,
    make_expert,
    snapshot,
)
from tests.factories import make_topic
from tests.web_support import logged_in

# References and bad input


def test_numbered_references_link_to_a_list_with_levels_of_evidence(app: Flask) -> None:
    article = make_article(make_expert(), status=ArticleStatus.PUBLISHED)
    assert '<a href="#ref-1" title="Reference 1" rel="nofollow ugc noopener">[1]</a>' in (
        article.body_html
    )
    page = logged_in(app, None).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert '<li id="ref-1">' in page and '<li id="ref-2">' in page
    assert "Level of evidence: Observational study" in page
    assert "Level of evidence: Guideline or systematic review" in page
    assert 'href="https://example.org/a" rel="nofollow noopener"' in page
    assert [c.position for c in article.citations] == [1, 2]
    assert article.citations[1].url is None
    assert article.citations[0].evidence_level == EvidenceLevel.OBSERVATIONAL


def test_brackets_in_code_and_links_are_not_references(app: Flask) -> None:
    body = "Cited [1]. Code `x[1]` and [a link](https://example.org) and [text][1] stay.\n\n[1]: https://example.org"
    article = make_article(make_expert(), body=body)
    assert article.body_html.count('href="#ref-1"') == 1
    assert "<code>x[1]</code>" in article.body_html
    adapted = make_article(make_expert(), body="*Adapted from [2]: a public page.*")
    assert 'href="#ref-2"' in adapted.body_html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<b>hi</b>",
        "ftp://example.org/paper.pdf",
        "example.org/paper",
        "https://",
        "http://exa mple.org",
        "//example.org/paper",
    ],
)
def test_a_citation_link_must_be_http_or_https(app: Flask, url: str) -> None:
    author, topic = make_expert(), make_topic()
    with pytest.raises(InvalidAction, match="http:// or https://"):
        services.create_article(
            author, content(topic, citations=[CitationInput("A source", url, "guideline")])
        )
    db.session.rollback()
    response = logged_in(app, author).post(
        "/articles/new", data=form_data(topic, **{"citations-0-url": url})
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "http:// or https://" in html
    assert TITLE in html and "Most people who ask" in html
    assert counts()[0] == 0


@pytest.mark.parametrize("url", ["http://example.org", "https://example.org/a?b=c&d=1#part"])
def test_http_and_https_citation_links_are_accepted(app: Flask, url: str) -> None:
    citations = [CitationInput("A source", url, "randomized-trial")]
    article = make_article(make_expert(), citations=citations, body="Shown [1].")
    assert article.citations[0].url == url


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Too short", "between 10 and 150"),
        ("title", "x" * 151, "between 10 and 150"),
        ("summary", "s" * 501, "longer than 500"),
        ("body", "b" * 50_001, "under 50,000"),
        ("body", "As shown in [3], it helps.", "cites [3], but there are only 2 references"),
        ("citations-1-evidence_level", "", "Choose the level of evidence."),
        ("citations-1-text", "", "Describe the source, not just its link."),
    ],
)
def test_bad_input_is_refused_with_422_and_the_text_is_kept(
    app: Flask, field: str, value: str, message: str
) -> None:
    author, topic = make_expert(), make_topic()
    data = form_data(topic, **{field: value, "citations-1-url": "https://example.org/b"})
    response = logged_in(app, author).post("/articles/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert SUMMARY in html or field == "summary"
    assert "Smith J. Second opinions" in html
    assert counts() == (0, 0, 0)


def test_editing_with_bad_input_changes_nothing(app: Flask) -> None:
    author = make_expert()
    article = make_article(author)
    client = logged_in(app, author)
    before, state = counts(), snapshot(article)
    bad = form_data(article.topic, body="Unchanged text [1] [9]", title="A changed title here")
    response = client.post(f"/articles/{article.slug}/edit", data=bad)
    assert response.status_code == 422
    assert "A changed title here" in response.get_data(as_text=True)
    assert counts() == before and snapshot(article) == state
    assert client.get(f"/articles/{article.slug}/edit").status_code == 200


def test_markup_in_articles_and_citations_is_escaped(app: Flask) -> None:
    body = (
        '<script>alert("body")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)> cited [1]"
    )
    citations = [
        CitationInput(
            "<img src=x onerror=alert(2)> Evil et al.",
            'https://example.org/"onmouseover="alert(3)',
            "expert-opinion",
        )
    ]
    article = make_article(
        make_expert(),
        status=ArticleStatus.PUBLISHED,
        title="<b>Bold</b> claims about screening",
        summary="<script>alert('summary')</script>",
        body=body,
        citations=citations,
    )
    page = logged_in(app, None).get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;body&#34;)" in page or "&lt;script&gt;alert(&quot;body" in page
    assert 'href="javascript:' not in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(2)&gt; Evil et al." in page
    assert '"onmouseover="' not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in page
    for url in ("/articles", f"/topics/{article.topic.slug}"):
        listing = logged_in(app, None).get(url).get_data(as_text=True)
        assert "<b>Bold</b>" not in listing and "<script>alert('summary')" not in listing
