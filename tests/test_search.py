"""Search finds the right question on both backends: matching, ranking, query syntax, pages."""

from __future__ import annotations

from datetime import datetime

from forum.threads import services as thread_services
from tests.conftest import CsrfClient
from tests.factories import make_community, make_reply, make_thread, make_topic

# Re-exported (`as`): the fixture for this module, and helpers other test modules import.
from tests.search_support import backend as backend
from tests.search_support import find as find
from tests.search_support import set_thread
from tests.search_support import titles as titles


def test_a_question_is_found_by_its_title_and_by_its_replies(backend: str) -> None:
    thread = make_thread(title="Swollen ankles in the evening", body="They puff up after work.")
    make_reply(thread, body="Compression stockings helped my edema a lot.")
    assert titles(find(None, "ankles")) == ["Swollen ankles in the evening"]
    assert titles(find(None, "compression stockings")) == ["Swollen ankles in the evening"]


def test_all_words_must_match_before_any_word_does(backend: str) -> None:
    make_thread(title="Knee pain when climbing stairs", body="Sharp pain in the knee.")
    make_thread(title="Wrist pain from typing all day", body="My wrist aches.")
    both = find(None, "knee stairs")
    assert titles(both) == ["Knee pain when climbing stairs"] and not both.fallback
    either = find(None, "knee wrist")
    assert sorted(titles(either)) == [
        "Knee pain when climbing stairs",
        "Wrist pain from typing all day",
    ]
    assert either.fallback and either.total == 2


def test_title_matches_rank_above_body_matches(backend: str) -> None:
    make_thread(title="Questions about my new diet plan", body="Is turmeric worth taking daily?")
    make_thread(title="Is turmeric worth taking daily?", body="Questions about my new diet plan")
    assert titles(find(None, "turmeric"))[0] == "Is turmeric worth taking daily?"


def test_endorsed_and_answered_threads_rank_higher(backend: str) -> None:
    plain = make_thread(title="Magnesium for leg cramps at night", body="Does it work?")
    endorsed = make_thread(title="Magnesium for leg cramps at night?", body="Does it work?")
    answered = make_thread(title="Magnesium for leg cramps, at night", body="Does it work?")
    reply = make_reply(answered, body="It did for me.")
    thread_services.accept_answer(answered.author, answered, reply)  # type: ignore[arg-type]
    set_thread(endorsed, has_expert_answer=True)
    ranked = [item.thread.id for item in find(None, "magnesium cramps").items]
    assert ranked == [endorsed.id, answered.id, plain.id]


def test_stemming_finds_other_forms_of_a_word(backend: str) -> None:
    make_thread(title="Running hurts my knees", body="I ran every day until recently.")
    assert titles(find(None, "runs")) == ["Running hurts my knees"]
    assert titles(find(None, "knee")) == ["Running hurts my knees"]


def test_lay_words_find_clinical_words_and_brands_find_generics(backend: str) -> None:
    make_thread(title="Recovering from a myocardial infarction", body="Six weeks since then.")
    make_thread(title="Atorvastatin and muscle aches", body="My legs hurt since I started.")
    make_thread(title="Living with hypertension", body="Salt, exercise and pills.")
    assert titles(find(None, "heart attack")) == ["Recovering from a myocardial infarction"]
    assert titles(find(None, '"heart attack"')) == ["Recovering from a myocardial infarction"]
    assert titles(find(None, "lipitor aches")) == ["Atorvastatin and muscle aches"]
    assert titles(find(None, "high blood pressure")) == ["Living with hypertension"]


def test_phrases_exclusions_and_prefixes(backend: str) -> None:
    make_thread(title="Blood sugar high in the morning", body="Fasting readings are high.")
    make_thread(title="Morning headaches and high blood pressure", body="Sugar is fine.")
    assert titles(find(None, '"blood sugar"')) == ["Blood sugar high in the morning"]
    assert titles(find(None, "morning -headaches")) == ["Blood sugar high in the morning"]
    assert titles(find(None, "headach*")) == ["Morning headaches and high blood pressure"]
    assert find(None, "*eadaches").total == 0  # no leading wildcards: just a word


