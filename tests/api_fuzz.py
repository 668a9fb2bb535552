"""Schemathesis against the live app: no 5xx, and every response matches the OpenAPI document.

Run as `python -m tests.api_fuzz` (pytest does not collect it). It seeds a temporary SQLite
database, starts `flask run` on a free port, and runs a bounded number of examples per
operation. The path parameters are widened to also name the seeded rows, so requests reach
real threads, posts and communities and not only 404s. Exits non-zero on any failure.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "20"))
CHECKS = "not_a_server_error,response_schema_conformance"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def settings(folder: Path) -> dict[str, str]:
    """The server's FORUM_* environment: a development app on its own database and index."""
    return {
        "FORUM_ENV": "development",
        "FORUM_SECRET_KEY": "fuzzing-only-" + os.urandom(8).hex(),
        # API_FUZZ_DATABASE_URL: an empty database to fuzz on instead (e.g. PostgreSQL).
        "FORUM_DATABASE_URL": os.environ.get("API_FUZZ_DATABASE_URL")
        or f"sqlite:///{folder / 'forum.db'}",
        "FORUM_SEARCH_DIR": str(folder / "search-index"),
        "FORUM_SEARCH_DRAIN": "sync",
        "FORUM_API_RATE_LIMIT": "100000 per minute",
        "FORUM_POST_RATE_LIMIT": "100000 per minute",
        "FORUM_VOTE_RATE_LIMIT": "100000 per minute",
        "FORUM_REPORT_RATE_LIMIT": "100000 per minute",
        "FORUM_SEARCH_RATE_LIMIT": "100000 per minute",
        "FORUM_NEW_ACCOUNT_HOURS": "0",
        "FORUM_NEW_MEMBER_POSTS": "0",
    }


def seed(env: dict[str, str]) -> tuple[str, dict[str, list[Any]]]:
    """A few topics, communities, threads and replies; returns a write token and the keys."""
    os.environ.update(env)
    from forum import create_app
    from forum.experts import services as experts
    from forum.extensions import db
    from forum.models import ExpertProfile
    from tests.api_support import build_world, make_article, make_expert
    from tests.factories import make_community, make_reply, make_thread, make_topic

    app = create_app({"SERVER_NAME": None})
    with app.app_context():
        db.create_all()
        world = build_world()
        other = make_topic(slug="heart", name="Heart health")
        community = make_community(other, slug="after-surgery", name="After heart surgery")
        thread = make_thread(community, world.member, title="Walking again after a bypass")
        make_reply(thread, world.moderator)
        article = make_article(make_expert(world.topic, name="drwu"), world.topic, publish=True)
        keys = {
            "slug": [
                "type-2",
                "insulin-circle",
                "after-surgery",
                "diabetes",
                "heart",
                article.slug,
            ],
            "name": ["maria", "otto", "mona", "drlee", "ada"],
            "thread_id": [world.public_thread.id, world.private_thread.id, thread.id],
            "post_id": [world.reply.id, world.expert_reply.id, world.private_reply.id],
        }
        # The caller moderates both groups and is an expert: most code paths are open to it.
        profile = ExpertProfile(user_id=world.moderator.id, credentials="RN", specialty="Diabetes")
        db.session.add(profile)
        db.session.flush()
        experts.verify_expert(None, profile, topic_ids=[world.topic.id, other.id])
        token = world.tokens["moderator"]
        db.session.remove()
        db.engine.dispose()
    return token, keys


def widened_document(url: str, keys: dict[str, list[Any]]) -> dict[str, Any]:
    """The served document, with path parameters that may also be one of the seeded keys."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        document: dict[str, Any] = json.load(response)
    for methods in document["paths"].values():
        for operation in methods.values():
            for param in operation.get("parameters", []):
                if param["in"] == "path" and param["name"] in keys:
                    param["schema"] = {"anyOf": [{"enum": keys[param["name"]]}, param["schema"]]}
    return document


def wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("api fuzz: the server exited before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("api fuzz: the server did not answer")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="forum-fuzz-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, **settings(folder)}
        token, keys = seed(env)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "flask"), "--app", "forum", "run", "--port", str(port), "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(folder / "server.log").open("wb"),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/api/openapi.json", server)
            schema = folder / "openapi.json"
            schema.write_text(json.dumps(widened_document(f"{base}/api/openapi.json", keys)))
            command = [
                str(BIN / "schemathesis"),
                "run",
                str(schema),
                "--url",
                base,
                "--checks",
                CHECKS,
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--phases",
                "examples,coverage,fuzzing",
                "--header",
                f"Authorization: Bearer {token}",
                "--workers",
                "1",
                "--seed",
                os.environ.get("API_FUZZ_SEED", "20261"),
                "--generation-database",
                "none",
                "--request-timeout",
                "20",
                "--no-color",
            ]
            result = subprocess.run(command, cwd=folder, check=False)
        finally:
            server.terminate()
            server.wait(timeout=10)
        if result.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace")
            errors = [line for line in log.splitlines() if "ERROR" in line or "Traceback" in line]
            print("\n".join(errors[-40:]), file=sys.stderr)
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
