"""A long message is read for what it asks (focus, question type) before it is searched."""

from __future__ import annotations

from forum.search.forms import SearchParams
from forum.search.services import SearchResults, search_threads
from forum.search.understanding import is_long, strip_padding, understand
from tests.factories import make_community, make_reply, make_thread
from tests.search_support import backend as backend  # the fixture, once for every search test

DENTIST = (
    "My mother is 78 and was told she has atrial fibrillation, she already takes warfarin, "
    "is it safe for her to have her teeth pulled and what should we ask the dentist?"
)
FEVER = (
    "Hi all, sorry for the long post. My little boy is 3 and since last night he has a fever, "
    "his grandmother thinks it is just his teeth coming and he hardly sleeps, he cries a lot "
    "and does not want his breakfast. What should we do? Thanks, Maria"
)


def find(q: str) -> SearchResults:
    return search_threads(None, SearchParams(q=q))


def titles(results: SearchResults) -> list[str]:
    return [item.thread.title for item in results.items if item.thread is not None]


def test_a_long_message_is_read_for_its_focus_and_question_type() -> None:
    dentist = understand(DENTIST)
    assert dentist.focus == (("atrial", "fibrillation"), ("warfarin",))
    assert "mother" not in dict(dentist.words)  # a story word, kept out of the query
    fever = understand(FEVER)
    assert fever.focus == (("fever",),)
    assert "treatment" in fever.qtypes
    assert "treatments" in fever.text and "maria" not in fever.text


def test_greetings_and_sign_offs_are_dropped_and_short_queries_are_left_alone() -> None:
    message = "Hello doctor, what causes gout in the big toe? Thank you so much, Bob"
    assert strip_padding(message) == "what causes gout in the big toe?"
    assert not is_long("knee pain when climbing stairs")
    assert not is_long("how do you check for lupus?")
    assert is_long(DENTIST)
    # The search box's syntax means the user chose the words: searched as typed.
    assert not is_long(DENTIST + ' "teeth pulled"')


def test_the_long_dentist_question_ranks_warfarin_and_atrial_fibrillation_first(
    backend: str,
) -> None:
    community = make_community()
    story = [
        make_thread(
            community,
            title="What to ask the dentist before teeth are pulled",
            body="My mother is 78 and had two teeth pulled. Ask the dentist about the pain.",
        ),
        make_thread(
            community,
            title="Is it safe for my mother to have her teeth whitened?",
            body="She already asked her dentist, who told her it is safe.",
        ),
    ]
    about = [
        make_thread(
            community,
            title="Dental extraction while taking warfarin",
            body="Most dental work can go ahead on warfarin; check the INR first.",
        ),
        make_thread(
            community,
            title="Living with atrial fibrillation",
            body="An irregular heartbeat that raises the risk of stroke.",
        ),
    ]
    make_reply(about[0], body="Tell the dentist about the blood thinner.")
    found = titles(find(DENTIST))
    assert set(found[:2]) == {thread.title for thread in about}
    assert {thread.title for thread in story} <= set(found)  # found, below the answers
    # A short query is searched as typed: all its words.
    assert titles(find("teeth pulled")) == [story[0].title]


def test_a_rambling_message_about_a_child_s_fever_finds_fever_threads(backend: str) -> None:
    community = make_community()
    fever = make_thread(
        community,
        title="Fever in young children: when to call the doctor",
        body="A temperature above 38 C in a child under three months needs a doctor.",
    )
    make_thread(
        community,
        title="My little boy cries a lot and hardly sleeps",
        body="Since last night he does not want his breakfast and his grandmother thinks "
        "it is his teeth coming.",
    )
    make_thread(
        community,
        title="Teeth coming through: what grandmother says",
        body="Sleeps badly, cries a lot, breakfast is a struggle.",
    )
    results = find(FEVER)
    assert titles(results)[0] == fever.title
    assert any("fever" in note for note in results.notes)


ANSWER = " ".join(
    f"Paragraph {n} of the reference answer says what the page says, in its own words."
    for n in range(8)
)


def test_the_same_answer_under_several_ids_shows_once_with_its_copies_counted(
    backend: str,
) -> None:
    community = make_community()
    copies = [
        make_thread(community, title="Gout in the big toe: the reference answer", body=ANSWER),
        make_thread(community, title="Gout in the big toe: the reference answer", body=ANSWER),
        make_thread(
            community, title="Gout of the big toe (copy)", body=ANSWER + " Imported again."
        ),
    ]
    other = make_thread(community, title="Gout and diet", body="Cherries, water and less beer.")
    results = find("gout")
    shown = {item.thread.id: item.similar for item in results.items if item.thread is not None}
    assert len(shown) == 2 and shown.pop(other.id) == 0
    assert list(shown.values()) == [2] and set(shown) < {thread.id for thread in copies}
