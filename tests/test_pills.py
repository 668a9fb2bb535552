"""The pill identifier: searching, the drawings, the drug links, My Medicine and the API."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select
from werkzeug.test import TestResponse

from bench import pills as pill_bench
from forum.cabinet import services as cabinet
from forum.errors import NotAllowed
from forum.extensions import db
from forum.models import CabinetEntry, PillProduct
from forum.pills import imprints, services
from forum.pills.importer import import_samples
from forum.pills.queries import PillSearch, search_pills
from forum.pills.spl import Appearance, Ingredient, Label, Product
from tests.conftest import CsrfClient, text_of, visitor
from tests.drug_data import SUBSET, import_subset
from tests.factories import make_user

CAUTION = "Identification by appearance is not certain: ask a pharmacist."
POISON_HELP = "1-800-222-1222"


@pytest.fixture
def pills(app: Flask) -> None:
    import_samples()


@pytest.fixture
def drugs(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path, (*SUBSET, "sildenafil"))


def results_of(page: str) -> str:
    """The results section of the page (the form above it repeats what was typed)."""
    start = page.find('id="pill-results"')
    return page[start : page.find('id="pill-help"')] if start >= 0 else ""


def found(search: PillSearch) -> list[str]:
    """ "Name strength" of each pill found."""
    return [f"{m.product.name} {m.product.strength}" for m in search_pills(search).matches]


def product(ndc: str) -> PillProduct:
    item = db.session.scalar(select(PillProduct).where(PillProduct.ndc == ndc))
    assert item is not None, ndc
    return item


# Done when: tried as a new user would


def test_pd_155_finds_lipitor_10_mg_white_oval_10_mm_with_its_drawing(
    app: Flask, pills: None
) -> None:
    response = visitor(app).get("/pills?imprint=PD+155")
    assert response.status_code == 200
    results = results_of(text_of(response))
    assert "1 pill found" in results and "Lipitor 10 mg" in results
    assert "Lipitor 20 mg" not in results
    for fact in ("<dd>PD 155 10</dd>", "<dd>white</dd>", "<dd>oval</dd>", "<dd>10 mm</dd>"):
        assert fact in results
    assert "<svg" in results and "<ellipse" in results and 'fill="#f7f7f2"' in results
    assert "Drawing of a white oval pill, 10 mm, imprint PD 155 10, not scored" in results
    assert ">PD 155</tspan>" in results or ">PD 155 10</tspan>" in results
    assert "atorvastatin 10 mg" in results and "Parke-Davis Div of Pfizer Inc" in results
    assert CAUTION in results


def test_vgr_50_in_blue_finds_viagra_50_mg_blue_diamond_11_mm(app: Flask, pills: None) -> None:
    results = results_of(text_of(visitor(app).get("/pills?imprint=VGR+50&color=blue")))
    assert "1 pill found" in results and "Viagra 50 mg" in results
    for fact in ("<dd>blue</dd>", "<dd>diamond</dd>", "<dd>11 mm</dd>", "<polygon"):
        assert fact in results
    assert "sildenafil 50 mg" in results and CAUTION in results


def test_a_made_up_imprint_finds_nothing_and_says_what_to_do(app: Flask, pills: None) -> None:
    response = visitor(app).get("/pills?imprint=ZQ+9731&color=white")
    assert response.status_code == 200
    results = results_of(text_of(response))
    assert "No pill found" in results and "No pill in this identifier matches" in results
    assert "ask a pharmacist" in results and POISON_HELP in results
    assert "only knows the 8 pills of the 3 drug labels" in results
    assert "Lipitor" not in results and "<svg" not in results and CAUTION in results


# Searching


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("PD 155", ["Lipitor 10 mg"]),
        ("pd155", ["Lipitor 10 mg"]),
        ("PD-155-10", ["Lipitor 10 mg"]),
        ("pd;155;10", ["Lipitor 10 mg"]),
        ("  Pd   155 ", ["Lipitor 10 mg"]),
        ("155", ["Lipitor 10 mg"]),
        ("10 155", ["Lipitor 10 mg"]),
        ("PD 15", ["Lipitor 10 mg", "Lipitor 20 mg", "Lipitor 20 mg", "Lipitor 40 mg",
                   "Lipitor 80 mg"]),
        ("vgr 5O", ["Viagra 50 mg"]),
        ("VGR50 PFlZER", ["Viagra 50 mg"]),
        ("vgr 100", ["Viagra 100 mg"]),
        ("pfizer", ["Viagra 25 mg", "Viagra 50 mg", "Viagra 100 mg"]),
        ("VGR", ["Viagra 25 mg", "Viagra 50 mg", "Viagra 100 mg"]),
        ("10", ["Lipitor 10 mg", "Viagra 100 mg"]),
        ("GR50", []),
        ("PD 999", []),
    ],
)  # fmt: skip
def test_imprints_match_whatever_the_case_spaces_separators_and_confusions(
    app: Flask, pills: None, typed: str, expected: list[str]
) -> None:
    assert sorted(found(PillSearch(imprint=typed))) == sorted(expected)


def test_the_whole_imprint_comes_before_longer_ones_that_start_the_same(app: Flask) -> None:
    for number, imprint in enumerate(("AB;12;EXTRA", "AB;12", "AB;123")):
        services.import_label(made_up_label(f"0000000{number}-0000", imprint=imprint))
    assert found(PillSearch(imprint="ab 12")) == ["Test AB;12 5 mg", "Test AB;123 5 mg",
                                                  "Test AB;12;EXTRA 5 mg"]  # fmt: skip


def test_a_single_character_matches_only_a_lone_letter_or_digit(app: Flask) -> None:
    for number, imprint in enumerate(("M;5", "5X", "50", "A;5;12")):
        services.import_label(made_up_label(f"0000001{number}-0000", imprint=imprint))
    assert sorted(found(PillSearch(imprint="5"))) == [
        "Test 5X 5 mg", "Test A;5;12 5 mg", "Test M;5 5 mg"
    ]  # fmt: skip
    assert found(PillSearch(imprint="m 5")) == ["Test M;5 5 mg"]
    assert found(PillSearch(imprint="5 12")) == ["Test A;5;12 5 mg"]


def test_imprint_normalization_folds_confusions_and_keeps_reading_starts() -> None:
    assert imprints.imprint_key("VGR50;Pfizer") == "VGR50PF1ZER"
    assert imprints.tokens("PD;155;10") == ["10", "15510", "PD15510"]
    assert imprints.query_parts("pd-l55 / o1") == ["PD", "155", "01"]
    assert imprints.prefix_bound("PD") == "PE"
    assert imprints.prefix_bound("P9") == "PA"
    assert imprints.prefix_bound("PZZ") == "Q"
    assert imprints.prefix_bound("ZZ") is None


def test_colors_shape_size_and_score_narrow_the_search(app: Flask, pills: None) -> None:
    assert len(found(PillSearch(colors=("blue",)))) == 3
    assert len(found(PillSearch(colors=("white",)))) == 5
    assert found(PillSearch(colors=("white", "blue"))) == []
    assert len(found(PillSearch(shape="diamond"))) == 3
    assert found(PillSearch(shape="round")) == []
    assert sorted(found(PillSearch(size=11))) == [
        "Lipitor 10 mg", "Lipitor 20 mg", "Lipitor 20 mg", "Viagra 50 mg"
    ]  # fmt: skip
    assert sorted(found(PillSearch(size=13, shape="diamond"))) == ["Viagra 100 mg"]
    assert found(PillSearch(size=17)) == []
    assert len(found(PillSearch(score=1))) == 8
    assert found(PillSearch(score=2)) == []
    assert found(PillSearch(imprint="PD", colors=("white",), shape="oval", size=19)) == [
        "Lipitor 80 mg"
    ]


def test_the_page_reads_two_colors_shape_size_and_score(app: Flask, pills: None) -> None:
    client = visitor(app)
    page = results_of(text_of(client.get("/pills?color=blue&shape=diamond&size=14&score=1")))
    assert "1 pill found" in page and "Viagra 100 mg" in page
    two_tone = results_of(text_of(client.get("/pills?color=blue&second_color=white")))
    assert "No pill found" in two_tone


def test_many_pills_come_twenty_to_a_page(app: Flask) -> None:
    for number in range(25):
        services.import_label(made_up_label(f"{number:08d}", imprint=f"KK;{number + 10}"))
    client = visitor(app)
    first = results_of(text_of(client.get("/pills?imprint=kk&_scheme=javascript")))
    assert "25 pills found" in first and "Showing 1 to 20 of 25" in first
    assert first.count('class="pill-card"') == 20
    assert 'href="/pills?page=2&amp;imprint=kk"' in first
    second = results_of(text_of(client.get("/pills?imprint=kk&page=2")))
    assert second.count('class="pill-card"') == 5 and "Next 20 pills" not in second
    beyond = results_of(text_of(client.get("/pills?imprint=kk&page=9")))
    assert "back to the first ones" in beyond and "pill-card" not in beyond


def test_an_empty_search_asks_for_a_description_and_shows_no_pill(app: Flask, pills: None) -> None:
    client = visitor(app)
    first = text_of(client.get("/pills"))
    assert results_of(first) == "" and CAUTION in first
    empty = results_of(text_of(client.get("/pills?imprint=---")))
    assert "Describe the pill first" in empty and "<svg" not in empty


@pytest.mark.parametrize(
    "query",
    ["size=abc", "size=0", "size=41", "color=chartreuse", "shape=blob", "score=7",
     "imprint=" + "A" * 41],
)  # fmt: skip
def test_bad_search_input_is_a_422_with_a_message(app: Flask, pills: None, query: str) -> None:
    response = visitor(app).get(f"/pills?{query}")
    assert response.status_code == 422
    page = text_of(response)
    assert 'class="error"' in page and 'id="pill-results"' not in page


def test_visitors_reading_the_identifier_get_no_session_cookie(app: Flask, pills: None) -> None:
    client = visitor(app)
    lipitor = product("0071-0155")
    for path in (
        "/pills",
        "/pills?imprint=PD+155",
        "/pills?imprint=nothing",
        f"/pills/{lipitor.id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.getlist("Set-Cookie") == [], path
        assert "csrf_token" not in text_of(response), path


def made_up_label(set_id: str, imprint: str = "", colors: tuple[str, ...] = ("white",)) -> Label:
    look = Appearance(imprint, colors, "round", 8.0, 2)
    item = Product(
        ndc="99999-001",
        name=f"Test {imprint}",
        generic_name="",
        form="TABLET",
        package_ndcs=(),
        ingredients=(Ingredient("ATORVASTATIN CALCIUM", "ATORVASTATIN", "5 mg"),),
        appearance=look,
    )
    return Label(f"{set_id}-0000-0000-0000-000000000000", 1, "Test Labs", None, (item,))


def test_an_imprint_is_escaped_in_the_drawing_and_the_page(app: Flask) -> None:
    services.import_label(made_up_label("00000001", imprint='<script>alert(1)</script>;"x"'))
    page = text_of(visitor(app).get("/pills?imprint=script+alert"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "scored into 2 pieces" in page and "<line" in page


def test_a_two_tone_pill_is_drawn_in_both_colors(app: Flask) -> None:
    services.import_label(made_up_label("00000002", imprint="T 1", colors=("blue", "white")))
    page = results_of(text_of(visitor(app).get("/pills?imprint=T1&color=white&second_color=blue")))
    assert "1 pill found" in page
    assert "<clipPath" in page and 'fill="#4f82d6"' in page and 'fill="#f7f7f2"' in page


# Drug links and the drug page


def test_pills_link_to_the_drug_directory_once_it_is_loaded(app: Flask, tmp_path: Path) -> None:
    import_samples()
    client = visitor(app)
    before = results_of(text_of(client.get("/pills?imprint=PD+155")))
    assert "/drugs/atorvastatin" not in before and "Not in our drug directory yet" in before
    import_subset(tmp_path, (*SUBSET, "sildenafil"))
    after = results_of(text_of(client.get("/pills?imprint=PD+155")))
    assert 'href="/drugs/atorvastatin"' in after and "About Atorvastatin" in after
    viagra = results_of(text_of(client.get("/pills?imprint=VGR100")))
    assert 'href="/drugs/sildenafil"' in viagra


def test_the_drug_page_lists_its_known_pills(app: Flask, pills: None, drugs: None) -> None:
    client = visitor(app)
    page = text_of(client.get("/drugs/atorvastatin"))
    assert "What Atorvastatin pills look like" in page and CAUTION in page
    assert page.count('class="pill-card"') == 5 and "Lipitor 80 mg" in page
    assert "Viagra" not in page
    assert text_of(client.get("/drugs/sildenafil")).count('class="pill-card"') == 3
    assert "pills look like" not in text_of(client.get("/drugs/warfarin"))


def test_the_product_page_shows_the_pill_and_its_label(app: Flask, pills: None) -> None:
    lipitor = product("0071-0156")
    page = text_of(visitor(app).get(f"/pills/{lipitor.id}"))
    assert "<h1>Lipitor 20 mg</h1>" in page and "<svg" in page and CAUTION in page
    assert "c6e131fe-e7df-4876-83f7-9156fc4e8228" in page and "0071-0156-23" in page
    assert visitor(app).get("/pills/999999").status_code == 404


# Add to My Medicine


def add(client: CsrfClient, item: PillProduct | str, profile_id: int) -> TestResponse:
    product = item if isinstance(item, str) else str(item.id)
    return client.post("/my-medicine/pills", data={"product": product, "profile": str(profile_id)})


def test_adding_to_my_medicine_needs_a_login(app: Flask, pills: None, drugs: None) -> None:
    response = add(visitor(app), product("0071-0155"), 1)
    assert response.status_code == 302 and "/account/login" in response.location
    assert db.session.scalar(select(CabinetEntry.id)) is None


def test_a_member_adds_a_pill_to_a_list_and_the_entry_records_the_product(
    app: Flask, pills: None, drugs: None
) -> None:
    member = make_user()
    profile = cabinet.create_profile(member, "Me")
    client = visitor(app, member)
    page = text_of(client.get("/pills?imprint=PD+155"))
    assert 'action="/my-medicine/pills"' in page
    assert f'name="product" value="{product("0071-0155").id}"' in page
    response = add(client, product("0071-0155"), profile.id)
    assert response.status_code == 302
    assert response.location.endswith(f"/my-medicine/profiles/{profile.id}")
    entry = db.session.scalar(select(CabinetEntry))
    assert entry is not None and entry.drug.key == "atorvastatin"
    assert entry.product_id == product("0071-0155").id and entry.dose == "10 mg"
    assert entry.safety_alerts is False  # the box was not ticked in this form
    again = add(client, product("0071-0155"), profile.id)
    assert again.status_code == 422 and "already in the list Me" in text_of(again)


def test_the_button_without_a_list_asks_which_list_and_adds_nothing_yet(
    app: Flask, pills: None, drugs: None
) -> None:
    member = make_user()
    cabinet.create_profile(member, "Me")
    cabinet.create_profile(member, "Mom")
    sent = visitor(app, member).post(
        "/my-medicine/pills", data={"product": product("0071-0155").id}
    )
    page = text_of(sent)
    assert sent.status_code == 200 and "Add to this list" in page and "Mom" in page
    assert "Choose a list" not in page
    assert '<input checked id="safety_alerts" name="safety_alerts"' in sent.get_data(as_text=True)
    assert db.session.scalar(select(CabinetEntry.id)) is None


@pytest.mark.parametrize("sent", ["", "abc", "999999", "1" * 12])
def test_adding_an_unknown_product_is_not_found(
    app: Flask, pills: None, drugs: None, sent: str
) -> None:
    member = make_user()
    profile = cabinet.create_profile(member, "Me")
    assert add(visitor(app, member), sent, profile.id).status_code == 404


def test_a_pill_cannot_go_into_someone_elses_list(app: Flask, pills: None, drugs: None) -> None:
    profile = cabinet.create_profile(make_user(), "Mom")
    response = add(visitor(app, make_user()), product("0071-0155"), profile.id)
    assert response.status_code == 422 and "Not a valid choice" in text_of(response)
    with pytest.raises(NotAllowed) as refused:
        cabinet.add_pill(make_user(), product("0071-0155"), profile.id)
    assert refused.value.status == 404
    assert db.session.scalar(select(CabinetEntry.id)) is None


def test_a_pill_outside_the_drug_directory_cannot_be_added(app: Flask, pills: None) -> None:
    member = make_user()
    profile = cabinet.create_profile(member, "Me")
    client = visitor(app, member)
    assert "cannot be added to My Medicine" in text_of(client.get("/pills?imprint=VGR"))
    response = add(client, product("0069-4210"), profile.id)
    assert response.status_code == 422 and "not in our drug directory yet" in text_of(response)


def test_the_search_needs_the_same_queries_for_one_pill_or_many(app: Flask, pills: None) -> None:
    def statements(search: PillSearch) -> int:
        seen: list[str] = []

        def record(*args: Any) -> None:
            seen.append(str(args[2]))

        db.session.expire_all()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert search_pills(search).matches
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(seen)

    assert statements(PillSearch(imprint="PD 155")) == statements(PillSearch(colors=("white",)))


def test_no_shape_means_no_drawing_rather_than_a_made_up_one(app: Flask) -> None:
    label = made_up_label("00000003", imprint="NS 1")
    shapeless = replace(label.products[0], appearance=Appearance("NS 1", (), None, None, None))
    services.import_label(replace(label, products=(shapeless,)))
    page = results_of(text_of(visitor(app).get("/pills?imprint=NS1")))
    assert "No drawing: the label gives no shape." in page and "<svg" not in page
    assert "<dt>Color</dt><dd>not given</dd>" in page


def test_the_benchmark_times_imprint_searches_on_generated_products(tmp_path: Path) -> None:
    figures = pill_bench.measure(tmp_path, products=300, queries=16)
    assert figures["products"] == 300 and figures["search"]["searches"] == 16
    # Made-up imprints find nothing, nor do some with a color picked at random.
    assert 8 <= figures["search"]["with_results"] <= 14
    assert figures["search"]["p95_ms"] > 0 and figures["page"]["searches"] == 8
