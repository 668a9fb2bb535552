"""Shared helpers of the API tests: a small forum, tokens, and a client that checks the contract.

Every response an `Api` receives is validated against the OpenAPI document: its status must be
documented for the route and its body must match the documented schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from jsonschema import Draft202012Validator
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.test import TestResponse

from forum.api import tokens
from forum.api.spec import RULE_ARGUMENT, build_document
from forum.articles import services as articles
from forum.experts import services as experts
from forum.extensions import db
from forum.models import Article, Community, ExpertProfile, HealthTopic, Post, Role, Thread, User
from tests.conftest import CsrfClient
from tests.factories import (
    make_community,
    make_membership,
    make_reply,
    make_thread,
    make_topic,
    make_user,
)

# A word that only exists inside the private group: it must never reach an outsider.
SECRET = "zanzibarquill"


def make_expert(topic: HealthTopic, **overrides: Any) -> User:
    user = make_user(**overrides)
    profile = ExpertProfile(user_id=user.id, credentials="MD", specialty="Endocrinology")
    db.session.add(profile)
    db.session.flush()
    experts.verify_expert(None, profile, topic_ids=[topic.id])
    return user


def make_article(
    author: User, topic: HealthTopic, publish: bool = False, title: str = ""
) -> Article:
    """An article by an expert, published by a new editor when asked."""
    content = articles.ArticleContent(
        topic=topic,
        title=title or "Morning highs: what the evidence says",
        summary="Why blood sugar rises before breakfast, and what helps.",
        body="Hormones released at dawn raise blood sugar [1]. Talk to your team [2].",
        citations=(
            articles.CitationInput("ADA Standards of Care, 2024.", "https://example.org/ada"),
            articles.CitationInput("National guideline on diabetes, 2022.", "", "guideline"),
        ),
    )
    article = articles.create_article(author, content)
    if publish:
        articles.submit_article(author, article)
        articles.publish_article(make_user(role=Role.EDITOR), article)
    return article


def token_for(user: User, scope: str = "write") -> str:
    return tokens.create_token(user, f"{scope} token", scope)[1]


@dataclass
class World:
    topic: HealthTopic
    public: Community
    private: Community
    member: User
    outsider: User
    moderator: User
    expert: User
    asker: User
    public_thread: Thread
    reply: Post
    expert_reply: Post
    private_thread: Thread
    private_reply: Post
    tokens: dict[str, str] = field(default_factory=dict)


def build_world() -> World:
    """Two communities of one topic: a public one (anonymous posts allowed) and a private group."""
    topic = make_topic(slug="diabetes", name="Diabetes")
    public = make_community(topic, slug="type-2", name="Type 2 support", allow_anonymous=True)
    private = make_community(topic, slug="insulin-circle", name="Insulin circle", is_private=True)
    member, outsider, asker = make_user(name="maria"), make_user(name="otto"), make_user(name="ada")
    moderator = make_user(name="mona", role=Role.MEMBER)
    expert = make_expert(topic, name="drlee")
    make_membership(public, member)
    make_membership(private, member)
    make_membership(private, moderator, moderator=True)
    make_membership(public, moderator, moderator=True)
    public_thread = make_thread(
        public, asker, title="What helps with morning highs?", tags=("morning", "glucose")
    )
    reply = make_reply(public_thread, member, body="A walk after dinner helped me.")
    expert_reply = make_reply(public_thread, expert, body="Check your basal dose with your team.")
    experts.endorse_post(expert, reply, "Consistent with guidelines.", "guideline")
    private_thread = make_thread(
        private,
        member,
        title=f"Private worry about {SECRET} dosing",
        body=f"Only for the group: {SECRET} makes me dizzy.",
        tags=(SECRET,),
    )
    private_reply = make_reply(private_thread, moderator, body=f"Same here with {SECRET}.")
    world = World(
        topic=topic,
        public=public,
        private=private,
        member=member,
        outsider=outsider,
        moderator=moderator,
        expert=expert,
        asker=asker,
        public_thread=public_thread,
        reply=reply,
        expert_reply=expert_reply,
        private_thread=private_thread,
        private_reply=private_reply,
    )
    for name in ("member", "outsider", "moderator", "expert", "asker"):
        world.tokens[name] = token_for(getattr(world, name))
    world.tokens["visitor"] = ""
    return world


class Api:
    """Calls the API as someone (a token, or nobody) and checks each answer against the spec."""

    def __init__(self, app: Flask, client: CsrfClient) -> None:
        self.app = app
        self.client = client
        self.document = build_document(app)

    def call(
        self,
        method: str,
        path: str,
        token: str = "",
        json: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> TestResponse:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if json is not None:
            kwargs["json"] = json
        response = self.client.open(path, method=method, headers=sent, **kwargs)
        self.check(method, path, response)
        return response

    def get(self, path: str, token: str = "", **kwargs: Any) -> TestResponse:
        return self.call("GET", path, token, **kwargs)

    def check(self, method: str, path: str, response: TestResponse) -> None:
        schema = self.documented_schema(method, path.split("?")[0], response.status_code)
        assert not response.headers.get("Content-Type", "").startswith("text/html")
        if schema is None:
            assert response.status_code == 204 or not response.data
            return
        body = response.get_json()
        root = {**schema, "components": self.document["components"]}
        validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = [error.message for error in validator.iter_errors(body)]
        assert not errors, f"{method} {path} {response.status_code}: {errors[:3]} in {body}"

    def documented_schema(self, method: str, path: str, status: int) -> dict[str, Any] | None:
        adapter = self.app.url_map.bind("forum.test")
        try:
            rule, _args = adapter.match(path, method=method, return_rule=True)
        except (NotFound, MethodNotAllowed):
            assert status in (404, 405), f"{method} {path} gave {status} without a route"
            return {"$ref": "#/components/schemas/Error"}
        template = RULE_ARGUMENT.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        operation = self.document["paths"][template][method.lower()]
        documented = operation["responses"]
        assert str(status) in documented, f"{method} {template} gave undocumented {status}"
        content = documented[str(status)].get("content")
        return content["application/json"]["schema"] if content else None


def error_code(response: TestResponse) -> str:
    code: str = response.get_json()["error"]["code"]
    return code
