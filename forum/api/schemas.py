"""JSON Schemas of the API's resources, request bodies and envelopes (OpenAPI 3.1)."""

from __future__ import annotations

from typing import Any

from forum.models import Channel, EvidenceLevel, NotificationKind, ReportReason

INTRODUCTION = (
    "Read the forum and act as a member from scripts and apps. Send a personal token as "
    "`Authorization: Bearer <token>`; without one you are an anonymous visitor. Every answer "
    "shows exactly what the pages show the same viewer. Errors are "
    '`{"error": {"code", "message", "fields"}}`; lists are '
    '`{"items", "page", "per_page", "total", "next"}`.'
)
TAGS = (
    ("topics", "Health centers."),
    ("communities", "Communities, private support groups and memberships."),
    ("threads", "Questions, discussions and their replies."),
    ("posts", "Replies: editing, votes, endorsements and reports."),
    ("search", "Search the questions and articles a viewer may see."),
    ("articles", "Published second-opinion articles."),
    ("people", "Experts and public profiles."),
    ("notifications", "Your notifications and how you hear about them."),
    ("pills", "The pill identifier: pills by imprint, color and shape, from U.S. drug labels."),
    ("meta", "This description."),
)


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def obj(**properties: dict[str, Any]) -> dict[str, Any]:
    """An object that always has exactly these properties."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def extend(base: dict[str, Any], **properties: dict[str, Any]) -> dict[str, Any]:
    """An object with all of `base`'s properties, then these (as serialize.py spreads a ref)."""
    return obj(**base["properties"], **properties)


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def list_of(item: str, **extra: dict[str, Any]) -> dict[str, Any]:
    """The list envelope around items of one schema."""
    return obj(
        items=array(ref(item)),
        page=INT,
        per_page=INT,
        total=INT,
        next=nullable(URL),
        **extra,
    )


STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
BOOL: dict[str, Any] = {"type": "boolean"}
TIME: dict[str, Any] = {"type": "string", "format": "date-time"}
URL: dict[str, Any] = {"type": "string", "format": "uri"}
EVIDENCE = {"type": "string", "enum": [level.value for level in EvidenceLevel]}
REASONS = {"type": "string", "enum": [reason.value for reason in ReportReason]}
ROLE = {"type": "string", "enum": ["member", "moderator"]}
USER_REF = obj(name=STR, url=URL)
TOPIC_REF = obj(slug=STR, name=STR, url=URL)
TOPIC = extend(TOPIC_REF, summary=STR)
COMMUNITY_REF = obj(slug=STR, name=STR, url=URL, is_private=BOOL)

