"""Search that answers: corrected results at once, the drug page or health center first, the
interaction check for two medicines, and no marks on common words."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from flask import Flask

from forum.experts import services as expert_services
from forum.extensions import db
from forum.models import ExpertProfile
from forum.search.highlight import marked_snippet, unmark_common_words
from forum.search.shortcuts import find_shortcuts
from tests.conftest import CsrfClient
from tests.drug_data import import_subset
from tests.factories import make_community, make_thread, make_topic, make_user


def page_of(client: CsrfClient, q: str, **args: str) -> str:
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def hrefs(page: str, pattern: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', page) if pattern in h]


def test_a_misspelling_that_finds_nothing_shows_the_corrected_results(client: CsrfClient) -> None:
    make_thread(title="Gestational diabetes diet ideas", body="Looking for meal plans.")
    page = page_of(client, "diabetis")
    assert "Gestational diabetes diet ideas" in page
    assert re.search(r"Showing results for <a [^>]+><strong>diabetes</strong></a>", page)
    assert "Search instead for" in page
    original = next(h for h in hrefs(page, "/search?") if "exact=1" in h)
    assert parse_qs(urlsplit(original).query) == {"q": ["diabetis"], "exact": ["1"]}
    exact = page_of(client, "diabetis", exact="1")
    assert "Gestational diabetes diet ideas" not in exact
    assert "Showing results for" not in exact
    assert "Did you mean" in exact  # searched as typed, still offered the correction


def test_a_query_that_finds_something_is_not_corrected(client: CsrfClient) -> None:
    make_thread(title="Gestational diabetes diet ideas", body="Looking for meal plans.")
    page = page_of(client, "diabetes")
    assert "Showing results for" not in page and "Gestational diabetes diet ideas" in page


def test_a_brand_name_puts_its_drug_page_first(
    app: Flask, client: CsrfClient, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    make_thread(title="Switching from Lipitor to another statin", body="Muscle aches on it.")
    page = page_of(client, "Lipitor")
    card = page.index('class="card shortcut shortcut-drug"')
    assert card < page.index("Switching from Lipitor to another statin")
    assert 'href="/drugs/atorvastatin"' in page[card:]
    assert "Lipitor is a brand name for Atorvastatin." in page
    generic = page_of(client, "atorvastatin")
    assert "shortcut-drug" in generic and "brand name for" not in generic


def test_a_health_topic_name_puts_its_health_center_first(client: CsrfClient) -> None:
    topic = make_topic(name="Heart Attack", slug="heart-attack", summary="After a heart attack.")
    make_thread(title="Heart attack recovery and walking", body="How far after a week?")
    page = page_of(client, "heart attack")
    card = page.index("shortcut-topic")
    assert card < page.index("Heart attack recovery and walking")
    assert f'href="/topics/{topic.slug}"' in page[card:]
    assert "shortcut-topic" not in page_of(client, "heart")


def test_two_drugs_in_a_question_offer_their_interaction_check(
    app: Flask, client: CsrfClient, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    make_thread(title="Ibuprofen and blood pressure pills", body="Can I take ibuprofen daily?")
    page = page_of(client, "Can I take ibuprofen with lisinopril")
    offer = page.index("shortcut-interactions")
    assert offer < page.index('id="results-heading"')
    assert "Check Ibuprofen with Lisinopril for interactions" in page
    link = hrefs(page, "/drugs/interactions")[0]
    assert parse_qs(urlsplit(link).query) == {"names": ["Ibuprofen\nLisinopril"]}
    assert client.get(link).status_code == 200
    assert "shortcut-drug" not in page  # two drugs: the check, not one drug's page
    brands = find_shortcuts("advil and zestril together?")
    assert [d.name for d in brands.interaction_drugs] == ["Ibuprofen", "Lisinopril"]


def test_common_words_and_unknown_names_give_no_shortcut(
    app: Flask, client: CsrfClient, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    assert find_shortcuts("how do I sleep better").is_empty
    assert find_shortcuts("the and of").is_empty
    assert find_shortcuts("").is_empty
    page = page_of(client, "zzqx")
    assert "search-shortcuts" not in page


def test_the_highlight_never_marks_common_question_words(client: CsrfClient) -> None:
    make_thread(
        title="Painkillers with blood pressure pills",
        body="I take ibuprofen most days and want to know if I can take it with lisinopril.",
    )
    page = page_of(client, "Can I take ibuprofen with lisinopril")
    snippets = " ".join(re.findall(r'<p class="snippet">(.*?)</p>', page, re.S))
    marked = {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", snippets)}
    assert "ibuprofen" in marked and "lisinopril" in marked
    assert not marked & {"take", "can", "i", "with"}


def test_a_postgres_headline_loses_marks_on_common_words_only() -> None:
    start, stop = "\ue000", "\ue001"
    snippet = marked_snippet(f"I {start}take{stop} {start}ibuprofen{stop} <b>daily</b>")
    assert snippet == "I take <mark>ibuprofen</mark> &lt;b&gt;daily&lt;/b&gt;"
    headline = "I <mark>take</mark> <mark>Ibuprofen</mark>, <mark>can't</mark> stop"
    assert unmark_common_words(headline) == "I take <mark>Ibuprofen</mark>, can't stop"


def test_a_correction_that_folds_two_words_into_one_is_only_offered(client: CsrfClient) -> None:
    make_thread(title="Heart palpitations at night", body="My heart races after dinner.")
    page = page_of(client, "heart health")
    assert "Did you mean <a" in page and "Showing results for" not in page


def test_a_health_topic_name_is_never_corrected_away(client: CsrfClient) -> None:
    make_topic(name="Lupus", slug="lupus", summary="Living with lupus.")
    make_thread(title="Lumps in the neck", body="Swollen glands for a week.")
    page = page_of(client, "lupus")
    assert "Showing results for" not in page and "shortcut-topic" in page
    assert "Did you mean <a" in page


# Small text defects on the pages this work owns (health centers, expert profiles).


def test_a_health_center_counts_one_member_and_one_thread_in_the_singular(
    client: CsrfClient,
) -> None:
    topic = make_topic(name="Gout", slug="gout")
    community = make_community(topic=topic, name="Gout talk")
    make_thread(community=community, title="Cherries and gout")
    page = client.get("/topics/gout").get_data(as_text=True)
    assert re.search(r"\b1 thread\b", page) and "1 threads" not in page
    assert re.search(r"\b\d+ members?\b", page) and "1 members" not in page


def test_an_expert_profile_has_no_stray_comma_without_a_profession(client: CsrfClient) -> None:
    topic = make_topic()
    user = make_user(name="dr_lee")
    profile = ExpertProfile(user_id=user.id, credentials="MD", specialty="Internal medicine")
    db.session.add(profile)
    db.session.flush()
    expert_services.verify_expert(None, profile, topic_ids=[topic.id])
    page = client.get("/experts/dr_lee").get_data(as_text=True)
    assert re.search(r"MD</span>\s*Internal medicine", page)
    assert " , Internal" not in page
    assert 'aria-hidden="true">DL</span>dr_lee</h1>' in page
