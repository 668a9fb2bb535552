"""`flask import pills`: real SPL labels, broken files, DailyMed zips, versions and reruns."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from forum.cabinet import services as cabinet
from forum.extensions import db
from forum.models import CabinetEntry, Pill, PillImprintToken, PillProduct
from forum.pills.importer import SAMPLES_DIR, import_paths, import_samples
from forum.pills.services import Outcome
from tests.drug_data import drug, import_subset
from tests.factories import make_user

LIPITOR = SAMPLES_DIR / "lipitor-orig.xml"
VIAGRA = SAMPLES_DIR / "viagra-64f8040f.xml"
LAUGHS = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><d>&b;</d>'


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def pill_by_imprint(imprint: str) -> Pill:
    found = db.session.scalars(select(Pill).where(Pill.imprint == imprint)).all()
    assert len(found) == 1, imprint
    return found[0]


def label_text(path: Path = LIPITOR) -> str:
    return path.read_text(encoding="utf-8")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_three_real_labels_give_their_eight_real_pills(app: Flask) -> None:
    report = import_samples()
    assert report.outcomes[Outcome.NEW] == 3 and not report.bad
    assert count(Pill) == 8 and count(PillProduct) == 8
    lipitor = pill_by_imprint("PD;155;10")
    assert lipitor.product.name == "Lipitor" and lipitor.product.strength == "10 mg"
    assert (lipitor.color, lipitor.second_color, lipitor.shape) == ("white", None, "oval")
    assert (lipitor.size_mm, lipitor.score, lipitor.imprint_key) == (10, 1, "PD15510")
    assert lipitor.product.ndc == "0071-0155"
    assert lipitor.product.labeler == "Parke-Davis Div of Pfizer Inc"
    assert "0071-0155-23" in lipitor.product.package_ndcs.split()
    ingredient = lipitor.product.ingredients[0]
    assert (ingredient.substance, ingredient.moiety) == ("ATORVASTATIN CALCIUM TRIHYDRATE",
                                                         "ATORVASTATIN")  # fmt: skip
    assert ingredient.drug_key == "atorvastatin"
    viagra = pill_by_imprint("VGR50;Pfizer")
    assert (viagra.product.name, viagra.product.strength) == ("Viagra", "50 mg")
    assert (viagra.color, viagra.shape, viagra.size_mm) == ("blue", "diamond", 11)
    assert viagra.product.ingredients[0].drug_key == "sildenafil"
    repacked = db.session.scalar(select(PillProduct).where(PillProduct.ndc == "55289-800"))
    assert repacked is not None and repacked.labeler == "PD-Rx Pharmaceuticals, Inc."
    assert repacked.pills[0].imprint == "PD;156;20"
    tokens = db.session.scalars(
        select(PillImprintToken.token).where(PillImprintToken.pill_id == viagra.id)
    )
    assert sorted(tokens) == ["50PF1ZER", "PF1ZER", "VGR50PF1ZER"]


def test_importing_the_same_labels_again_changes_nothing(app: Flask) -> None:
    import_samples()
    ids = sorted(db.session.scalars(select(Pill.id)))
    again = import_samples()
    assert again.outcomes[Outcome.UNCHANGED] == 3 and again.stored == 0
    assert sorted(db.session.scalars(select(Pill.id))) == ids
    assert count(PillImprintToken) == 24


def test_a_newer_version_replaces_the_older_one_and_an_older_one_is_ignored(
    app: Flask, tmp_path: Path
) -> None:
    import_paths([LIPITOR])
    kept = db.session.scalar(select(PillProduct).where(PillProduct.ndc == "0071-0155"))
    dropped = db.session.scalar(select(PillProduct).where(PillProduct.ndc == "0071-0158"))
    assert kept is not None and dropped is not None
    kept_id, dropped_id = kept.id, dropped.id
    import_subset(tmp_path)
    owner = make_user()
    profile = cabinet.create_profile(owner, "Me")
    entry_id = cabinet.add_product(owner, profile, drug("atorvastatin"), dropped_id, "80 mg").id

    text = label_text().replace('<versionNumber value="11"/>', '<versionNumber value="12"/>')
    text = text.replace("PD;155;10", "PD 155;10 NEW")
    # Version 12 no longer has the 80 mg product: its code is renamed out of the product list.
    text = text.replace('<code code="0071-0158" codeSystem="2.16.840.1.113883.6.69"/>\n'
                        "                        <name>Lipitor</name>",
                        '<code code="0071-9999" codeSystem="2.16.840.1.113883.6.69"/>\n'
                        "                        <name>Lipitor</name>")  # fmt: skip
    newer = import_paths([write(tmp_path, "lipitor-v12.xml", text)])
    assert newer.outcomes[Outcome.UPDATED] == 1
    db.session.expire_all()
    assert db.session.get(PillProduct, kept_id).version == 12  # type: ignore[union-attr]
    assert pill_by_imprint("PD 155;10 NEW").product_id == kept_id
    assert db.session.scalar(select(func.count(Pill.id)).where(Pill.imprint == "PD;155;10")) == 0
    assert db.session.get(PillProduct, dropped_id) is None
    assert db.session.get(CabinetEntry, entry_id).product_id is None  # type: ignore[union-attr]
    assert count(PillProduct) == 4
    assert "NEW" in db.session.scalars(select(PillImprintToken.token)).all()

    older = import_paths([LIPITOR])
    assert older.outcomes[Outcome.OLDER] == 1
    assert count(PillProduct) == 4 and pill_by_imprint("PD 155;10 NEW")


def test_broken_and_hostile_files_are_listed_and_skipped(app: Flask, tmp_path: Path) -> None:
    bad = [
        write(tmp_path, "truncated.xml", label_text()[:20_000]),
        write(tmp_path, "notes.txt", "Lipitor PD 155, white oval"),
        write(tmp_path, "empty.xml", ""),
        write(tmp_path, "other.xml", "<?xml version='1.0'?><catalog><item/></catalog>"),
        write(tmp_path, "laughs.xml", LAUGHS),
        write(tmp_path, "fake.zip", "not a zip"),
        write(tmp_path, "no-version.xml", label_text().replace("versionNumber", "versionX")),
    ]
    report = import_paths([*bad, VIAGRA])
    assert report.outcomes[Outcome.NEW] == 1 and count(Pill) == 3
    reasons = dict(report.bad)
    assert set(reasons) == {str(path) for path in bad}
    assert "not well-formed XML" in reasons[str(tmp_path / "truncated.xml")]
    assert "document type declarations are not accepted" in reasons[str(tmp_path / "laughs.xml")]
    assert "not an SPL document" in reasons[str(tmp_path / "other.xml")]
    assert "not a zip file" in reasons[str(tmp_path / "fake.zip")]
    assert "no set id or version" in reasons[str(tmp_path / "no-version.xml")]


def test_a_dailymed_zip_of_zips_is_read_in_memory_and_a_bad_member_skipped(
    app: Flask, tmp_path: Path
) -> None:
    archive = tmp_path / "dm_spl_release_human_rx_part1.zip"
    archive.write_bytes(
        zipped(
            {
                "prescription/20171107_0b0be196.zip": zipped(
                    {"0b0be196.xml": VIAGRA.read_bytes(), "viagra-01.jpg": b"\xff\xd8 image"}
                ),
                "prescription/20140113_c6e131fe.zip": zipped(
                    {"c6e131fe.xml": LIPITOR.read_bytes()}
                ),
                "prescription/broken.zip": b"PK\x03\x04 this is not really a zip",
                "prescription/images-only.zip": zipped({"a.jpg": b"\xff\xd8"}),
                "prescription/bad-label.zip": zipped({"x.xml": b"<document>"}),
                "README.txt": b"ignored",
            }
        )
    )
    before = set(tmp_path.iterdir())
    report = import_paths([archive])
    assert report.outcomes[Outcome.NEW] == 2 and count(Pill) == 7
    names = sorted(name for name, _reason in report.bad)
    assert names == [
        f"{archive.name}!prescription/bad-label.zip!x.xml",
        f"{archive.name}!prescription/broken.zip",
        f"{archive.name}!prescription/images-only.zip",
    ]
    assert set(tmp_path.iterdir()) == before, "nothing is extracted to disk"


def test_a_label_without_appearance_data_stores_no_pill(app: Flask, tmp_path: Path) -> None:
    text = label_text(VIAGRA)
    for kind in ("SPLCOLOR", "SPLSHAPE", "SPLIMPRINT"):
        text = text.replace(f'code="{kind}"', 'code="SPLOTHER"')
    report = import_paths([write(tmp_path, "viagra-no-look.xml", text)])
    assert report.outcomes[Outcome.NO_PILLS] == 1 and not report.bad
    assert count(PillProduct) == 0 and count(Pill) == 0


def test_the_command_shows_a_summary_and_lists_bad_files_on_stderr(
    app: Flask, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    broken = write(tmp_path, "broken.xml", "<document")
    result = runner.invoke(args=["import", "pills", str(SAMPLES_DIR), str(broken)])
    assert result.exit_code == 0, result.output
    assert "3 labels read (3 new, 0 updated, 0 unchanged, 0 older, 0 without pills)" in (
        result.stdout
    )
    assert "1 bad file" in result.stdout and "the identifier holds 8 pills from 3 labels" in (
        result.stdout
    )
    assert f"skipped {broken}: not well-formed XML" in result.stderr
    again = runner.invoke(args=["import", "pills", str(SAMPLES_DIR)])
    assert again.exit_code == 0 and "3 unchanged" in again.stdout


@pytest.mark.parametrize("names", [["broken.xml"], []])
def test_the_command_fails_when_no_label_could_be_read(
    app: Flask, tmp_path: Path, names: list[str]
) -> None:
    folder = tmp_path / "labels"
    folder.mkdir()
    for name in names:
        write(folder, name, "not xml")
    result = app.test_cli_runner().invoke(args=["import", "pills", str(folder)])
    assert result.exit_code == 1
    assert "no SPL label could be read" in result.stderr


def test_the_demo_imports_the_three_samples_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0 and "3 pill labels" in first.output
    assert count(Pill) == 8
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0 and "pill labels" not in second.output and count(Pill) == 8
