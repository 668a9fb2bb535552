"""Each thread's title is read for its focus and question type at index time, and a long
question ranks the threads about its focus (and of its question type) first. (The long
dentist question, which ranks right on its words alone, is tested in
test_search_understanding.py.)"""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import SearchDocument
from forum.search import engine
from forum.search.backend import SubjectMatch
from forum.search.documents import documents_for_keys, thread_key
from forum.search.understanding import title_subject, understand
from tests.factories import make_community, make_thread
from tests.search_support import backend as backend  # the fixture, once for every search test
from tests.search_support import find, titles

TREATMENT = (
    "My father was told last week that he has atrial fibrillation and he is worried, "
    "what are the treatments that could help him at his age?"
)


def test_a_title_is_read_for_its_focus_and_question_type() -> None:
    assert title_subject("What is (are) Atrial Fibrillation ?") == ("atrial fibril", "information")
    assert title_subject("What are the treatments for Atrial Fibrillation ?") == (
        "atrial fibril",
        "treatment",
    )
    # "symptoms" is in the focus dictionary too, but it names the question type.
    assert title_subject("What are the symptoms of Diabetes ?") == ("diabet", "symptoms")
    assert title_subject("") == ("", "")


def test_a_long_question_rewards_its_focus_and_most_its_focus_and_type() -> None:
    subject = understand(TREATMENT).subject
    assert subject.focus == {"atrial fibril"} and "treatment" in subject.qtypes
    assert subject.factor("atrial fibril", "treatment") > subject.factor("atrial fibril", "")
    assert subject.factor("atrial fibril", "") > subject.factor("diabet", "treatment") == 1.0
    assert SubjectMatch().factor("", "") == 1.0


def test_the_documents_hold_the_title_s_focus_and_type(backend: str) -> None:
    thread = make_thread(title="What are the treatments for Atrial Fibrillation ?")
    (doc,), _ = documents_for_keys(db.session, [thread_key(thread.id)])
    assert (doc.focus, doc.qtype) == ("atrial fibril", "treatment")
    find(None, "fibrillation")  # drains the outbox into the index
    if backend == "postgres":
        row = db.session.execute(
            select(SearchDocument.focus, SearchDocument.qtype).where(SearchDocument.key == doc.key)
        ).one()
        assert tuple(row) == ("atrial fibril", "treatment")
    else:
        searcher = engine.backend()._searcher()  # type: ignore[attr-defined]
        reader = searcher.reader()
        docnum = searcher.document_number(key=doc.key)
        assert reader.column_reader("focus")[docnum] == "atrial fibril"
        assert reader.column_reader("qtype")[docnum] == "treatment"


def test_a_match_on_focus_and_question_type_ranks_highest(backend: str) -> None:
    community = make_community()
    general = make_thread(
        community,
        title="What is (are) Atrial Fibrillation ?",
        body="Atrial fibrillation is an irregular heartbeat. Treatments help; at any age.",
    )
    treatments = make_thread(
        community,
        title="What are the treatments for Atrial Fibrillation ?",
        body="Medicines that control the heart rate, blood thinners, cardioversion.",
    )
    other = make_thread(
        community,
        title="What are the treatments for worry at an older age?",
        body="Talking helps; my father was told the same last week.",
    )
    found = titles(find(None, TREATMENT))
    assert found[:2] == [treatments.title, general.title]
    assert other.title in found
    # A short query is searched as typed: no reward, the words decide.
    assert titles(find(None, "atrial fibrillation heartbeat")) == [general.title]