COMPONENTS: dict[str, Any] = {
    "Error": obj(
        error=obj(
            code=STR,
            message=STR,
            fields={"type": "object", "additionalProperties": STR},
        )
    ),
    "TopicRef": TOPIC_REF,
    "Topic": TOPIC,
    "TopicDetail": extend(
        TOPIC,
        communities=array(ref("Community")),
        top_questions=array(ref("ThreadSummary")),
        articles=array(ref("ArticleSummary")),
    ),
    "CommunityRef": COMMUNITY_REF,
    "Membership": obj(
        community=STR,
        status={"type": "string", "enum": ["pending", "approved", "declined"]},
        role=ROLE,
    ),
    "Community": extend(
        COMMUNITY_REF,
        topic=ref("TopicRef"),
        description=STR,
        rules=STR,
        allow_anonymous=BOOL,
        member_count=nullable(INT),
        thread_count=nullable(INT),
        membership=nullable(ref("Membership")),
    ),
    "Member": extend(USER_REF, role=ROLE, since=TIME),
    "JoinRequest": extend(USER_REF, message=STR, requested_at=TIME),
    "Author": obj(
        id=nullable(INT),
        name=STR,
        url=nullable(URL),
        is_anonymous=BOOL,
    ),
    "ThreadSummary": obj(
        id=INT,
        title=STR,
        url=URL,
        community=ref("CommunityRef"),
        author=ref("Author"),
        kind={"type": "string", "enum": ["question", "discussion"]},
        status={"type": "string", "enum": ["open", "locked", "hidden", "pending"]},
        tags=array(STR),
        created_at=TIME,
        last_activity_at=TIME,
        reply_count=INT,
        accepted_post_id=nullable(INT),
        answered=BOOL,
        expert_endorsed=BOOL,
    ),
    "Endorsement": obj(
        expert=nullable(obj(name=STR, display_name=STR, url=URL)),
        credentials=nullable(STR),
        specialty=nullable(STR),
        evidence_level=EVIDENCE,
        note=STR,
        created_at=TIME,
        edited_after=BOOL,
    ),
    "Post": obj(
        id=INT,
        thread_id=INT,
        author=ref("Author"),
        body_html=STR,
        created_at=TIME,
        edited_at=nullable(TIME),
        helpful_count=INT,
        is_expert_answer=BOOL,
        is_accepted=BOOL,
        is_deleted=BOOL,
        is_hidden=BOOL,
        is_pending=BOOL,
        endorsements=array(ref("Endorsement")),
    ),
    "PageInfo": obj(page=INT, per_page=INT, total=INT, next=nullable(URL)),
}
COMPONENTS["Thread"] = extend(
    COMPONENTS["ThreadSummary"],
    body_html=STR,
    opening_post_id=nullable(INT),
    merged_into_id=nullable(INT),
    source=nullable(obj(id=STR, url=nullable(URL))),
    posts=array(ref("Post")),
    posts_page=ref("PageInfo"),
)
COMPONENTS.update(
    {
        "Vote": obj(post_id=INT, helpful_count=INT, voted=BOOL),
        "Accepted": obj(thread_id=INT, accepted_post_id=nullable(INT)),
        "Report": obj(id=INT, post_id=INT, reason=REASONS, status=STR, created_at=TIME),
        "SearchHit": obj(
            type={"type": "string", "enum": ["thread", "article"]},
            id=INT,
            title=STR,
            url=URL,
            snippet_html=STR,
            community=nullable(ref("CommunityRef")),
            topic=ref("TopicRef"),
            answered=BOOL,
            endorsed=BOOL,
            reviewed_at=nullable(TIME),
            created_at=TIME,
            source_id=nullable(STR),
        ),
        "Citation": obj(position=INT, text=STR, url=nullable(URL), evidence_level=EVIDENCE),
        "ArticleSummary": obj(
            slug=STR,
            title=STR,
            url=URL,
            summary=STR,
            topic=ref("TopicRef"),
            author=nullable(extend(USER_REF, credentials=nullable(STR))),
            reviewer=nullable(STR),
            reviewed_at=nullable(TIME),
            next_review_due=nullable(TIME),
            published_at=nullable(TIME),
            updated_at=TIME,
            source=nullable(obj(name=STR, url=nullable(URL), retrieved_at=nullable(TIME))),
        ),
        "Expert": obj(
            name=STR,
            display_name=STR,
            url=URL,
            kind={"type": "string", "enum": ["person", "organization"]},
            credentials=STR,
            profession=STR,
            specialty=STR,
            website=nullable(URL),
            all_topics=BOOL,
            topics=array(ref("TopicRef")),
            verified_at=nullable(TIME),
        ),
        "UserProfile": extend(
            USER_REF,
            member_since=TIME,
            post_count=INT,
            badges=array(STR),
            about=nullable(STR),
            conditions=nullable(STR),
            location=nullable(STR),
            expert=nullable(ref("Expert")),
            threads=array(ref("ThreadSummary")),
        ),
    }
)
DRUG_REF = nullable(obj(name=STR, url=URL))
COMPONENTS["Pill"] = obj(
    id=INT,
    url=URL,
    name=STR,
    strength=STR,
    imprint=STR,
    colors=array(STR),
    shape=nullable(STR),
    size_mm=nullable({"type": "number"}),
    score=nullable(INT),
    description=STR,
    manufacturer=STR,
    ndc=nullable(STR),
    ingredients=array(obj(name=STR, strength=STR, drug=DRUG_REF)),
    drug=DRUG_REF,
    label=obj(set_id=STR, version=INT, date=nullable({"type": "string", "format": "date"})),
)
COMPONENTS["Article"] = extend(
    COMPONENTS["ArticleSummary"],
    body_html=STR,
    review_overdue=BOOL,
    citations=array(ref("Citation")),
)

