import re
from html.parser import HTMLParser

import pytest

from forum.text import (
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    excerpt,
    plain_text,
    render_markdown,
)

Tag = tuple[str, dict[str, str]]

# Browsers skip leading control characters and spaces before reading a scheme.
_SCHEME_RE = re.compile(r"[\x00-\x20]*([a-zA-Z][a-zA-Z0-9+.-]*):")


class _TagCollector(HTMLParser):
    """Record every tag with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def parse_tags(html: str) -> list[Tag]:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def links(html: str) -> list[dict[str, str]]:
    return [attrs for tag, attrs in parse_tags(html) if tag == "a"]


def user_url(name: str) -> str:
    return f"/users/{name}"


def tag_url(tag: str) -> str:
    return f"/tags/{tag}"


def render_with_references(source: str) -> str:
    return render_markdown(source, mention_url=user_url, tag_url=tag_url)


def assert_is_safe(html: str) -> None:
    lowered = html.lower()
    for opening in ("<script", "<img", "<svg", "<math", "<iframe", "<style", "<object"):
        assert opening not in lowered
    for tag, attrs in parse_tags(html):
        assert tag in ALLOWED_TAGS
        for name, value in attrs.items():
            assert not name.startswith("on")
            assert name != "style"
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert "javascript:" not in squeezed
            assert "vbscript:" not in squeezed
            assert "data:" not in squeezed
        # As a browser reads it: "java%20script:x" has no scheme, so it is a relative path.
        scheme = _SCHEME_RE.match(attrs.get("href", ""))
        if scheme:
            assert scheme[1].lower() in ALLOWED_PROTOCOLS


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="http://a" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">click</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    "<!-- x --><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java&#09;script:alert(1))",
    "[x](<java script:alert(1)>)",
    "[x](<javascript\n:alert(1)>)",
    "[x](%6Aavascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x]: javascript:alert(1)\n\n[x]",
    "[x]: <data:text/html,hi>\n\n[x]",
    "[[x](javascript:1)](http://a.example)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    '![x" onerror="alert(1)](http://x.example/y.png)',
    '[x](http://a.example "t\\" onmouseover=\\"alert(1)")',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<style>body { display: none }</style>",
    "@alice <script>alert(1)</script> #tag",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_render_harmlessly(payload: str) -> None:
    assert_is_safe(render_with_references(payload))


@pytest.mark.parametrize(
    ("source", "html"),
    [
        (
            "*em* **strong** `x < y`",
            "<p><em>em</em> <strong>strong</strong> <code>x &lt; y</code></p>",
        ),
        ("~~gone~~", "<p><s>gone</s></p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("3. three", '<ol start="3">\n<li>three</li>\n</ol>'),
        ("```python\nif a < b:\n```", "<pre><code>if a &lt; b:\n</code></pre>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("---", "<hr>"),
        ("line  \nbreak", "<p>line<br>\nbreak</p>"),
        ("# One\n\nTwo\n---\n\n#### Four", "<h3>One</h3>\n<h3>Two</h3>\n<h4>Four</h4>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ],
)
def test_basic_markdown_renders(source: str, html: str) -> None:
    assert render_markdown(source) == html + "\n"


def test_tables_render_with_align_and_no_style() -> None:
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th align="left">a</th>' in html
    assert '<td align="center">2</td>' in html
    assert '<td align="right">3</td>' in html
    assert "style" not in html


def test_event_handler_attributes_stay_text() -> None:
    html = render_markdown('<a href="http://a" onclick="alert(1)">x</a>')
    assert links(html) == []
    assert "&lt;a href=" in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_javascript_links_are_removed(source: str) -> None:
    html = render_markdown(source)
    assert links(html) == []
    assert html.startswith("<p>[x](")


def test_data_image_links_lose_their_href() -> None:
    assert links(render_markdown("[x](data:image/png;base64,iVBORw0KGgo=)")) == [{"rel": LINK_REL}]


def test_autolink_with_javascript_scheme_stays_text() -> None:
    assert render_markdown("<javascript:alert(1)>") == "<p>&lt;javascript:alert(1)&gt;</p>\n"


def test_nested_link_keeps_only_the_safe_outer_link() -> None:
    html = render_markdown("[[x](javascript:1)](http://a.example)")
    assert links(html) == [{"href": "http://a.example", "rel": LINK_REL}]


def test_angle_bracket_autolinks_are_linked() -> None:
    html = render_markdown("<https://example.org/a?b=1&c=2>")
    assert links(html) == [{"href": "https://example.org/a?b=1&c=2", "rel": LINK_REL}]


def test_bare_urls_are_not_linkified() -> None:
    assert links(render_markdown("see https://example.org")) == []


def test_relative_and_mailto_links_are_kept() -> None:
    html = render_markdown("[thread](/threads/1) [mail](mailto:help@example.org)")
    assert [attrs["href"] for attrs in links(html)] == ["/threads/1", "mailto:help@example.org"]


def test_every_link_gets_rel_and_no_target() -> None:
    html = render_with_references(
        '[a](http://a.example "t") <https://b.example> ![c](http://c.example/c.png) @alice #tag'
    )
    found = links(html)
    assert len(found) == 5
    for attrs in found:
        assert attrs["rel"] == LINK_REL
        assert "target" not in attrs


def test_link_titles_are_kept_and_escaped() -> None:
    html = render_markdown('[x](http://a.example "say \\"hi\\" onclick=x")')
    assert links(html) == [
        {"href": "http://a.example", "title": 'say "hi" onclick=x', "rel": LINK_REL}
    ]


def test_images_become_links_to_the_image() -> None:
    html = render_markdown("![a *scan*](http://x.example/y.png)")
    assert "<img" not in html
    assert (
        html == '<p><a href="http://x.example/y.png" rel="nofollow ugc noopener">a scan</a></p>\n'
    )


def test_images_without_alt_text_show_their_url() -> None:
    html = render_markdown("![](https://x.example/y.png)")
    assert ">https://x.example/y.png</a>" in html


def test_images_with_unsafe_urls_become_their_alt_text() -> None:
    assert render_markdown("![scan](data:image/png;base64,iVBORw0KGgo=)") == "<p>scan</p>\n"
    assert render_markdown("![scan](/local.png)") == "<p>scan</p>\n"


def test_images_inside_links_become_their_alt_text() -> None:
    html = render_markdown("[![scan](http://x.example/y.png)](http://a.example)")
    assert html == '<p><a href="http://a.example" rel="nofollow ugc noopener">scan</a></p>\n'


def test_mentions_and_tags_are_linked() -> None:
    html = render_with_references("Ask @dr_smith-2 about #type-2-diabetes.")
    assert links(html) == [
        {"href": "/users/dr_smith-2", "class": "mention", "rel": LINK_REL},
        {"href": "/tags/type-2-diabetes", "class": "tag", "rel": LINK_REL},
    ]
    assert ">@dr_smith-2</a>" in html
    assert ">#type-2-diabetes</a>." in html


def test_mentions_and_tags_stay_text_without_url_builders() -> None:
    assert render_markdown("@alice #tag") == "<p>@alice #tag</p>\n"
    only_tags = render_markdown("@alice #tag", tag_url=tag_url)
    assert [attrs["class"] for attrs in links(only_tags)] == ["tag"]


def test_mentions_follow_punctuation_and_formatting() -> None:
    html = render_with_references("(@alice), **@bob** and\n@carol")
    assert [attrs["href"] for attrs in links(html)] == [
        "/users/alice",
        "/users/bob",
        "/users/carol",
    ]


@pytest.mark.parametrize(
    "source",
    [
        "`@alice #tag`",
        "```\n@alice #tag\n```",
        "    @alice #tag",
        "[@alice #tag](http://a.example)",
        "<https://a.example/@alice>",
        "mail me@example.com or first.last@example.org",
        "@ab is too short, #a too",
        "@" + "a" * 31,
        "#Capital and #9lives and #x",
        "a#tag and x@alice",
    ],
)
def test_mentions_and_tags_are_skipped_where_they_do_not_belong(source: str) -> None:
    html = render_with_references(source)
    assert all(attrs.get("class") is None for attrs in links(html))


def test_hash_tag_at_line_start_is_not_a_heading() -> None:
    html = render_with_references("#tag first\n\n# Heading")
    assert html.startswith('<p><a href="/tags/tag" class="tag"')
    assert "<h3>Heading</h3>" in html


def test_mention_urls_cannot_break_out_of_the_attribute() -> None:
    html = render_markdown("@alice", mention_url=lambda name: f'/u/{name}" onclick="x')
    assert links(html) == [{"href": '/u/alice" onclick="x', "class": "mention", "rel": LINK_REL}]


def test_mention_urls_with_unsafe_schemes_lose_their_href() -> None:
    html = render_markdown("@alice", mention_url=lambda name: "javascript:alert(1)")
    assert links(html) == [{"class": "mention", "rel": LINK_REL}]


def test_ordinary_links_carry_no_class() -> None:
    assert links(render_markdown("[x](http://a.example)")) == [
        {"href": "http://a.example", "rel": LINK_REL}
    ]


@pytest.mark.parametrize(
    "source",
    [
        "[" * 10_000,
        ">" * 10_000,
        "> " * 10_000,
        "*" * 10_000,
        "_" * 10_000,
        "`" * 10_000,
        "<" * 10_000,
        "- " * 10_000,
        "*a **a " * 5_000,
        "[a](" * 10_000,
        "![" * 10_000,
        "".join("  " * depth + "- x\n" for depth in range(1_000)),
        "@alice #tag " * 5_000,
    ],
)
def test_pathological_nesting_still_renders(source: str) -> None:
    assert isinstance(render_with_references(source), str)


def test_empty_input_renders_empty() -> None:
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Salt &amp; <em>pepper</em> &lt;3</p>", "Salt & pepper <3"),
        (
            "<h3>Title</h3><p>one\n  two</p><ul><li>a</li><li>b</li></ul>x<br>y",
            "Title one two a b x y",
        ),
        ("<p>a</p><script>alert(1)</script><style>p{}</style>b", "a b"),
        ("  just **some**\ttext  ", "just **some** text"),
    ],
)
def test_plain_text_drops_tags_unescapes_and_collapses_whitespace(html: str, text: str) -> None:
    assert plain_text(html) == text


def test_plain_text_of_rendered_markdown_reads_naturally() -> None:
    html = render_with_references("# Hi\n\nSee @alice and [docs](http://a.example).")
    assert plain_text(html) == "Hi See @alice and docs."


@pytest.mark.parametrize(
    ("html", "length", "text"),
    [
        ("<p>Short and sweet.</p>", 200, "Short and sweet."),
        ("<p>one two three four five</p>", 12, "one two…"),
        ("<p>one two three</p>", 8, "one two…"),
        ("<p>first, second third</p>", 10, "first…"),
        ("<p>" + "a" * 50 + "</p>", 10, "a" * 9 + "…"),
    ],
)
def test_excerpt_cuts_on_a_word_boundary_with_an_ellipsis(
    html: str, length: int, text: str
) -> None:
    assert excerpt(html, length) == text
    assert len(text) <= length


def test_excerpt_defaults_to_200_characters() -> None:
    text = excerpt(render_markdown("word " * 100))
    assert len(text) <= 200
    assert text.endswith("word…")


def test_excerpt_refuses_a_length_below_one() -> None:
    with pytest.raises(ValueError):
        excerpt("<p>x</p>", length=0)