def test_a_misspelling_gets_a_did_you_mean(backend: str) -> None:
    make_thread(title="Gestational diabetes diet ideas", body="Looking for meal plans.")
    results = find(None, "diabetis diet")
    assert results.corrected == "diabetes diet"
    assert find(None, "diabetes diet").corrected is None


def test_a_query_with_no_common_match_falls_back_with_a_notice(
    client: CsrfClient, backend: str
) -> None:
    make_thread(title="Tinnitus after a concert", body="Ringing for three days now.")
    page = client.get("/search?q=tinnitus+zebra").get_data(as_text=True)
    assert "Tinnitus after a concert" in page
    assert "contain some of them" in page


def test_filters_narrow_the_results(backend: str) -> None:
    heart, skin = make_topic(name="Heart health"), make_topic(name="Skin")
    cardio, derm = make_community(heart, slug="cardio"), make_community(skin, slug="derm")
    asked = make_thread(cardio, title="Dizzy when standing up quickly", body="Mornings mostly.")
    other = make_thread(derm, title="Dizzy after a new skin cream", body="Is it the cream?")
    talk = make_thread(cardio, title="Dizzy spells, let us compare notes", kind="discussion")
    set_thread(other, has_expert_answer=True, created_at=datetime(2024, 1, 10))
    reply = make_reply(asked, body="Stand up slowly.")
    thread_services.accept_answer(asked.author, asked, reply)  # type: ignore[arg-type]
    assert set(titles(find(None, "dizzy", community="cardio"))) == {asked.title, talk.title}
    assert titles(find(None, "dizzy", topic=skin.slug)) == [other.title]
    assert titles(find(None, "dizzy", doc_type="discussion")) == [talk.title]
    assert set(titles(find(None, "dizzy", answered=True))) == {asked.title, other.title}
    assert titles(find(None, "dizzy", endorsed=True)) == [other.title]
    january = find(None, "dizzy", date_from=datetime(2024, 1, 1), date_to=datetime(2024, 1, 10))
    assert titles(january) == [other.title]
    one_day = {"date_from": datetime(2024, 1, 10), "date_to": datetime(2024, 1, 10)}
    assert titles(find(None, "dizzy", **one_day)) == [other.title]
    assert find(None, "dizzy", date_to=datetime(2024, 1, 9)).total == 0
    assert find(None, "dizzy", date_from=datetime(2024, 1, 11)).total == 2


def test_results_come_in_pages_with_a_total(backend: str) -> None:
    community = make_community()
    for number in range(23):
        make_thread(community, title=f"Vitamin D question number {number}", body="Dose?")
    first = find(None, "vitamin", per_page=10, page=1)
    third = find(None, "vitamin", per_page=10, page=3)
    assert (first.total, first.pages, len(first.items), len(third.items)) == (23, 3, 10, 3)
    assert third.total == 23 and find(None, "vitamin", sort="new", page=3).total == 23
    past = find(None, "vitamin", per_page=10, page=4)  # past the last page: still the total
    assert (past.total, past.items) == (23, [])
    newest = find(None, "vitamin", sort="new", per_page=5)
    assert titles(newest)[0] == "Vitamin D question number 22"


def test_snippets_escape_user_text_and_mark_matches(client: CsrfClient, backend: str) -> None:
    make_thread(
        title="Odd rash on my arm",
        body="It itches. <script>alert('rash')</script> and <b>bold</b> `<img src=x>`",
    )
    results = find(None, "rash")
    snippet = str(results.items[0].snippet)
    assert "<mark>" in snippet and "<script" not in snippet and "<b>" not in snippet
    page = client.get("/search?q=rash").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x>" not in page
    assert "&lt;script&gt;" in page or "&lt;img" in page


