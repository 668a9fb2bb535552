"""My Medicine: profiles, medicines, interaction checks, alerts, and privacy of it all."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from forum.cabinet.services import erase_cabinet, export_cabinet
from forum.drugs.importer import import_drugs
from forum.extensions import db
from forum.models import (
    CabinetEntry,
    CabinetProfile,
    CabinetSettings,
    DrugReview,
    NoticeDelivery,
    Role,
    User,
)
from tests.conftest import CsrfClient, login, text_of, visitor
from tests.drug_data import import_subset
from tests.factories import PASSWORD, make_thread, make_user

SECRET_NOTE = "take with the blue pill organiser"


def create_profile(client: CsrfClient, label: str = "Mom", **fields: str) -> int:
    response = client.post("/my-medicine/profiles", data={"label": label, **fields})
    assert response.status_code == 302, text_of(response)[:300]
    return int(response.location.rsplit("/", 1)[1])


def add(client: CsrfClient, profile_id: int, name: str, **fields: str) -> TestResponse:
    return client.post(f"/my-medicine/profiles/{profile_id}/entries", data={"drug": name, **fields})


def entry_count() -> int:
    return db.session.scalar(select(func.count(CabinetEntry.id))) or 0


@pytest.fixture
def drugs(app: Flask, tmp_path: Path) -> None:
    import_subset(tmp_path)


@pytest.fixture
def owner_cabinet(app: Flask, drugs: None) -> tuple[User, int, int]:
    """A member with a "Mom" profile holding atorvastatin (with a note)."""
    owner = make_user()
    client = visitor(app, owner)
    profile_id = create_profile(client, birth_year="1950")
    assert add(client, profile_id, "Lipitor", dose="20 mg", notes=SECRET_NOTE).status_code == 302
    entry_id = db.session.scalar(select(CabinetEntry.id))
    assert entry_id is not None
    return owner, profile_id, entry_id


# Done when: tried as a new user would


def test_walk_through_lipitor_to_an_interaction_for_mom(app: Flask) -> None:
    import_drugs()
    client = visitor(app)
    found = client.get("/drugs/", query_string={"q": "lipitor"})
    assert found.location.endswith("/drugs/atorvastatin")
    page = text_of(client.get(found.location))
    assert "What Atorvastatin is used for" in page and "Hypercholesterolemia" in page
    login(client, make_user())
    profile_id = create_profile(client, "Mom")
    assert (
        add(client, profile_id, "atorvastatin", dose="20 mg", schedule="at night").status_code
        == 302
    )
    assert add(client, profile_id, "Clarithromycin").status_code == 302
    cabinet = text_of(client.get(f"/my-medicine/profiles/{profile_id}"))
    assert "Atorvastatin + Clarithromycin" in cabinet
    assert "Precaution: may need monitoring or a dose change" in cabinet
    assert "What to do:</strong> Use weaker doses of the cholesterol lowering agent" in cabinet
    assert "Informational only: ask your pharmacist or doctor." in cabinet
    assert "ANSM" in cabinet and "September 2016" in cabinet
    reviewed = client.post(
        "/drugs/atorvastatin/reviews/new",
        data={"condition": "High cholesterol", "effectiveness": "4", "ease_of_use": "5",
              "satisfaction": "4", "comment": "Fine for me."},
    )  # fmt: skip
    assert reviewed.status_code == 302
    assert "Fine for me." in text_of(client.get("/drugs/atorvastatin"))
    thread = make_thread(body="Mom started Lipitor last week. Any tips?")
    assert 'href="/drugs/atorvastatin"' in text_of(client.get(f"/threads/{thread.id}"))


# Profiles and medicines


def test_a_member_keeps_profiles_and_medicines(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user())
    me = create_profile(client, "Me")
    mom = create_profile(client, "Mom", birth_year="1950")
    assert (
        add(client, mom, "Lipitor", start_date="2024-03-01", notes="with food").status_code == 302
    )
    index = text_of(client.get("/my-medicine/"))
    assert "Me" in index and "Mom" in index and "Atorvastatin" in index
    page = text_of(client.get(f"/my-medicine/profiles/{mom}"))
    assert "with food" in page and "since 01 Mar 2024" in page
    assert "Add at least two medicines" in page
    assert text_of(client.get(f"/my-medicine/profiles/{me}")).count("Atorvastatin") == 0


def test_profile_and_medicine_input_is_checked_and_kept(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user())
    bad_year = client.post("/my-medicine/profiles", data={"label": "Dad", "birth_year": "1700"})
    assert bad_year.status_code == 422 and "Give a year between" in text_of(bad_year)
    profile_id = create_profile(client)
    assert client.post("/my-medicine/profiles", data={"label": "Mom"}).status_code == 422
    unknown = add(client, profile_id, "atorvastatinn", notes="keep me")
    assert unknown.status_code == 422
    page = text_of(unknown)
    assert "could not find that medicine" in page and 'value="atorvastatinn"' in page
    assert "keep me" in page and "Atorvastatin" in page
    future = add(client, profile_id, "aspirin", start_date="2999-01-01")
    assert future.status_code == 422 and entry_count() == 0


def test_the_owner_edits_and_removes_medicines_and_profiles(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    owner, profile_id, entry_id = owner_cabinet
    client = visitor(app, owner)
    edited = client.post(f"/my-medicine/entries/{entry_id}/edit", data={"dose": "40 mg"})
    assert edited.status_code == 302
    assert "40 mg" in text_of(client.get(f"/my-medicine/profiles/{profile_id}"))
    assert client.post(f"/my-medicine/entries/{entry_id}/delete").status_code == 302
    assert entry_count() == 0
    renamed = client.post(f"/my-medicine/profiles/{profile_id}/edit", data={"label": "Mother"})
    assert renamed.status_code == 302
    assert client.post(f"/my-medicine/profiles/{profile_id}/delete").status_code == 302
    assert db.session.scalar(select(func.count(CabinetProfile.id))) == 0


def test_checking_a_drug_against_my_medicines_saves_nothing(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    owner, _profile_id, _entry_id = owner_cabinet
    client = visitor(app, owner)
    response = client.post("/my-medicine/check", data={"drug": "clarithromycin"})
    page = text_of(response)
    assert response.status_code == 200
    assert "Atorvastatin + Clarithromycin" in page or "Clarithromycin + Atorvastatin" in page
    assert "Informational only: ask your pharmacist or doctor." in page
    assert entry_count() == 1
    anonymous = visitor(app).post("/my-medicine/check", data={"drug": "clarithromycin"})
    assert anonymous.status_code == 302 and "/account/login" in anonymous.location


def test_the_free_checker_reports_unknown_names_as_unchecked(app: Flask, drugs: None) -> None:
    response = visitor(app).post(
        "/drugs/interactions", data={"names": "warfarin\nibuprofen\nfoobarzol"}
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "warfarin + ibuprofen" in page and "Not recommended together" in page
    assert "foobarzol: not found in our drug directory" in page
    assert visitor(app).post("/drugs/interactions", data={"names": "aspirin"}).status_code == 422


def test_keeping_medicines_needs_health_consent(app: Flask, drugs: None) -> None:
    client = visitor(app, make_user(health_consent_at=None))
    assert "privacy settings" in text_of(client.get("/my-medicine/"))
    assert client.post("/my-medicine/profiles", data={"label": "Me"}).status_code == 403
    assert db.session.scalar(select(func.count(CabinetProfile.id))) == 0


def test_news_alerts_are_opt_in(app: Flask, drugs: None) -> None:
    member = make_user()
    client = visitor(app, member)
    assert "Nothing new yet" not in text_of(client.get("/my-medicine/alerts"))
    assert client.post("/my-medicine/alerts/settings", data={"wants_news": "y"}).status_code == 302
    settings = db.session.get(CabinetSettings, member.id)
    assert settings is not None and settings.wants_news
    assert "Nothing new yet" in text_of(client.get("/my-medicine/alerts"))


def test_safety_alerts_are_the_owners_choice_per_medicine(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    """Offered checked when adding; kept by the edit page; unchecking turns them off."""
    owner, profile_id, entry_id = owner_cabinet
    client = visitor(app, owner)
    page = text_of(client.get(f"/my-medicine/profiles/{profile_id}"))
    assert "Alert me when a safety notice names this medicine" in page
    assert "Safety alerts off" in page  # owner_cabinet added Lipitor without ticking it
    assert add(client, profile_id, "metformin", safety_alerts="y").status_code == 302
    choices = dict(db.session.execute(select(CabinetEntry.id, CabinetEntry.safety_alerts)).all())
    assert choices[entry_id] is False and True in choices.values()
    edit = client.get(f"/my-medicine/entries/{entry_id}/edit")
    assert 'name="safety_alerts"' in edit.get_data(as_text=True)
    on = {"dose": "20 mg", "notes": SECRET_NOTE, "safety_alerts": "y"}
    assert client.post(f"/my-medicine/entries/{entry_id}/edit", data=on).status_code == 302
    assert db.session.get(CabinetEntry, entry_id).safety_alerts is True  # type: ignore[union-attr]
    edit = client.get(f"/my-medicine/entries/{entry_id}/edit").get_data(as_text=True)
    assert '<input checked id="safety_alerts" name="safety_alerts"' in edit
    off = {"dose": "20 mg", "notes": SECRET_NOTE}
    assert client.post(f"/my-medicine/entries/{entry_id}/edit", data=off).status_code == 302
    assert db.session.get(CabinetEntry, entry_id).safety_alerts is False  # type: ignore[union-attr]


# Privacy


def cabinet_urls(profile_id: int, entry_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/my-medicine/profiles/{profile_id}"),
        ("get", f"/my-medicine/profiles/{profile_id}/edit"),
        ("post", f"/my-medicine/profiles/{profile_id}/edit"),
        ("post", f"/my-medicine/profiles/{profile_id}/delete"),
        ("post", f"/my-medicine/profiles/{profile_id}/entries"),
        ("get", f"/my-medicine/entries/{entry_id}/edit"),
        ("post", f"/my-medicine/entries/{entry_id}/edit"),
        ("post", f"/my-medicine/entries/{entry_id}/alerts"),
        ("post", f"/my-medicine/entries/{entry_id}/delete"),
    ]


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR, Role.ADMIN])
def test_nobody_but_the_owner_reaches_a_profile(
    app: Flask, owner_cabinet: tuple[User, int, int], role: Role | None
) -> None:
    _owner, profile_id, entry_id = owner_cabinet
    client = visitor(app, make_user(role=role) if role else None)
    for method, url in cabinet_urls(profile_id, entry_id):
        data = {"label": "Hacked", "drug": "aspirin", "dose": "1 g"}
        response = client.get(url) if method == "get" else client.post(url, data=data)
        assert response.status_code == 404, (role, method, url)
        assert SECRET_NOTE not in text_of(response) and "Mom" not in text_of(response)
    assert entry_count() == 1
    assert db.session.scalar(select(CabinetProfile.label)) == "Mom"
    assert db.session.scalar(select(CabinetEntry.safety_alerts)) is False


def test_a_visitor_is_sent_to_log_in_for_the_cabinet_pages(app: Flask) -> None:
    for url in ("/my-medicine/", "/my-medicine/alerts"):
        response = visitor(app).get(url)
        assert response.status_code == 302 and "/account/login" in response.location


def test_cabinet_pages_are_never_cached_or_indexed(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    owner, profile_id, _entry_id = owner_cabinet
    response = visitor(app, owner).get(f"/my-medicine/profiles/{profile_id}")
    assert response.headers["Cache-Control"] == "no-store, private"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in text_of(response)
    assert (
        "noindex" in visitor(app).get(f"/my-medicine/profiles/{profile_id}").headers["X-Robots-Tag"]
    )


def test_the_cabinet_shows_nowhere_else(app: Flask, owner_cabinet: tuple[User, int, int]) -> None:
    owner, _profile_id, _entry_id = owner_cabinet
    other = visitor(app, make_user())
    for url in (f"/users/{owner.name}", "/drugs/atorvastatin", f"/api/v1/users/{owner.name}"):
        page = text_of(other.get(url))
        assert SECRET_NOTE not in page and "Mom" not in page and "20 mg" not in page, url
    for url in ("/search", "/api/v1/search"):
        page = text_of(other.get(url, query_string={"q": "organiser"}))
        assert "Mom" not in page and "20 mg" not in page and "/my-medicine/profiles" not in page, (
            url
        )
    own_page = text_of(visitor(app, owner).get(f"/users/{owner.name}"))
    assert SECRET_NOTE not in own_page and "20 mg" not in own_page


def test_no_medicine_or_label_is_logged(
    app: Flask, drugs: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = visitor(app, make_user())
    profile_id = create_profile(client, "Grandpa Joe")
    add(client, profile_id, "clarithromycin", notes=SECRET_NOTE)
    add(client, profile_id, "Lipitor")
    client.get(f"/my-medicine/profiles/{profile_id}")
    client.post("/my-medicine/check", data={"drug": "warfarin"})
    logged = " ".join(record.getMessage() for record in caplog.records).lower()
    for secret in ("clarithromycin", "lipitor", "atorvastatin", "warfarin", "grandpa", "organiser"):
        assert secret not in logged


def test_export_holds_the_cabinet_and_erase_removes_it(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    owner, _profile_id, _entry_id = owner_cabinet
    exported = export_cabinet(owner)
    (profile,) = exported["profiles"]
    assert profile["label"] == "Mom" and profile["birth_year"] == 1950
    assert profile["medicines"][0]["drug"] == "Atorvastatin"
    assert profile["medicines"][0]["notes"] == SECRET_NOTE
    someone_else = make_user()
    visitor(app, someone_else).post("/my-medicine/profiles", data={"label": "Me"})
    erase_cabinet(owner)
    db.session.commit()
    assert entry_count() == 0
    assert db.session.scalar(select(func.count(CabinetProfile.id))) == 1
    assert db.session.scalar(select(func.count(NoticeDelivery.id))) == 0
    assert export_cabinet(owner)["profiles"] == []


def test_the_account_export_holds_the_cabinet_and_reviews(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    owner, _profile_id, _entry_id = owner_cabinet
    client = visitor(app, owner)
    client.post(
        "/drugs/atorvastatin/reviews/new",
        data={"condition": "Cholesterol", "effectiveness": "3", "ease_of_use": "3",
              "satisfaction": "3", "comment": "Okay."},
    )  # fmt: skip
    exported = client.post("/account/privacy/export").get_json()
    assert exported["medicine_cabinet"]["profiles"][0]["medicines"][0]["notes"] == SECRET_NOTE
    assert exported["drug_reviews"][0]["comment"] == "Okay."
    other = visitor(app, make_user()).post("/account/privacy/export").get_json()
    assert other["medicine_cabinet"]["profiles"] == [] and other["drug_reviews"] == []


def test_deleting_the_account_erases_the_cabinet_and_detaches_reviews(
    app: Flask, owner_cabinet: tuple[User, int, int]
) -> None:
    owner, _profile_id, _entry_id = owner_cabinet
    client = visitor(app, owner)
    client.post("/my-medicine/alerts/settings", data={"wants_news": "y"})
    client.post(
        "/drugs/atorvastatin/reviews/new",
        data={"condition": "Cholesterol", "effectiveness": "3", "ease_of_use": "3",
              "satisfaction": "3", "comment": "Okay."},
    )  # fmt: skip
    response = client.post("/account/privacy/delete", data={"current_password": PASSWORD})
    assert response.status_code == 302
    assert entry_count() == 0
    assert db.session.scalar(select(func.count(CabinetProfile.id))) == 0
    assert db.session.get(CabinetSettings, owner.id) is None
    review = db.session.scalar(select(DrugReview))
    assert review is not None and review.author_id is None
    assert "Former member" in text_of(visitor(app).get("/drugs/atorvastatin"))
