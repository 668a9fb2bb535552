"""A drawing of a pill from its label's shape, colors, size and imprint (no photos offline).

Geometry only: `templates/pills/_drawing.html` turns it into an inline SVG, escaping the
imprint. Units are millimetres, so pills of different sizes are drawn to one scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from forum.models import Pill
from forum.pills import imprints, vocabulary

PX_PER_MM = 12
MIN_PX, MAX_PX = 54, 230
DEFAULT_MM = 10.0
PAD = 0.4
FILLS = {
    "black": "#2b2b2b",
    "gray": "#a2a5a8",
    "white": "#f7f7f2",
    "red": "#c8312f",
    "purple": "#7b4fa3",
    "pink": "#f3a9c6",
    "green": "#3d9a50",
    "yellow": "#f5d63d",
    "orange": "#f08a24",
    "brown": "#8b5a2b",
    "blue": "#4f82d6",
    "turquoise": "#38b6b1",
}
UNKNOWN_FILL = "#ffffff"
DARK_FILLS = frozenset({"black", "red", "purple", "green", "brown", "blue"})
# Height over width of each shape's box.
ASPECT = {
    "oval": 0.56, "capsule": 0.4, "bullet": 0.42, "rectangle": 0.5, "diamond": 0.72,
    "semi-circle": 0.5, "tear": 0.62, "trapezoid": 0.62, "triangle": 0.87,
    "double-circle": 0.56, "freeform": 0.7,
}  # fmt: skip
SIDES = {"triangle": 3, "pentagon": 5, "hexagon": 6, "heptagon": 7, "octagon": 8}
# The imprint's room in each shape: share of the width, share of the height, and where its
# middle is (share of the height); others get (0.8, 0.7, 0.5).
TEXT_ROOM = {
    "diamond": (0.5, 0.5, 0.5), "triangle": (0.42, 0.34, 0.66), "tear": (0.55, 0.6, 0.5),
    "semi-circle": (0.62, 0.5, 0.62), "trapezoid": (0.62, 0.6, 0.5), "round": (0.72, 0.6, 0.5),
    "oval": (0.74, 0.62, 0.5), "gear": (0.62, 0.55, 0.5), "clover": (0.66, 0.55, 0.5),
    "pentagon": (0.64, 0.55, 0.55), "hexagon": (0.72, 0.6, 0.5), "heptagon": (0.72, 0.6, 0.5),
    "octagon": (0.74, 0.62, 0.5), "double-circle": (0.8, 0.6, 0.5), "bullet": (0.76, 0.7, 0.5),
}  # fmt: skip


@dataclass(frozen=True)
class Element:
    """One SVG element of the outline: its tag and numeric attributes."""

    tag: str
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    width_px: int
    height_px: int
    outline: tuple[Element, ...]
    fill: str
    second_fill: str | None
    score_lines: tuple[Element, ...]
    lines: tuple[str, ...]
    font_size: float
    # Where the middle of the imprint goes (lower in a triangle, where it is wider).
    text_y: float
    text_fill: str
    label: str


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _element(tag: str, **attributes: float | str) -> Element:
    pairs = tuple(
        (name.replace("_", "-"), _n(v) if isinstance(v, float | int) else v)
        for name, v in attributes.items()
    )
    return Element(tag, pairs)


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _regular(sides: int, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    start = -math.pi / 2
    return [
        (cx + r * math.cos(start + 2 * math.pi * i / sides),
         cy + r * math.sin(start + 2 * math.pi * i / sides))
        for i in range(sides)
    ]  # fmt: skip


def _corners(shape: str, w: float, h: float) -> list[tuple[float, float]] | None:
    """The corners of a straight-sided shape in the box (PAD, PAD, w, h); None otherwise."""
    x0, y0, cx, cy = PAD, PAD, PAD + w / 2, PAD + h / 2
    if shape == "diamond":
        return [(cx, y0), (x0 + w, cy), (cx, y0 + h), (x0, cy)]
    if shape in SIDES:
        return _regular(SIDES[shape], cx, cy + (h * 0.12 if shape == "triangle" else 0), w / 2)
    if shape == "trapezoid":
        inset = w * 0.18
        return [(x0 + inset, y0), (x0 + w - inset, y0), (x0 + w, y0 + h), (x0, y0 + h)]
    if shape == "gear":
        radii = [w / 2 if i % 2 == 0 else w * 0.4 for i in range(24)]
        return [
            (cx + r * math.cos(math.pi * i / 12), cy + r * math.sin(math.pi * i / 12))
            for i, r in enumerate(radii)
        ]
    return None


def _curves(shape: str, w: float, h: float) -> tuple[Element, ...]:
    """A shape with curves in the box (PAD, PAD, w, h)."""
    x0, y0, cx, cy, r = PAD, PAD, PAD + w / 2, PAD + h / 2, h / 2
    if shape == "round":
        return (_element("circle", cx=cx, cy=cy, r=w / 2),)
    if shape == "oval":
        return (_element("ellipse", cx=cx, cy=cy, rx=w / 2, ry=r),)
    if shape in ("capsule", "rectangle", "square"):
        radius = r if shape == "capsule" else min(w, h) * 0.12
        return (_element("rect", x=x0, y=y0, width=w, height=h, rx=radius),)
    end, arc = _n(x0 + w - r), f"A{_n(r)},{_n(r)} 0 0 1"
    if shape == "bullet":
        path = f"M{_n(x0)},{_n(y0)} H{end} {arc} {end},{_n(y0 + h)} H{_n(x0)} Z"
        return (_element("path", d=path),)
    if shape == "tear":
        path = f"M{_n(x0)},{_n(cy)} L{end},{_n(y0)} {arc} {end},{_n(y0 + h)} Z"
        return (_element("path", d=path, stroke_linejoin="round"),)
    if shape == "semi-circle":
        path = f"M{_n(x0)},{_n(y0 + h)} A{_n(w / 2)},{_n(h)} 0 0 1 {_n(x0 + w)},{_n(y0 + h)} Z"
        return (_element("path", d=path),)
    if shape == "double-circle":
        return (
            _element("circle", cx=x0 + r, cy=cy, r=r),
            _element("circle", cx=x0 + w - r, cy=cy, r=r),
        )
    if shape == "clover":
        leaf = w * 0.27
        return tuple(
            _element("circle", cx=cx + dx * leaf * 0.85, cy=cy + dy * leaf * 0.85, r=leaf)
            for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0))
        )
    # Freeform (or a shape outside the vocabulary): a rounded outline, said in words too.
    return (_element("rect", x=x0, y=y0, width=w, height=h, rx=min(w, h) * 0.35),)


def _outline(shape: str, w: float, h: float) -> tuple[Element, ...]:
    corners = _corners(shape, w, h)
    if corners is None:
        return _curves(shape, w, h)
    return (_element("polygon", points=_points(corners), stroke_linejoin="round"),)


def _score_lines(score: int | None, w: float, h: float) -> tuple[Element, ...]:
    """Score lines across the pill: one for 2 pieces, two for 3, a cross for 4."""
    if not score or score < 2:
        return ()
    # Drawn across the whole box: the template clips them to the outline.
    top, bottom = PAD + h * 0.06, PAD + h * 0.94
    if score == 4:
        return (
            _element("line", x1=PAD + w / 2, y1=top, x2=PAD + w / 2, y2=bottom),
            _element("line", x1=PAD + w * 0.06, y1=PAD + h / 2, x2=PAD + w * 0.94, y2=PAD + h / 2),
        )
    return tuple(
        _element("line", x1=PAD + w * i / score, y1=top, x2=PAD + w * i / score, y2=bottom)
        for i in range(1, score)
    )


def _lines(parts: list[str]) -> tuple[str, ...]:
    """The imprint on one or two lines."""
    text = " ".join(parts)
    if len(parts) < 2 or len(text) <= 7:
        return (text,) if text else ()
    half = max(range(1, len(parts)), key=lambda i: -abs(len(" ".join(parts[:i])) - len(text) / 2))
    return (" ".join(parts[:half]), " ".join(parts[half:]))


def describe(pill: Pill) -> str:
    """The pill in words: "white oval pill, 10 mm, imprint PD 155 10, not scored"."""
    colors = " and ".join(pill.colors) or "color not given"
    shape = vocabulary.label_of("shape", pill.shape).lower() if pill.shape else "shape not given"
    size = f"{_n(pill.size_mm)} mm" if pill.size_mm else "size not given"
    imprint = f"imprint {imprints.display(pill.imprint)}" if pill.imprint else "no imprint"
    score = {None: "", 1: ", not scored"}.get(pill.score, f", scored into {pill.score} pieces")
    return f"{colors} {shape} pill, {size}, {imprint}{score}"


def draw(pill: Pill) -> Drawing | None:
    """The drawing; None when the label gives no shape (a shape is never made up)."""
    if not pill.shape:
        return None
    size = pill.size_mm or DEFAULT_MM
    w, h = size, size * ASPECT.get(pill.shape, 1.0)
    lines = _lines(pill.imprint_parts)
    longest = max((len(line) for line in lines), default=1)
    room_w, room_h, middle = TEXT_ROOM.get(pill.shape, (0.8, 0.7, 0.5))
    font = min(h * room_h / max(len(lines), 1) / 1.1, w * room_w / (longest * 0.62))
    scale = min(MAX_PX, max(MIN_PX, size * PX_PER_MM)) / size
    return Drawing(
        width=w + 2 * PAD,
        height=h + 2 * PAD,
        width_px=round((w + 2 * PAD) * scale),
        height_px=round((h + 2 * PAD) * scale),
        outline=_outline(pill.shape, w, h),
        fill=FILLS.get(pill.color or "", UNKNOWN_FILL),
        second_fill=FILLS.get(pill.second_color or "", UNKNOWN_FILL) if pill.second_color else None,
        score_lines=_score_lines(pill.score, w, h),
        lines=lines,
        font_size=round(min(font, 3.2), 2),
        text_y=round(PAD + h * middle, 2),
        text_fill="#ffffff" if pill.color in DARK_FILLS else "#1b2330",
        label="Drawing of a " + describe(pill),
    )