def test_a_long_thread_is_found_by_a_late_word_with_a_snippet_of_its_start(
    backend: str,
) -> None:
    """Snippets are looked for in the first part of a long text only (it is fast)."""
    from forum.search.highlight import SNIPPET_SCAN_CHARS

    filler = "Some days are better than others with this. " * (SNIPPET_SCAN_CHARS // 40)
    thread = make_thread(title="A long story of my recovery", body="It began in May. " + filler)
    make_reply(thread, body="Late in the thread: hydrotherapy worked for me.")
    late = find(None, "hydrotherapy")
    assert titles(late) == ["A long story of my recovery"]
    snippet = str(late.items[0].snippet)
    assert "<mark>" not in snippet and snippet.startswith("It began in May.")
    early = find(None, "began may")
    assert "<mark>began</mark>" in str(early.items[0].snippet)


def test_an_edited_question_is_found_once_with_its_new_words(backend: str) -> None:
    thread = make_thread(title="Blurry vision after reading", body="Only at night.")
    assert titles(find(None, "blurry")) == ["Blurry vision after reading"]
    assert thread.opening_post is not None and thread.author is not None
    for number in range(3):
        thread_services.edit_post(
            thread.author, thread.opening_post, f"Now in the morning too ({number}).",
            title=f"Blurry vision after reading, week {number}",
        )  # fmt: skip
        results = find(None, "blurry vision")
        assert titles(results) == [f"Blurry vision after reading, week {number}"]
        assert results.total == 1
    assert find(None, "morning").total == 1 and find(None, "night").total == 0


def test_boosted_threads_never_hide_other_matches_from_a_page(backend: str) -> None:
    """Whoosh's top-N pruning ignores the answered/endorsed boost: it must stay off."""
    community = make_community()
    for number in range(12):
        answered = number % 2 == 0
        thread = make_thread(
            community,
            title=f"Sleep {'apnea' if number % 3 else 'and snoring'} question {number}",
            body="Snoring, apnea and tiredness. " * (1 + number % 4),
        )
        if answered:
            reply = make_reply(thread, body=f"A mouth guard helped ({number}).")
            thread_services.accept_answer(thread.author, thread, reply)  # type: ignore[arg-type]
        find(None, "apnea")  # each drain adds a segment to the Whoosh index
    full = find(None, "sleep apnea snoring", per_page=50)
    for per_page in (1, 3, 5):
        page = find(None, "sleep apnea snoring", per_page=per_page)
        assert page.total == full.total
        assert [item.thread.id for item in page.items] == [
            item.thread.id for item in full.items[:per_page]
        ]


def test_a_question_typed_as_a_sentence_also_ranks_threads_with_some_of_its_words(
    client: CsrfClient, backend: str
) -> None:
    about = make_thread(
        title="Lupus explained for the newly diagnosed", body="An autoimmune disease."
    )
    make_thread(
        title="Antiphospholipid syndrome blood check", body="Some people with lupus have it."
    )
    keywords = find(None, "check lupus")
    assert titles(keywords) == ["Antiphospholipid syndrome blood check"] and not keywords.fallback
    sentence = find(None, "how do you check for lupus?")
    assert about.title in titles(sentence) and sentence.total == 2
    assert sentence.fallback and sentence.all_words_total == 1
    page = client.get("/search", query_string={"q": "how do you check for lupus?"})
    assert "Only 1 question contains all of your words" in page.get_data(as_text=True)


def test_phrases_match_words_in_order_within_one_part_of_a_thread(backend: str) -> None:
    make_thread(title="Questions on my blood", body="Sugar readings are fine.")
    make_thread(title="Tired after meals", body="My doctor found high blood pressure.")
    make_thread(title="Pressure in the head", body="High readings of blood sugar too.")
    assert find(None, '"blood sugar"').total == 1  # not "... blood" + "Sugar ..."
    assert titles(find(None, '"high blood pressure"')) == ["Tired after meals"]
    assert titles(find(None, '"pressure blood"')) == []
