"""`flask import qa`: question/answer pairs become answered threads of a verified organization."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from forum.experts import services as experts
from forum.extensions import db
from forum.models import Community, Post, PostRevision, Thread, User
from forum.search.forms import SearchParams
from forum.search.services import search_threads
from forum.threads import services as thread_services
from tests.conftest import CsrfClient
from tests.factories import make_community, make_user

ORG = "nih_answers"
ORG_NAME = "NIH health information"
ROWS = [
    {
        "id": "GHR_1_Sec1",
        "question": "What is (are) Kartagener syndrome ?",
        "answer": "Kartagener syndrome is a ciliary disorder. Call 1-800-555-0199 for help.",
        "url": "https://ghr.nlm.nih.gov/condition/primary-ciliary-dyskinesia",
        "focus": "Kartagener syndrome",
    },
    {
        "id": 42,
        "question": "What are the treatments for Hemophilia ?",
        "answer": "Replacement therapy gives the missing clotting factor through a vein.",
    },
]


@pytest.fixture
def community(app: Flask) -> Community:
    return make_community(slug="reference", name="Reference answers")


@pytest.fixture
def org(app: Flask) -> User:
    return experts.create_organization(ORG, ORG_NAME, "https://medlineplus.gov/").user


def write(path: Path, rows: list[Any]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_import(app: Flask, path: Path, community: str = "reference", org: str = ORG) -> Result:
    runner = app.test_cli_runner()
    return runner.invoke(args=["import", "qa", str(path), "--community", community, "--org", org])


def imported(source_id: str) -> Thread:
    thread = db.session.scalar(select(Thread).where(Thread.source_id == source_id))
    assert thread is not None
    return thread


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_each_row_becomes_a_thread_answered_by_the_organization(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    result = run_import(app, write(tmp_path / "qa.jsonl", ROWS))
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output.splitlines()[-1]
    thread = imported("qa:GHR_1_Sec1")
    assert thread.title == "What is (are) Kartagener syndrome ?"
    assert thread.community_id == community.id and thread.author_id == org.id
    assert thread.source_url == "https://ghr.nlm.nih.gov/condition/primary-ciliary-dyskinesia"
    answer = db.session.get(Post, thread.accepted_post_id)
    assert answer is not None and answer.author_id == org.id and not answer.is_opening
    assert "ciliary disorder" in answer.body_source and thread.is_answered
    numbered = imported("qa:42")
    assert numbered.source_url is None and numbered.is_answered


def test_running_the_import_again_changes_nothing(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    path = write(tmp_path / "qa.jsonl", ROWS)
    assert run_import(app, path).exit_code == 0
    before = (count(Thread), count(Post), count(PostRevision))
    again = run_import(app, path)
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 2 unchanged" in again.output
    assert (count(Thread), count(Post), count(PostRevision)) == before


def test_a_changed_row_edits_its_thread_and_keeps_the_old_text(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    assert run_import(app, write(tmp_path / "qa.jsonl", ROWS)).exit_code == 0
    changed = [
        {**ROWS[0], "question": "What is Kartagener syndrome?", "answer": "A rare disorder."},
        {**ROWS[1], "url": "https://www.nhlbi.nih.gov/health/hemophilia"},
    ]
    result = run_import(app, write(tmp_path / "qa.jsonl", changed))
    assert result.exit_code == 0, result.output
    assert "0 created, 2 updated, 0 unchanged" in result.output
    thread = imported("qa:GHR_1_Sec1")
    assert thread.title == "What is Kartagener syndrome?" and count(Thread) == 2
    answer = db.session.get(Post, thread.accepted_post_id)
    assert answer is not None and answer.body_source.startswith("A rare disorder.")
    old_texts = db.session.scalars(select(PostRevision.body_source)).all()
    assert any("ciliary disorder" in text for text in old_texts)
    assert any(title == "What is (are) Kartagener syndrome ?" for title in
               db.session.scalars(select(PostRevision.title)))  # fmt: skip
    assert imported("qa:42").source_url == "https://www.nhlbi.nih.gov/health/hemophilia"


def test_a_run_stopped_midway_is_completed_by_the_next_one(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    # Stopped after the question was saved, before its source and answer were.
    thread_services.create_thread(
        org, community, ROWS[1]["question"], "Unfinished.", confirm_personal_info=True
    )
    result = run_import(app, write(tmp_path / "qa.jsonl", ROWS[1:]))
    assert result.exit_code == 0, result.output
    assert count(Thread) == 1
    thread = imported("qa:42")
    assert thread.accepted_post_id is not None and thread.reply_count == 1


def test_bad_lines_are_reported_with_their_number_skipped_and_fail_the_run(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    rows: list[Any] = [
        ROWS[0],
        '{"id": "broken", "question": "Unclosed',
        {"id": "no-answer", "question": "What is a question without an answer?"},
        {**ROWS[1], "id": "bad-url", "url": "javascript:alert(1)"},
        {"id": "short", "question": "Why?", "answer": "Too short a title."},
        ["not", "an", "object"],
        ROWS[1],
    ]
    result = run_import(app, write(tmp_path / "qa.jsonl", rows))
    assert result.exit_code == 1
    assert "2 created" in result.output and "5 bad" in result.output
    for line, reason in [(2, "not valid JSON"), (3, "`answer`"), (4, "`url`"), (5, "title"),
                         (6, "not a JSON object")]:  # fmt: skip
        assert f"line {line}: " in result.output and reason in result.output
    assert {t.source_id for t in db.session.scalars(select(Thread))} == {"qa:GHR_1_Sec1", "qa:42"}


def test_a_deleted_thread_is_not_brought_back(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    path = write(tmp_path / "qa.jsonl", ROWS[:1])
    assert run_import(app, path).exit_code == 0
    thread = imported("qa:GHR_1_Sec1")
    assert thread.opening_post is not None
    thread_services.delete_post(org, thread.opening_post)
    result = run_import(app, path)
    assert result.exit_code == 0 and "1 skipped" in result.output
    assert imported("qa:GHR_1_Sec1").is_deleted


def test_a_missing_file_fails_clearly(app: Flask, tmp_path: Path) -> None:
    result = run_import(app, tmp_path / "nowhere.jsonl")
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.parametrize(
    ("community_slug", "org_name", "message"),
    [
        ("no-such-group", ORG, "no community 'no-such-group'"),
        ("reference", "nobody", "no account 'nobody'"),
        ("reference", "plain_member", "plain_member is not an organization account"),
        ("reference", "revoked_org", "revoked_org is not a verified organization"),
    ],
)
def test_an_unknown_community_or_an_unverified_organization_fails_clearly(
    app: Flask,
    tmp_path: Path,
    community: Community,
    org: User,
    community_slug: str,
    org_name: str,
    message: str,
) -> None:
    make_user(name="plain_member")
    revoked = experts.create_organization("revoked_org", "Old org", "https://example.org/")
    experts.revoke_expert(None, revoked, "closed")
    result = run_import(app, write(tmp_path / "qa.jsonl", ROWS), community_slug, org_name)
    assert result.exit_code == 1 and message in result.output
    assert count(Thread) == 0


def test_a_private_group_the_organization_is_not_in_is_refused(
    app: Flask, tmp_path: Path, org: User
) -> None:
    make_community(slug="quiet", is_private=True)
    result = run_import(app, write(tmp_path / "qa.jsonl", ROWS), community="quiet")
    assert result.exit_code == 1 and "cannot post in quiet" in result.output


def test_the_thread_shows_the_organizations_answer_and_its_source(
    app: Flask, client: CsrfClient, tmp_path: Path, community: Community, org: User
) -> None:
    assert run_import(app, write(tmp_path / "qa.jsonl", ROWS)).exit_code == 0
    thread = imported("qa:GHR_1_Sec1")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f"Answer from {ORG_NAME}" in page
    assert 'href="https://ghr.nlm.nih.gov/condition/primary-ciliary-dyskinesia"' in page
    assert "Genetics Home Reference moved to MedlinePlus Genetics" in page  # a retired site
    assert "Helped the asker" not in page and "Reference answer" in page
    body = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert body["source"] == {
        "id": "qa:GHR_1_Sec1",
        "url": "https://ghr.nlm.nih.gov/condition/primary-ciliary-dyskinesia",
    }


def test_imported_answers_are_found_by_search(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    assert run_import(app, write(tmp_path / "qa.jsonl", ROWS)).exit_code == 0
    results = search_threads(None, SearchParams(q="clotting factor"))
    assert [item.thread.source_id for item in results.items] == ["qa:42"]


def test_a_flattened_reference_answer_gets_its_lists_headings_and_dashes_back(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    flattened = (
        "Summary : Type 2 diabetesthe most common form of diabetesis caused by several "
        "factors. Symptoms include - Feeling thirsty - Blurred vision - pressure, or pain - "
        "Slow healing These can come on slowly. What is the outlook? Most people with "
        "diabetes manage it well within a care plan. NIH: National Institute of Diabetes "
        "and Digestive and Kidney Diseases"
    )
    url = "http://nihseniorhealth.gov/type2diabetes/toc.html"
    row = {"id": "NIDDK_1", "question": "What is type 2 diabetes?", "answer": flattened,
           "url": url, "source": "NIDDK"}  # fmt: skip
    assert run_import(app, write(tmp_path / "qa.jsonl", [row])).exit_code == 0
    thread = imported("qa:NIDDK_1")
    assert thread.opening_post is not None
    assert thread.opening_post.body_source == "What is type 2 diabetes?"  # the natural question
    answer = db.session.get(Post, thread.accepted_post_id)
    assert answer is not None
    text = answer.body_source
    assert text.startswith("Type 2 diabetes\u2014the most common form of diabetes\u2014is caused")
    assert "- Feeling thirsty\n- Blurred vision - pressure, or pain\n- Slow healing\n\n" in text
    assert "\n\nThese can come on slowly.\n\n#### What is the outlook?\n\n" in text
    assert "within a care plan" in text  # a real word that ends like a join stays whole
    assert "*NIH: National Institute of Diabetes and Digestive and Kidney Diseases*" in text
    assert "Source: National Institute of Diabetes and Digestive and Kidney Diseases" in text
    assert "NIHSeniorHealth was retired in 2018" in text
    assert "<li>Blurred vision - pressure, or pain</li>" in answer.body_html


def test_a_changed_answer_with_a_help_line_number_is_updated(
    app: Flask, tmp_path: Path, community: Community, org: User
) -> None:
    assert run_import(app, write(tmp_path / "qa.jsonl", ROWS[:1])).exit_code == 0
    changed = [{**ROWS[0], "answer": "Call the help line at 1-800-555-0100 for more."}]
    result = run_import(app, write(tmp_path / "qa.jsonl", changed))
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated" in result.output
