"""User Markdown to safe HTML (the only module that imports bleach), and the checks of
user text shared by threads and articles."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import bleach
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from forum.errors import InvalidAction

if TYPE_CHECKING:
    # The stubs describe bleach's vendored html5lib as plain `html5lib`, which is
    # not installed; at run time the same class comes through bleach's shim.
    from html5lib.filters.base import Filter
else:
    from bleach.html5lib_shim import Filter

UrlFor = Callable[[str], str]
# Finds terms to link in a run of plain text: (start, end, href) in order. Called once per
# text run, in document order, so a finder may keep state (e.g. link each term once).
TermFinder = Callable[[str], Iterable[tuple[int, int, str]]]
MENTION_PATTERN = re.compile(r"(?<![\w@.+-])@([A-Za-z0-9_-]{3,30})(?![\w@-])")

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody",
        "tr", "th", "td", "sup", "sub",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
LINK_CLASSES = frozenset({"mention", "tag", "drug"})

_ALIGNMENTS = frozenset({"left", "right", "center"})
_DEMOTED_HEADINGS = {"h1": "h3", "h2": "h3"}
# A mention may not follow characters that end an e-mail address's local part,
# and a tag must stand on its own, so "me@example.com" and "a#b" stay text.
_REFERENCE_RE = re.compile(
    r"(?<![\w@.+-])@(?P<mention>[A-Za-z0-9_-]{3,30})(?![\w@-])"
    r"|(?<!\S)#(?P<tag>[a-z][a-z0-9-]{1,34})(?![\w-])"
)
_BLOCK_TAGS = frozenset(
    {
        "p", "br", "hr", "pre", "blockquote", "ul", "ol", "li", "h1", "h2", "h3",
        "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "div",
    }
)  # fmt: skip
_ELLIPSIS = "\u2026"

_local = threading.local()


def render_markdown(
    source: str,
    *,
    mention_url: UrlFor | None = None,
    tag_url: UrlFor | None = None,
    link_terms: TermFinder | None = None,
) -> str:
    """Render user Markdown to sanitized HTML.

    link_terms, if given, turns terms in plain text (never in links or code) into links.
    """
    env: EnvType = {"mention_url": mention_url, "tag_url": tag_url, "link_terms": link_terms}
    return _cleaner().clean(_parser().render(source, env))


def plain_text(source_or_html: str) -> str:
    """Return the text of some HTML with tags dropped and whitespace collapsed.

    The result is plain text, not HTML: let Jinja escape it.
    """
    extractor = _TextExtractor()
    extractor.feed(source_or_html)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def excerpt(html: str, length: int = 200) -> str:
    """Return at most `length` characters of the HTML's text, cut between words."""
    if length < 1:
        raise ValueError("length must be positive")
    text = plain_text(html)
    if len(text) <= length:
        return text
    cut = text[: length - 1]  # leave room for the ellipsis
    if not text[length - 1].isspace():
        head, space, _ = cut.rpartition(" ")
        if space:  # a single word longer than `length` is cut mid-word instead
            cut = head
    return cut.rstrip(" ,.;:-") + _ELLIPSIS


def check_title(title: str, shortest: int, longest: int) -> str:
    """A title with its spaces collapsed, refused unless it is shortest to longest long."""
    title = " ".join(title.split())
    if not shortest <= len(title) <= longest:
        raise InvalidAction(f"Write a title of {shortest} to {longest} characters.", field="title")
    return title


def check_length(text: str, field: str, longest: int, empty: str, too_long: str) -> str:
    """A text, refused when empty (message `empty`) or over `longest` characters (message
    `too_long`, formatted with {longest} and {length})."""
    if not text:
        raise InvalidAction(empty, field=field)
    if len(text) > longest:
        raise InvalidAction(too_long.format(longest=longest, length=len(text)), field=field)
    return text


@functools.cache
def _parser() -> MarkdownIt:
    """Build the shared parser: CommonMark without raw HTML, plus tables and ~~strike~~."""
    # maxNesting (the preset's 20) stops deep `>`, `[` or `*` nesting from recursing.
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("forum_blocks", _tidy_blocks)
    md.core.ruler.push("forum_inline", _link_references)
    md.core.ruler.push("forum_terms", _link_terms)
    md.add_render_rule("image", _render_image)
    return md


def _cleaner() -> bleach.Cleaner:
    """Return this thread's sanitizer: a bleach Cleaner is not thread-safe."""
    cleaner: bleach.Cleaner | None = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allowed_attributes(),
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_LinkRelFilter],
        )
        _local.cleaner = cleaner
    return cleaner


def _allowed_attributes() -> dict[str, list[str] | Callable[[str, str, str], bool]]:
    """Map each tag to the attributes it may keep; style is never among them."""
    return {
        "a": _is_allowed_link_attribute,
        "th": ["align"],
        "td": ["align"],
        "ol": ["start"],
    }


