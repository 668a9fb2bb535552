"""Read one FDA Structured Product Labeling document (HL7 v3 XML, as DailyMed publishes it):
the label's set id and version, and each product with its ingredients and pill appearance.

The parser refuses document type declarations (so no entity can expand or reach outside the
file) and skips the narrative text, which is most of a label and not needed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import IO
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from forum.drug_names import candidates
from forum.pills import vocabulary

V3 = "{urn:hl7-org:v3}"
NDC_SYSTEM = "2.16.840.1.113883.6.69"
CHARACTERISTICS = "2.16.840.1.113883.1.11.19255"
# Active ingredient classes: by moiety, by ingredient, by reference.
ACTIVE = frozenset({"ACTIM", "ACTIB", "ACTIR"})
# Narrative elements: their content is skipped while parsing.
SKIPPED = frozenset({f"{V3}text"})
MAX_BYTES = 64 * 1024 * 1024
CHUNK = 64 * 1024
_UUID = re.compile(r"^[0-9A-Fa-f-]{8,64}$")
_VERSION = re.compile(r"^[0-9]{1,9}$")


class BadLabel(Exception):
    """The file is not a readable SPL document; the message says why."""


@dataclass(frozen=True)
class Ingredient:
    substance: str
    moiety: str
    strength: str

    @property
    def drug_key(self) -> str:
        """The directory name to link by: the moiety (else substance) without salt words."""
        found = list(candidates(self.moiety or self.substance))
        return found[-1][:220] if found else ""


@dataclass(frozen=True)
class Appearance:
    imprint: str
    colors: tuple[str, ...]
    shape: str | None
    size_mm: float | None
    score: int | None


@dataclass(frozen=True)
class Product:
    ndc: str
    name: str
    generic_name: str
    form: str
    package_ndcs: tuple[str, ...]
    ingredients: tuple[Ingredient, ...]
    appearance: Appearance | None


@dataclass(frozen=True)
class Label:
    set_id: str
    version: int
    labeler: str
    effective: date | None
    products: tuple[Product, ...]

    @property
    def pill_products(self) -> tuple[Product, ...]:
        """The products whose label describes how their pill looks."""
        return tuple(p for p in self.products if p.appearance is not None)


def _refuse_doctype(*_args: object) -> None:
    raise BadLabel("document type declarations are not accepted")


class _Builder:
    """Builds the element tree from expat events, leaving out narrative text."""

    def __init__(self) -> None:
        self.tree = TreeBuilder()
        self.skipping = 0

    @staticmethod
    def name(raw: str) -> str:
        return "{" + raw if "}" in raw else raw

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = self.name(tag)
        if self.skipping or name in SKIPPED:
            self.skipping += 1
        if self.skipping <= 1:
            self.tree.start(name, {self.name(k): v for k, v in attributes.items()})

    def end(self, tag: str) -> None:
        if self.skipping <= 1:
            self.tree.end(self.name(tag))
        if self.skipping:
            self.skipping -= 1

    def data(self, text: str) -> None:
        if not self.skipping:
            self.tree.data(text)


def parse_xml(stream: IO[bytes]) -> Element:
    """The document's element tree (without narrative text); BadLabel if it cannot be read."""
    builder = _Builder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    read = 0
    try:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > MAX_BYTES:
                raise BadLabel(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        return builder.tree.close()
    except expat.ExpatError as error:
        raise BadLabel(f"not well-formed XML ({expat.ErrorString(error.code)}, "
                       f"line {error.lineno})") from error  # fmt: skip
    except AssertionError as error:  # TreeBuilder: nothing was built
        raise BadLabel("not an XML document") from error
    except (LookupError, ValueError) as error:  # an unknown or broken text encoding
        raise BadLabel(f"unreadable text ({error})") from error


def read_label(stream: IO[bytes]) -> Label:
    """Read an SPL document; BadLabel if it is not one."""
    root = parse_xml(stream)
    if root.tag != f"{V3}document":
        raise BadLabel("not an SPL document (no HL7 v3 <document> root)")
    set_id = _attr(root, "setId", "root")
    version = _attr(root, "versionNumber", "value")
    if not (_UUID.match(set_id) and _VERSION.match(version)):
        raise BadLabel("no set id or version number")
    return Label(
        set_id=set_id.lower(),
        version=int(version),
        labeler=_text(
            root.find(f"{V3}author/{V3}assignedEntity/{V3}representedOrganization/{V3}name")
        ),
        effective=_date(_attr(root, "effectiveTime", "value")),
        products=tuple(_products(root)),
    )


def _attr(element: Element, child: str, name: str) -> str:
    found = element.find(f"{V3}{child}")
    return (found.get(name) or "").strip() if found is not None else ""


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _date(value: str) -> date | None:
    if len(value) < 8 or not (value[:8].isascii() and value[:8].isdigit()):
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _products(root: Element) -> list[Product]:
    """The products of the label's product data sections (kits' parts are not read)."""
    found: list[Product] = []
    for outer in root.iterfind(f".//{V3}subject/{V3}manufacturedProduct"):
        inner = outer.find(f"{V3}manufacturedProduct")
        if inner is None:
            inner = outer.find(f"{V3}manufacturedMedicine")
        if inner is not None:
            found.append(_product(outer, inner, len(found) + 1))
    return found


def _product(outer: Element, inner: Element, position: int) -> Product:
    code = inner.find(f"{V3}code")
    ndc = code.get("code", "") if code is not None and code.get("codeSystem") == NDC_SYSTEM else ""
    form = inner.find(f"{V3}formCode")
    packages = [
        c.get("code", "")
        for c in inner.iterfind(f".//{V3}containerPackagedProduct/{V3}code")
        if c.get("codeSystem") == NDC_SYSTEM and c.get("code")
    ]
    return Product(
        ndc=(ndc or f"#{position}")[:20],
        name=_text(inner.find(f"{V3}name"))[:200],
        generic_name=_text(inner.find(f"{V3}asEntityWithGeneric/{V3}genericMedicine/{V3}name"))[
            :300
        ],
        form=(form.get("displayName", "") if form is not None else "")[:100],
        package_ndcs=tuple(dict.fromkeys(packages)),
        ingredients=tuple(_ingredients(inner)),
        appearance=_appearance(outer),
    )


def _ingredients(inner: Element) -> list[Ingredient]:
    found = []
    for item in inner.iterfind(f"{V3}ingredient"):
        if item.get("classCode") not in ACTIVE:
            continue
        substance = item.find(f"{V3}ingredientSubstance")
        if substance is None:
            continue
        moiety = substance.find(f"{V3}activeMoiety/{V3}activeMoiety/{V3}name")
        found.append(
            Ingredient(
                substance=_text(substance.find(f"{V3}name"))[:300],
                moiety=_text(moiety)[:300],
                strength=_strength(item.find(f"{V3}quantity")),
            )
        )
    return [i for i in found if i.substance or i.moiety]


def _number(value: str) -> str:
    """ "10" -> "10", "2.50" -> "2.5"; anything else as it is."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:g}"


def _strength(quantity: Element | None) -> str:
    """ "10 mg", or "5 mg/5 mL" when the amount is per more than one unit."""
    if quantity is None:
        return ""
    numerator, denominator = quantity.find(f"{V3}numerator"), quantity.find(f"{V3}denominator")
    if numerator is None or not numerator.get("value"):
        return ""
    unit = numerator.get("unit", "")
    text = f"{_number(numerator.get('value', ''))} {unit if unit != '1' else ''}".strip()
    if denominator is not None:
        per, per_unit = _number(denominator.get("value", "1")), denominator.get("unit", "1")
        if per != "1" or per_unit != "1":
            text += "/" + (f"{per} {per_unit}" if per != "1" else per_unit)
    return text[:60]


def _appearance(outer: Element) -> Appearance | None:
    """The pill's appearance; None without imprint, color and shape (size alone is no pill)."""
    imprint, colors, shape, size, score = "", [], None, None, None
    for item in outer.iterfind(f"{V3}subjectOf/{V3}characteristic"):
        code, value = item.find(f"{V3}code"), item.find(f"{V3}value")
        if code is None or value is None or code.get("codeSystem") != CHARACTERISTICS:
            continue
        kind = code.get("code")
        if kind == "SPLIMPRINT":
            imprint = _text(value)[:200]
        elif kind == "SPLCOLOR":
            colors.append(vocabulary.decode("color", value.get("code", ""), _name(value)))
        elif kind == "SPLSHAPE":
            shape = vocabulary.decode("shape", value.get("code", ""), _name(value))
        elif kind == "SPLSIZE":
            size = _size(value)
        elif kind == "SPLSCORE":
            raw = value.get("value", "")
            score = int(raw) if len(raw) == 1 and raw in "123456789" else None
    found_colors = tuple(dict.fromkeys(c for c in colors if c))[:2]
    if not (imprint or found_colors or shape):
        return None
    return Appearance(imprint, found_colors, shape, size, score)


def _name(value: Element) -> str:
    return value.get("displayName", "")


def _size(value: Element) -> float | None:
    """The size in mm (labels give mm; a value in another unit or out of range is dropped)."""
    try:
        size = float(value.get("value", ""))
    except ValueError:
        return None
    return size if value.get("unit", "mm") == "mm" and 0 < size <= 100 else None
