"""The drug directory: import, finding drugs, drug pages and drug names linked in posts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

from forum import cache
from forum.drugs.importer import DATA_DIR, import_drugs
from forum.extensions import db
from forum.models import Drug, DrugName, DrugReview, InteractionRule
from tests.conftest import CsrfClient, text_of, visitor
from tests.drug_data import drug, import_subset, write_subset
from tests.drug_support import count, post_review, shipped_rows

# The fixture, imported with `as` so that it is kept.
from tests.drug_support import drugs as drugs
from tests.factories import make_community, make_reply, make_thread, make_user

# Import


def test_importing_the_shipped_data_loads_every_file_and_twice_changes_nothing(
    app: Flask,
) -> None:
    first = import_drugs()
    assert first["drugs"] == shipped_rows("drugs.csv.gz") > 13_000
    assert first["names"] == shipped_rows("drugs.csv.gz") + shipped_rows("names.csv.gz")
    assert first["indications"] == shipped_rows("indications.csv")
    assert first["label_excerpts"] == shipped_rows("labels.jsonl.gz")
    assert first["summaries"] == shipped_rows("nci_summaries.jsonl.gz")
    assert first["interaction_rules"] == shipped_rows("interaction_rules.csv.gz") > 2_500
    assert count(InteractionRule) == first["interaction_rules"]
    atorvastatin_id = drug("atorvastatin").id
    second = import_drugs()
    assert second == first
    assert count(Drug) == first["drugs"] and count(DrugName) == first["names"]
    assert drug("atorvastatin").id == atorvastatin_id


def test_reimporting_keeps_reviews_and_unlists_drugs_gone_from_the_data(
    app: Flask, tmp_path: Path
) -> None:
    import_subset(tmp_path)
    member = make_user()
    db.session.add(
        DrugReview(
            drug_id=drug("metformin").id, author_id=member.id, condition="Diabetes",
            condition_key="diabetes", effectiveness=4, ease_of_use=4, satisfaction=4,
        )
    )  # fmt: skip
    db.session.commit()
    smaller = write_subset(tmp_path / "smaller", ["atorvastatin", "clarithromycin"])
    counts = import_drugs(smaller)
    assert counts["drugs_listed"] == 2
    assert count(DrugReview) == 1
    assert not drug("metformin").is_listed and drug("atorvastatin").is_listed


def test_the_import_command_shows_progress_and_a_summary(app: Flask, tmp_path: Path) -> None:
    folder = write_subset(tmp_path / "data")
    result = app.test_cli_runner().invoke(args=["import", "drugs", "--data", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Importing drugs" in result.output
    assert "drugs imported: drugs 15," in result.output
    rerun = app.test_cli_runner().invoke(args=["import", "drugs", "--data", str(folder)])
    assert rerun.exit_code == 0 and count(Drug) == 15


def test_the_import_command_fails_clearly_on_missing_files(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["import", "drugs", "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert "could not be read" in result.output
    assert count(Drug) == 0


def test_shipped_data_stays_small_and_keeps_its_attribution() -> None:
    size = sum(path.stat().st_size for path in DATA_DIR.iterdir())
    assert size <= 8 * 1024 * 1024
    attribution = (DATA_DIR / "ATTRIBUTION.md").read_text()
    for source in ("DrugBank", "PharmacotherapyDB", "LabeledIn", "National Cancer Institute"):
        assert source in attribution
    assert "ANSM" in attribution and "Phansalkar" in attribution


# Finding drugs


def test_a_brand_name_search_leads_to_its_drug(client: CsrfClient, drugs: None) -> None:
    response = client.get("/drugs/", query_string={"q": "Lipitor"})
    assert response.status_code == 302
    assert response.location.endswith("/drugs/atorvastatin")


def test_a_partial_name_lists_matching_drugs(client: CsrfClient, drugs: None) -> None:
    page = text_of(client.get("/drugs/", query_string={"q": "atorva"}))
    assert "/drugs/atorvastatin" in page and "/drugs/ezetimibe-atorvastatin" in page
    assert "No drug by that name" in text_of(client.get("/drugs/?q=zzzzqq"))


def test_autocomplete_suggests_names_and_brands_with_their_drug(
    client: CsrfClient, drugs: None
) -> None:
    results = client.get("/drugs/autocomplete", query_string={"q": "lip"}).get_json()["results"]
    assert {"name": "Lipitor", "drug": "Atorvastatin", "kind": "brand",
            "url": "/drugs/atorvastatin"} in results  # fmt: skip
    posted = client.post("/drugs/autocomplete", data={"q": "CLARI"}).get_json()["results"]
    assert posted[0]["drug"] == "Clarithromycin"
    assert client.get("/drugs/autocomplete?q=l").get_json() == {"results": []}


def test_drugs_are_found_by_condition_and_its_synonyms(client: CsrfClient, drugs: None) -> None:
    page = text_of(client.get("/drugs/", query_string={"condition": "high blood pressure"}))
    assert "Hypertension" in page and "/drugs/lisinopril" in page
    none = text_of(client.get("/drugs/", query_string={"condition": "qqqq"}))
    assert "We found no drugs" in none


def test_a_to_z_shows_common_medicines_and_everything_on_request(
    client: CsrfClient, drugs: None
) -> None:
    page = text_of(client.get("/drugs/?letter=a"))
    assert "/drugs/atorvastatin" in page and "/drugs/aspirin" in page
    assert client.get("/drugs/?letter=a&all=1").status_code == 200
    assert client.get("/drugs/?letter=%3Cx%3E").status_code == 200


# Drug pages


def test_the_drug_page_shows_names_uses_and_their_sources(client: CsrfClient, drugs: None) -> None:
    page = text_of(client.get("/drugs/atorvastatin"))
    assert "<h1>Atorvastatin</h1>" in page
    assert "Lipitor" in page
    assert "What Atorvastatin is used for" in page and "Hypercholesterolemia" in page
    assert "LabeledIn" in page and "label version 2012" in page
    assert "Informational only: ask your pharmacist or doctor." in page


def test_the_drug_page_shows_nci_summaries_and_label_warnings(
    client: CsrfClient, drugs: None
) -> None:
    cancer = text_of(client.get("/drugs/abemaciclib"))
    assert "National Cancer Institute" in cancer and "Verzenio" in cancer
    label = text_of(client.get("/drugs/clopidogrel"))
    assert "Label warnings and interactions" in label and "May 2014" in label


def test_an_unknown_drug_is_not_found(client: CsrfClient, drugs: None) -> None:
    assert client.get("/drugs/no-such-drug").status_code == 404


def test_the_community_section_lists_visible_threads_endorsed_first(
    app: Flask, drugs: None
) -> None:
    plain = make_thread(title="Muscle aches on atorvastatin?", body="Does anyone get aches?")
    endorsed = make_thread(title="Switching from Lipitor to another statin", body="Any tips?")
    endorsed.has_expert_answer = True
    secret = make_thread(
        make_community(is_private=True), title="Private: my atorvastatin story", body="Secret."
    )
    db.session.commit()
    page = text_of(visitor(app).get("/drugs/atorvastatin"))
    assert page.index(f"/threads/{endorsed.id}") < page.index(f"/threads/{plain.id}")
    assert f"/threads/{secret.id}" not in page


def test_the_drug_page_needs_the_same_queries_for_many_reviews(app: Flask, drugs: None) -> None:
    def queries_for_page() -> int:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(str(args[2]))

        cache.clear(app)  # every count computes the whole page (a commit clears it too)
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert visitor(app).get("/drugs/atorvastatin").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    post_review(visitor(app, make_user()))
    queries_for_page()  # the first search also checks the index outbox
    few = queries_for_page()
    for number in range(5):
        post_review(visitor(app, make_user()), condition=f"Condition {number}")
    assert queries_for_page() == few


# Drug names in posts


def test_drug_names_in_posts_link_once_and_never_in_code_or_links(app: Flask, drugs: None) -> None:
    thread = make_thread(body="I take Lipitor daily. Lipitor again, and aspirin.")
    reply = make_reply(
        thread, body="Not here: `atorvastatin` or [warfarin](https://example.org), but Metformin."
    )
    assert thread.opening_post is not None
    html = thread.opening_post.body_html
    assert html.count('href="/drugs/atorvastatin"') == 1
    assert '<a href="/drugs/aspirin" class="drug"' in html
    assert "/drugs/warfarin" not in reply.body_html
    assert "<code>atorvastatin</code>" in reply.body_html
    assert 'href="/drugs/metformin"' in reply.body_html


def test_only_whole_words_of_four_letters_or_more_link(app: Flask, drugs: None) -> None:
    reply = make_reply(make_thread(), body="Lipitor-like pills and metforminX are not drugs.")
    assert "/drugs/" not in reply.body_html