def _is_allowed_link_attribute(tag: str, name: str, value: str) -> bool:
    """Allow a link's href, title and rel, and only our own classes."""
    if name == "class":
        return value in LINK_CLASSES
    return name in {"href", "title", "rel"}


class _LinkRelFilter(Filter):
    """Give every sanitized link the same rel and never a target."""

    def __iter__(self) -> Iterator[Any]:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] == "a":
                attrs = {
                    key: value
                    for key, value in token["data"].items()
                    if key not in {(None, "rel"), (None, "target")}
                }
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


def _tidy_blocks(state: StateCore) -> None:
    """Demote h1/h2 below the page's own headings and turn table styles into align."""
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _DEMOTED_HEADINGS.get(token.tag, token.tag)
        elif token.type in {"th_open", "td_open"} and "style" in token.attrs:
            # markdown-it writes style="text-align:x"; styles never pass the cleaner.
            alignment = str(token.attrs.pop("style")).removeprefix("text-align:")
            if alignment in _ALIGNMENTS:
                token.attrSet("align", alignment)


def _link_references(state: StateCore) -> None:
    """Mark images inside links and turn @mentions and #tags in plain text into links."""
    urls: dict[str, UrlFor | None] = {
        "mention": state.env.get("mention_url"),
        "tag": state.env.get("tag_url"),
    }
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = list(_with_references(block.children, urls))


def _in_links(tokens: list[Token]) -> Iterator[tuple[Token, bool]]:
    """Each inline token, and whether it stands inside a link."""
    link_depth = 0
    for token in tokens:
        if token.type == "link_open":
            link_depth += 1
        elif token.type == "link_close":
            link_depth -= 1
        yield token, link_depth > 0


def _link_tokens(text: str, href: str, kind: str, level: int) -> Iterator[Token]:
    """A link of class and markup `kind` around a text."""
    attrs: dict[str, str | int | float] = {"href": href, "class": kind}
    yield Token("link_open", "a", 1, attrs=attrs, level=level, markup=kind)
    yield _text_token(text, level + 1)
    yield Token("link_close", "a", -1, level=level, markup=kind)


def _with_references(tokens: list[Token], urls: dict[str, UrlFor | None]) -> Iterator[Token]:
    """Yield the inline tokens, splitting text outside links around references."""
    for token, in_link in _in_links(tokens):
        if token.type == "image":
            token.meta["in_link"] = in_link
        if token.type == "text" and not in_link and any(urls.values()):
            yield from _split_references(token, urls)
        else:
            yield token


def _split_references(token: Token, urls: dict[str, UrlFor | None]) -> Iterator[Token]:
    """Yield one text token as text and link tokens for each known reference."""
    text = token.content
    start = 0
    for match in _REFERENCE_RE.finditer(text):
        kind = "mention" if match["mention"] else "tag"
        url_for = urls[kind]
        # A URL builder returns "" for a reference it does not know (an unknown member).
        href = url_for(match[kind]) if url_for is not None else ""
        if not href:
            continue
        if match.start() > start:
            yield _text_token(text[start : match.start()], token.level)
        yield from _link_tokens(match[0], href, kind, token.level)
        start = match.end()
    if start == 0:
        yield token
    elif start < len(text):
        yield _text_token(text[start:], token.level)


def _link_terms(state: StateCore) -> None:
    """Turn the terms a TermFinder finds in plain text outside links into links."""
    finder: TermFinder | None = state.env.get("link_terms")
    if finder is None:
        return
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = list(_with_terms(block.children, finder))


def _with_terms(tokens: list[Token], finder: TermFinder) -> Iterator[Token]:
    for token, in_link in _in_links(tokens):
        if token.type != "text" or in_link:
            yield token
            continue
        text, start = token.content, 0
        for begin, end, href in finder(text):
            if begin < start or end <= begin:
                continue
            if begin > start:
                yield _text_token(text[start:begin], token.level)
            yield from _link_tokens(text[begin:end], href, "drug", token.level)
            start = end
        if start == 0:
            yield token
        elif start < len(text):
            yield _text_token(text[start:], token.level)


def _text_token(content: str, level: int) -> Token:
    """Make an inline text token."""
    return Token("text", "", 0, content=content, level=level)


def _render_image(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """Render an image as a link to it, so no page loads a tracking pixel."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = escapeHtml(self.renderInlineAsText(token.children, options, env))
    if token.meta.get("in_link") or not _is_web_url(src):
        return alt
    return f'<a href="{escapeHtml(src)}">{alt or escapeHtml(src)}</a>'


def _is_web_url(url: str) -> bool:
    """Tell whether a URL is absolute http(s), the only kind an image links to."""
    try:
        return urlsplit(url).scheme.lower() in {"http", "https"}
    except ValueError:  # e.g. an unclosed IPv6 host, "http://["
        return False


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, with a space at block boundaries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)
