"""One style vocabulary for every renderer: the web maps (outputs/maps/, with the map's script and styles in
outputs/map/), their legend, and the print images (outputs/print_page.py) read the same rules here, and the script and
styles get them as data.

The atlas's own scripts and styles (map/atlas-map.js, map/atlas-map.css, docs/assets/, the theme's) are served with
the words between two `@` signs filled in from `script_values()`: the size at which a map folds its controls away (a
phone, or a small frame in a report), the addresses of a project's and a county's page, and the type. A value is
written here once and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import routes
from .schema import FEATURE_STATUSES, KINDS, LAYERS, PHASES, STATUS_PHASES, by_key

STATUS = by_key(FEATURE_STATUSES)
PHASE = by_key(PHASES)
# A map's own size at which its layer list and legend start folded (its iframe on a phone, or in a report).
NARROW = "(max-width: 600px), (max-height: 460px)"
# The print images' matplotlib marker for each point shape of the web maps (schema.KIND_SHAPES).
PRINT_MARKERS = {"circle": "o", "square": "s", "triangle": "^", "diamond": "D", "cross": "P"}
# The type for Chinese text on every system readers use (Apple, Windows, Android and Linux), Latin faces first: named,
# so that a browser does not search the system's fonts for each Chinese character (on this machine that search made
# a city page's first layouts several times slower).
FONT_FAMILY = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", '
               '"Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
               '"WenQuanYi Micro Hei", sans-serif')
TOKEN = "@{}@"
UNFILLED = re.compile(r"@[a-z]+(?:-[a-z]+)*@")


# How each phase is drawn, on every map and print: built lines solid and points filled; under construction lines in
# long dashes and points tinted; planned lines dotted and points hollow. `web_dash` is a Leaflet/SVG dash array in
# pixels, `print_dash` a matplotlib dash pattern in line widths, `fill` the opacity of a point's colour inside its
# outline (0: white).
@dataclass(frozen=True)
class PhaseStyle:
    web_dash: str | None
    print_dash: tuple[float, float] | None
    fill: float


PHASE_STYLES = {
    "built": PhaseStyle(None, None, 1.0),
    "construction": PhaseStyle("10 5", (4.0, 1.6), 0.35),
    "planned": PhaseStyle("1 6", (0.6, 2.4), 0.0),
}


def phase_of(feature) -> str:
    """A feature's phase (PHASES key): from its progress when recorded, otherwise from its documents' status."""
    phase = feature.get("phase") if hasattr(feature, "get") else None
    return phase or STATUS_PHASES.get(feature["status"], "planned")


def phase_label(phase: str) -> str:
    return PHASE[phase].zh


def kinds_of(layer: str) -> list[str]:
    """The kinds of feature a map layer shows, in the vocabulary's order."""
    return [kind.key for kind in KINDS if kind.note == layer]


def layer_of(kind: str):
    """The map layer (a LAYERS term) that shows a kind of feature."""
    return next(layer for layer in LAYERS if kind in kinds_of(layer.key))


def script_values() -> dict[str, str]:
    """What the map's script and styles take from the vocabulary, by the token that stands for it."""
    before, _, after = routes.html(routes.project("{id}")).partition("{id}")
    county_before, _, county_after = routes.html(routes.county("{id}")).partition("{id}")
    return {"narrow": NARROW, "project-page-before-id": before, "project-page-after-id": after,
            "county-page-before-id": county_before, "county-page-after-id": county_after,
            "font-family": FONT_FAMILY}


def filled(path: Path) -> str:
    """A script or stylesheet of the atlas's own (map/, docs/assets/, the theme's) with its tokens filled in; a token
    left unknown is an error, not a blank."""
    text = path.read_text(encoding="utf-8")
    for name, value in script_values().items():
        text = text.replace(TOKEN.format(name), value)
    if UNFILLED.search(text):
        raise ValueError(f"{path.name}: token {UNFILLED.search(text)[0]} is not in style.script_values()")
    return text