# Request bodies: what a client sends.
TEXT_BODY = {"type": "string", "minLength": 1, "maxLength": 20_000}
NEW_THREAD = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 10, "maxLength": 150},
        "body": TEXT_BODY,
        "tags": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[a-z][a-z0-9-]{1,34}$"},
            "maxItems": 5,
        },
        "anonymous": BOOL,
        "kind": {"type": "string", "enum": ["question", "discussion"]},
        "confirm_personal_info": {
            **BOOL,
            "description": "Post even though the text seems to hold personal information.",
        },
    },
    "required": ["title", "body"],
}
NEW_POST = {
    "type": "object",
    "properties": {"body": TEXT_BODY, "anonymous": BOOL, "confirm_personal_info": BOOL},
    "required": ["body"],
}
EDIT_POST = {
    "type": "object",
    "properties": {
        "body": TEXT_BODY,
        "title": {
            "type": "string",
            "minLength": 10,
            "maxLength": 150,
            "description": "Only for the opening post: the thread's new title.",
        },
        "confirm_personal_info": {
            **BOOL,
            "description": "Save even though the text seems to hold personal information.",
        },
    },
    "required": ["body"],
}
MESSAGE_BODY = {
    "type": "object",
    "properties": {"message": {"type": "string", "maxLength": 500}},
}
ACCEPT = {
    "type": "object",
    "properties": {
        "post_id": {
            "type": ["integer", "null"],
            "minimum": 1,
            "description": "The reply that helped; null takes the mark back.",
        }
    },
    "required": ["post_id"],
}
ENDORSE = {
    "type": "object",
    "properties": {"note": {"type": "string", "maxLength": 280}, "evidence_level": EVIDENCE},
    "required": ["evidence_level"],
}
REPORT = {
    "type": "object",
    "properties": {"reason": REASONS, "note": {"type": "string", "maxLength": 1000}},
    "required": ["reason"],
}


# Notifications (issue 17)
NOTIFICATION_KINDS = [kind.value for kind in NotificationKind]
CHANNELS = {"type": "string", "enum": [channel.value for channel in Channel]}
COMPONENTS.update(
    {
        "Notification": obj(
            id=INT,
            type={"type": "string", "enum": NOTIFICATION_KINDS},
            read=BOOL,
            created_at=TIME,
            url=URL,
            thread_id=nullable(INT),
            post_id=nullable(INT),
            actor=nullable(obj(id=INT, name=STR)),
        ),
        "ReadCount": obj(read=INT),
        "NotificationSettings": obj(
            channels=obj(**{kind: CHANNELS for kind in NOTIFICATION_KINDS}),
            full_text=BOOL,
        ),
    }
)
READ_NOTIFICATIONS = {
    "type": "object",
    "properties": {
        "ids": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
            "maxItems": 100,
        },
        "all": {"type": "boolean"},
    },
    "additionalProperties": False,
}
NOTIFICATION_SETTINGS = {
    "type": "object",
    "properties": {
        "channels": {
            "type": "object",
            "properties": {kind: CHANNELS for kind in NOTIFICATION_KINDS},
            "additionalProperties": False,
        },
        "full_text": {"type": "boolean"},
    },
    "additionalProperties": False,
}
