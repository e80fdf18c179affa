"""Where the blocks of a print image go: the title, the map, the legend (with the scale and north), the numbered key
and the footer, on a page of the size's width and at most its height. The map keeps its frame's shape and is made as
large as the page allows, with the legend and key below it or beside it, never over it: each arrangement is laid out
and the one that gives the largest map is kept.

Boxes are in inches from the page's top left corner.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ..vocabulary import style
from ..vocabulary.schema import KIND_SHAPES, KINDS, PHASES
from .maps.words import ZH, term_label, words

CLOSING = "）)」』、，。；：”"  # never at the start of a wrapped line
CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
# Where a line may break: between any two Chinese characters, and in other text after a space or a dash (a word,
# with the spaces after it, or a dash, is one piece; "Hohhot–Baotou" may break after its dash).
PIECES = re.compile(f"[{CJK}]|[^\\s\\-–{CJK}]+[-–]?\\s*|[-–]\\s*|\\s+")
SWATCH = 0.36  # inches from a legend entry's symbol to its text
GAP = 0.1  # inches between blocks stacked on the page
SIDE_GAP = 0.2  # inches between the map and a column beside it
SCALE_BAR = 1.0  # inches: the scale bar is the longest round distance up to this long
KEY_COLUMN = 18  # a key column below the map is at least this many ems of the key's type wide
KEY_SIDE = 20  # ems: the width of the key in a column beside the map


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Piece:
    """A piece of the numbered key: a number, a feature's symbol or a line of its name, at `x` inches from the key's
    left on its `line` (counted from the key's first line below its title)."""

    x: float
    line: int
    role: str  # "number", "symbol" or "name"
    text: str
    number: str  # of the entry it belongs to (a crowd's members belong to its number)
    fid: str | None = None


@dataclass(frozen=True)
class Key:
    """The key at one level of compactness: its entries (number, feature id or None, name), type size, and whether
    they are set in a table (number, symbol, name in columns) or run on as text."""

    entries: list
    size: float
    run_on: bool = False


@dataclass
class Layout:
    """The page's size and each block's box; the legend's and key's columns, and the key's cells."""

    page: tuple[float, float]
    arrangement: str  # "below", "legend-beside" or "beside": where the legend and key go
    title: Box
    map: Box
    legend: Box
    legend_cols: int
    footer: Box
    footer_lines: list[str]
    key: Box | None = None
    key_pieces: list[Piece] = field(default_factory=list)
    key_size: float = 0.0  # the key's type size (points)
    title_size: float = 0.0  # the title's type size (points): the size's, or smaller for a title too long for it


def legend_entries(features, numbered: bool, lang: str = ZH) -> list[tuple[tuple, str]]:
    """((swatch, colour, has line, has point, marker or phase), text) for each kind shown and each phase drawn (as
    the web map's legend names them), the numbers, the scale and north, in edition `lang`."""
    said = words(lang)
    shapes = list(zip(features["kind"], features.geometry.geom_type, [style.phase_of(row)
                                                                       for _, row in features.iterrows()], strict=True))
    entries = []
    for kind in KINDS:
        types = {shape for key, shape, _ in shapes if key == kind.key}
        if types:
            entries.append((("kind", kind.color, types != {"Point"}, "Point" in types,
                             style.PRINT_MARKERS[KIND_SHAPES[kind.key]]), term_label(kind, lang)))
    for phase in PHASES:
        types = {shape for _, shape, drawn in shapes if drawn == phase.key}
        if types:
            entries.append((("phase", "#555555", types != {"Point"}, "Point" in types, phase.key),
                            term_label(phase, lang)))
    if numbered:
        entries.append((("number", "#34495e", False, False, ""), said["numbers_note"]))
    entries.append((("scale", "#000000", False, False, ""), said["kilometres"].format(200)))  # the longest scale text
    entries.append((("north", "#000000", False, False, ""), said["north"]))
    return entries


def entry_width(entry, size, measure) -> float:
    """Points a legend entry takes: its symbol (or the scale bar) and its text."""
    (swatch, *_), text = entry
    before = {"scale": SCALE_BAR + 0.08, "north": 0.0}.get(swatch, SWATCH)
    return before * 72 + measure(text, size.small)[0] + size.small * 1.5


def wrap_chars(text: str, room: float, width, first: float | None = None) -> list[str]:
    """Fill each line up to `room` points (the first up to `first`), breaking Chinese between any two characters and
    other text after a space or a dash (PIECES; a word longer than a line between its letters), never starting a
    line with a closing mark; a line keeps the spaces after its last word (the text reads the same when its lines are
    joined). `width`: a string's width."""
    lines, used, limit = [""], 0.0, room if first is None else first
    for piece in pieces(text, room, width):
        w, shown = width(piece), width(piece.rstrip())  # a line may end in the spaces after its last word
        if used + shown > limit and piece[0] not in CLOSING and (lines[-1] or (first is not None and len(lines) == 1)):
            lines.append("")
            used, limit = 0.0, room
        lines[-1] += piece
        used += w
    return lines


def pieces(text: str, room: float, width) -> list[str]:
    """The text's unbreakable pieces (PIECES), a piece wider than `room` cut into its characters."""
    out = []
    for piece in PIECES.findall(text):
        out += list(piece) if width(piece.rstrip()) > room else [piece]
    return out


def key_pieces(key: Key, width: float, cols: int, measure) -> tuple[list[Piece], int]:
    """The key's pieces in a block `width` inches wide, and how many lines it takes."""
    if key.run_on:
        return run_on_pieces(key, width, measure)
    return table_pieces(key, width, cols, measure)


def table_pieces(key: Key, width: float, cols: int, measure) -> tuple[list[Piece], int]:
    """Number, symbol and wrapped name of each entry, filling `cols` columns top to bottom, each about as long."""
    size = key.size
    cols = max(1, min(cols, len(key.entries)))
    col_w = width / cols
    room = col_w * 72 - size * 4.6
    entries = [(number, fid, measure.wrapped(name, room, size)) for number, fid, name in key.entries]
    target = math.ceil(sum(len(lines) for _, _, lines in entries) / cols)
    pieces, column, line, current, longest = [], 0, 0, "", 0
    for number, fid, lines in entries:
        if line and line + len(lines) > target and column < cols - 1:
            column, line = column + 1, 0
        x, current = column * col_w, number or current  # a crowd's members follow its number
        pieces.append(Piece(x, line, "number", number, current))
        if fid is not None:  # a crowd summed up in one entry has no symbol of its own
            pieces.append(Piece(x + size * 2.2 / 72, line, "symbol", "", current, fid))
        pieces += [Piece(x + size * 4.0 / 72, line + i, "name", text, current, fid) for i, text in enumerate(lines)]
        line += len(lines)
        longest = max(longest, line)
    return pieces, longest


def run_on_pieces(key: Key, width: float, measure) -> tuple[list[Piece], int]:
    """Entries run on line after line, each its number then its name, an em apart: the most compact key."""
    size, room = key.size, width * 72

    def w(text: str) -> float:
        return measure.width(text, size)

    pieces, x, line = [], 0.0, 0
    for number, fid, name in key.entries:
        head = w(number) + size * 0.3
        if x and x + head + w(name[:2]) > room:  # a number is never alone at a line's end
            x, line = 0.0, line + 1
        pieces.append(Piece(x / 72, line, "number", number, number, fid))
        x += head
        parts = wrap_chars(name, room, w, first=room - x)
        if not parts[0]:  # nothing of the name fits after its number: it starts on the next line
            parts, x, line = parts[1:], 0.0, line + 1
        for index, part in enumerate(parts):
            if index:
                x, line = 0.0, line + 1
            pieces.append(Piece(x / 72, line, "name", part, number, fid))
            x += w(part)
        x += size
    return pieces, line + 1 if pieces else 0


def wrap_footer(items: list[str], width: float, size, measure) -> list[str]:
    lines = [items[0]]
    for item in items[1:]:
        joined = f"{lines[-1]} · {item}"
        if measure(joined, size.footer)[0] / 72 <= width:
            lines[-1] = joined
        else:
            lines.append(item)
    return lines


MAP_AT_LEAST = 0.5  # of the map's area with no key: a key that leaves less is made more compact first
# Where no key leaves the map room on the sheet, the key run on in these shares of the numbers' type size (on the
# report image the smallest is about the print's own smallest type, once Word has scaled the image to its page)
SMALLER_KEYS = (0.95, 0.9, 0.85, 0.8)


def title_size(title: str, size, usable: float, measure) -> float:
    """The size's title type, or the largest that fits the page's width (a long English project name)."""
    width = measure(title, size.title)[0] / 72 if title else 0.0
    return size.title if width <= usable else size.title * usable / width


def arrange(size, sheet: tuple[float, float], aspect: float, legend, keys, footer: list[str], measure,
            title: str = "") -> Layout:
    """The layout with the largest map of those that fit the sheet (width, most height): legend and key below the
    map, the legend beside it and the key below, or both beside it. `aspect`: the map's height ÷ width; `keys`: the
    key's entries at each level of compactness, as (entries, type size), fullest first: the first that leaves the
    map MAP_AT_LEAST of its area without a key is kept, else the one that leaves it most. Where none fits the sheet,
    the last run on in smaller type (SMALLER_KEYS) is tried the same way."""
    width, most = sheet
    usable = width - 2 * size.margin
    footer_lines = wrap_footer(footer, usable, size, measure)
    heading = title_size(title, size, usable, measure)
    bare = best(Parts(size, usable, legend, None, footer_lines, measure), aspect, most)
    levels = [keys or [None]]
    if keys:  # a long key (English names are about twice as long as Chinese ones): its last level in smaller type
        levels.append([Key(keys[-1].entries, size.number * smaller, run_on=True) for smaller in SMALLER_KEYS])
    for level in levels:
        tried = []
        for key in level:
            layout = best(Parts(size, usable, legend, key, footer_lines, measure), aspect, most)
            if layout is not None and bare is not None and area(layout) >= MAP_AT_LEAST * area(bare):
                return titled(layout, heading)
            tried.append(layout)
        found = [layout for layout in tried if layout is not None]
        if found:
            return titled(max(found, key=area), heading)  # max keeps the first of equals: the larger type
    # a key far longer than the real data's (the 20× benchmark): the page grows instead
    return titled(Parts(size, usable, legend, keys[-1], footer_lines, measure).below(aspect, math.inf), heading)


def titled(layout: Layout, size: float) -> Layout:
    layout.title_size = size
    return layout


def area(layout: Layout) -> float:
    return layout.map.w * layout.map.h


def best(parts: Parts, aspect: float, most: float) -> Layout | None:
    layouts = [layout for layout in (parts.below(aspect, most), parts.legend_beside(aspect, most),
                                     parts.beside(aspect, most)) if layout is not None]
    return max(layouts, key=area) if layouts else None  # max keeps the first of equals


class Parts:
    """The blocks' sizes on one page width, and the three arrangements of them."""

    def __init__(self, size, usable: float, legend, key: Key | None, footer_lines: list[str], measure):
        self.size, self.usable, self.legend, self.key, self.measure = size, usable, legend, key, measure
        self.key_size, self.footer_lines = key.size if key else size.small, footer_lines
        self.widths = [entry_width(entry, size, measure) / 72 for entry in legend]
        self.title_h = size.title * 1.9 / 72
        self.legend_row = size.small * 1.9 / 72
        self.footer_h = 0.1 + len(footer_lines) * size.footer * 1.5 / 72
        self.top = size.margin * 0.7
        self.map_top = self.top + self.title_h + GAP

    def legend_h(self, cols: int) -> float:
        return 0.12 + math.ceil(len(self.legend) / cols) * self.legend_row

    def key_block(self, width: float, cols: int):
        """(height, pieces) of the key in a block `width` inches wide."""
        if not self.key or not self.key.entries:
            return 0.0, []
        pieces, lines = key_pieces(self.key, width, cols, self.measure)
        return 0.05 + self.key_size * 1.7 / 72 + lines * self.key_size * 1.6 / 72, pieces

    def below_cols(self) -> int:
        return max(1, min(4, int(self.usable * 72 // (self.key_size * KEY_COLUMN))))

    def room(self, below: list[float], most: float) -> float:
        """Inches left for the map (and what stands beside it) on a page `most` tall with these blocks below."""
        return most - (self.map_top + GAP + sum(h + GAP for h in below if h) + self.footer_h + self.size.margin)

    def fitted(self, room_w: float, room_h: float, aspect: float) -> tuple[float, float] | None:
        """The largest map of this shape in room_w × room_h inches (None when there is little room)."""
        h = min(room_w * aspect, room_h)
        return (h / aspect, h) if h > 0.25 * room_w * aspect else None

    def below(self, aspect: float, most: float) -> Layout | None:
        size, usable = self.size, self.usable
        cols = max(1, min(4, int(usable // max(self.widths))))
        legend_h = self.legend_h(cols)
        key_h, pieces = self.key_block(usable, self.below_cols())
        room = self.fitted(usable, self.room([legend_h, key_h], most), aspect)
        if room is None:
            return None
        w, h = room
        map_box = Box(size.margin + (usable - w) / 2, self.map_top, w, h)
        return self.page("below", map_box, h, [("legend", legend_h), ("key", key_h)], cols, pieces)

    def legend_beside(self, aspect: float, most: float) -> Layout | None:
        usable, side = self.usable, max(self.widths)
        legend_h = self.legend_h(1)
        key_h, pieces = self.key_block(usable, self.below_cols())
        room_h = self.room([key_h], most)
        room = self.fitted(usable - side - SIDE_GAP, room_h, aspect)
        if room is None or legend_h > room_h:
            return None
        w, h = room
        x = self.size.margin + (usable - w - SIDE_GAP - side) / 2
        map_box = Box(x, self.map_top, w, h)
        legend = Box(x + w + SIDE_GAP, self.map_top, side, legend_h)
        return self.page("legend-beside", map_box, max(h, legend_h), [("key", key_h)], 1, pieces, legend)

    def beside(self, aspect: float, most: float) -> Layout | None:
        if not self.key or not self.key.entries:
            return None  # the same as the legend beside the map
        usable = self.usable
        side = max(max(self.widths), self.key_size * KEY_SIDE / 72)
        legend_h = self.legend_h(1)
        key_h, pieces = self.key_block(side, 1)
        room_h = self.room([], most)
        room = self.fitted(usable - side - SIDE_GAP, room_h, aspect)
        if room is None or legend_h + GAP + key_h > room_h:
            return None
        w, h = room
        x = self.size.margin + (usable - w - SIDE_GAP - side) / 2
        map_box = Box(x, self.map_top, w, h)
        legend = Box(x + w + SIDE_GAP, self.map_top, side, legend_h)
        key = Box(x + w + SIDE_GAP, self.map_top + legend_h + GAP, side, key_h)
        return self.page("beside", map_box, max(h, legend_h + GAP + key_h), [], 1, pieces, legend, key)

    def page(self, arrangement: str, map_box: Box, middle: float, below: list[tuple[str, float]], legend_cols: int,
             pieces: list[Piece], legend: Box | None = None, key: Box | None = None) -> Layout:
        """The layout with the blocks `below` stacked under the map (and what stands beside it), then the footer."""
        size, usable = self.size, self.usable
        y = self.map_top + middle + GAP
        for name, h in below:
            if h:
                if name == "legend":
                    legend = Box(size.margin, y, usable, h)
                else:
                    key = Box(size.margin, y, usable, h)
                y += h + GAP
        footer = Box(size.margin, y, usable, self.footer_h)
        return Layout((usable + 2 * size.margin, y + self.footer_h + size.margin), arrangement,
                      Box(size.margin, self.top, usable, self.title_h), map_box, legend, legend_cols, footer,
                      self.footer_lines, key, pieces if key is not None else [], self.key_size)
