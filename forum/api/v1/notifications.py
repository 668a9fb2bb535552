"""The member's notifications and notification settings."""

from __future__ import annotations

from flask import Response, jsonify

from forum.api import bp, inputs, serialize
from forum.api import schemas as s
from forum.api.auth import require_member
from forum.api.spec import PAGING, Param, listing, operation
from forum.api.v1 import responses
from forum.mail import base_url
from forum.models import Notification
from forum.notifications import queries, services

UNREAD = Param("unread", {"type": "boolean", "default": False}, "Only unread notifications.")
MAX_IDS = 100


def _item(notification: Notification, slugs: dict[int, str]) -> dict[str, object]:
    path = queries.target_path(notification, slugs.get(notification.community_id or 0))
    return {
        "id": notification.id,
        "type": notification.kind,
        "read": notification.is_read,
        "created_at": serialize.iso(notification.created_at),
        "url": f"{base_url()}{path}",
        "thread_id": notification.thread_id,
        "post_id": notification.post_id,
        "actor": notification.actor_id and queries.actor_ref(notification.actor_id),
    }


@bp.get("/v1/notifications")
@listing(
    "Your notifications, newest first",
    "notifications",
    "Notification",
    (*PAGING, UNREAD),
    description="`actor` is null for anonymous authors and moderators.",
)
def notifications_index() -> Response:
    user = require_member()
    page, per_page = inputs.page_args()
    unread = inputs.bool_arg("unread")
    found = queries.listing(user, page, per_page, unread_only=unread)
    items: list[Notification] = list(found.items)
    slugs = queries.community_slugs(items)
    return responses.page(found, lambda notification: _item(notification, slugs))


@bp.post("/v1/notifications/read")
@operation(
    summary="Mark notifications read: some by id, or all",
    tag="notifications",
    body=s.READ_NOTIFICATIONS,
    response=s.ref("ReadCount"),
)
def notifications_read() -> Response:
    user = require_member()
    body = inputs.JsonBody()
    everything = body.flag("all")
    ids = body.data.get("ids")
    valid = isinstance(ids, list) and len(ids) <= MAX_IDS
    if valid and isinstance(ids, list):
        valid = all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i <= inputs.MAX_ID for i in ids
        )
    if not everything and not valid:
        body.errors["ids"] = f'Send "ids": a list of at most {MAX_IDS} ids, or "all": true.'
    body.done()
    count = services.mark_read(user, None if everything else list(ids or []))
    return jsonify({"read": count})


def _settings_body() -> Response:
    channels, full_text = queries.settings_of(require_member())
    return jsonify({"channels": channels, "full_text": full_text})


@bp.get("/v1/me/notification-settings")
@operation(
    summary="Your notification settings",
    tag="notifications",
    response=s.ref("NotificationSettings"),
)
def notification_settings_show() -> Response:
    return _settings_body()


@bp.put("/v1/me/notification-settings")
@operation(
    summary="Change your notification settings (kinds left out stay as they are)",
    tag="notifications",
    body=s.NOTIFICATION_SETTINGS,
    response=s.ref("NotificationSettings"),
)
def notification_settings_update() -> Response:
    user = require_member()
    body = inputs.JsonBody()
    channels = body.data.get("channels", {})
    full_text = body.data.get("full_text")
    if not isinstance(channels, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in channels.items()
    ):
        body.errors["channels"] = "Use an object of kind: channel."
        channels = {}
    if full_text is not None and not isinstance(full_text, bool):
        body.errors["full_text"] = "Use true or false."
    unknown = set(body.data) - {"channels", "full_text"}
    for name in unknown:
        body.errors[str(name)[:50]] = "Unknown field."
    body.done()
    services.save_settings(user, channels, full_text)
    return _settings_body()
