"""Label placement for the print images, as plain geometry (points, 1/72 inch, origin at the map's lower left).

Greedy, in priority order: each label takes the first candidate position that stays inside the map and touches no
label already placed, no marker and no drawn line. A feature whose name fits nowhere gets a small number at the
feature instead (placed the same way, allowed to sit on lines because it has a white box) and is listed by that
number under the map; the numbers can be given (prints.plan_maps numbers every size of a map alike). Points that
would cover each other are spread around their common place first; a crowd of more than CROWD points shares one
number. Every feature ends up named or numbered: `Placement.every_feature`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Point, box

CROWD = 3  # up to this many coinciding points are spread and named one by one; more share one number
LINE_STOPS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)


@dataclass(frozen=True)
class Target:
    """Something to name: a feature (or a crowd of points) with its label's size in points."""

    keys: tuple[str, ...]  # feature ids; more than one for a crowd
    text: str
    size: tuple[float, float]  # label width, height
    geometry: object  # shapely Point (marker centre) or LineString, in points


@dataclass(frozen=True)
class Placed:
    keys: tuple[str, ...]
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    role: str  # "city", "county" (area names), "label" or "number"
    leader: tuple[float, float] | None = None  # the feature point a far-placed number points to


@dataclass
class Placement:
    markers: dict[str, tuple[float, float]]  # feature id → marker centre after spreading crowds
    placed: list[Placed] = field(default_factory=list)
    numbered: list[tuple[str, ...]] = field(default_factory=list)  # keys of each number, in the numbers' order
    numbers: dict[tuple[str, ...], int] = field(default_factory=dict)  # keys → their number
    unnamed: list[tuple[str, ...]] = field(default_factory=list)  # keys whose name fitted nowhere and that the
    # numbers given did not number (they are numbered after those, in reading order)

    def every_feature(self) -> set[str]:
        return {key for p in self.features() for key in p.keys}

    def features(self) -> list[Placed]:
        """The names and numbers of features (not of areas)."""
        return [p for p in self.placed if p.role in ("label", "number")]


def touching(points: dict[str, tuple[float, float]], distance: float) -> list[tuple[str, ...]]:
    """Groups of ids whose points lie closer than `distance` to another of the group (each id in one group, groups
    in the order of their first id, ids sorted)."""
    ids = sorted(points)
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            i = parent[i]
        return i

    for a_index, a in enumerate(ids):
        for b in ids[a_index + 1:]:
            if math.dist(points[a], points[b]) < distance:
                parent[root(b)] = root(a)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return [tuple(g) for g in groups.values()]


def joined(groups: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Groups that share a member merged into one (ids sorted, groups in the order of their first id)."""
    parent: dict[str, str] = {}

    def root(i: str) -> str:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    for group in groups:
        for other in group[1:]:
            parent[root(other)] = root(group[0])
        root(group[0])
    merged: dict[str, list[str]] = {}
    for i in sorted(parent):
        merged.setdefault(root(i), []).append(i)
    return sorted((tuple(g) for g in merged.values()), key=lambda g: g[0])


def spread(points: dict[str, tuple[float, float]], radius: float,
           groups: list[tuple[str, ...]] | None = None) -> tuple[dict, list[tuple[str, ...]]]:
    """Move markers that would overlap onto a tight ring around their common centre; return the new centres and
    the crowds (groups of ids that were touching, or the `groups` given, which must cover every point)."""
    groups = touching(points, 2 * radius) if groups is None else groups
    moved = dict(points)
    for members in groups:
        if len(members) > 1:
            cx = sum(points[m][0] for m in members) / len(members)
            cy = sum(points[m][1] for m in members) / len(members)
            for m, offset in zip(members, ring(len(members), 2.2 * radius), strict=True):
                moved[m] = (cx + offset[0], cy + offset[1])
    return moved, list(groups)


def ring(n: int, step: float) -> list[tuple[float, float]]:
    """n offsets packed around a centre: a row for two or three, then rings of 6, 12, … markers."""
    if n <= 3:
        return [((i - (n - 1) / 2) * step, 0.0) for i in range(n)]
    offsets, layer = [(0.0, 0.0)], 1
    while len(offsets) < n:
        count = 6 * layer
        offsets += [(layer * step * math.cos(2 * math.pi * k / count), layer * step * math.sin(2 * math.pi * k / count))
                    for k in range(count)]
        layer += 1
    return offsets[:n]


def around_point(x: float, y: float, r: float, w: float, h: float, gap: float) -> list[tuple[float, float]]:
    """Lower-left corners of a w×h box beside a marker of radius r: right, upper right, lower right, left, …"""
    d = r + gap
    return [(x + d, y - h / 2), (x + d * 0.7, y + d * 0.7), (x + d * 0.7, y - d * 0.7 - h),
            (x - d - w, y - h / 2), (x - d * 0.7 - w, y + d * 0.7), (x - d * 0.7 - w, y - d * 0.7 - h),
            (x - w / 2, y + d), (x - w / 2, y - d - h)]


def along_line(line, w: float, h: float, gap: float, on_line: bool) -> list[tuple[float, float, float, float]]:
    """(x0, y0, anchor x, anchor y) of boxes centred on a line, or beside it all round, at stops along it."""
    out = []
    for stop in LINE_STOPS:
        p = line.interpolate(stop, normalized=True)
        if on_line:
            out.append((p.x - w / 2, p.y - h / 2, p.x, p.y))
        else:
            for distance in (gap, gap + 0.6 * h, gap + 1.4 * h):
                out += [(x0, y0, p.x, p.y) for x0, y0 in around_point(p.x, p.y, 0, w, h, distance)]
    return out


class Board:
    """What is taken on the map: placed boxes, and fixed obstacles (markers and lines, each with its feature id) in
    STR trees."""

    def __init__(self, width: float, height: float, markers: dict, lines: dict, margin: float):
        self.inside = (margin, margin, width - margin, height - margin)
        self.boxes = np.empty((0, 4))  # x0, y0, x1, y1 of every box placed
        self.marker_keys, self.line_keys = list(markers), list(lines)
        self.markers = shapely.STRtree(list(markers.values())) if markers else None
        self.lines = shapely.STRtree(list(lines.values())) if lines else None

    def free(self, bounds: tuple[float, float, float, float], avoid_lines: bool):
        """The box as a shapely geometry if it lies inside the map and touches nothing taken, else None. Boxes are
        compared as numbers (the same closed-box tests as shapely's `contains` and `intersects`), which is what
        makes placing a region map's few hundred names quick."""
        x0, y0, x1, y1 = bounds
        ix0, iy0, ix1, iy1 = self.inside
        if not (ix0 <= x0 and iy0 <= y0 and x1 <= ix1 and y1 <= iy1):
            return None
        b = self.boxes
        if ((b[:, 0] <= x1) & (x0 <= b[:, 2]) & (b[:, 1] <= y1) & (y0 <= b[:, 3])).any():
            return None
        candidate = shapely.box(*bounds)
        for tree in (self.markers, self.lines if avoid_lines else None):
            if tree is not None and len(tree.query(candidate, predicate="intersects")):
                return None
        return candidate

    def take(self, bounds: tuple[float, float, float, float]) -> None:
        self.boxes = np.vstack([self.boxes, bounds])

    def owned(self, candidate, target: Target) -> bool:
        """The label is nearer its own feature than any other marker (and, for a line's label, any other line), so
        a reader cannot take it for another's."""
        own = set(target.keys)
        if target.geometry.geom_type == "Point":
            return self._nearest(self.markers, self.marker_keys, candidate) & own != set()
        if self._nearest(self.lines, self.line_keys, candidate) & own == set():
            return False
        mine = min(self.lines.geometries[i].distance(candidate) for i, k in enumerate(self.line_keys) if k in own)
        return self.markers is None or mine <= min(self.markers.geometries[i].distance(candidate)
                                                   for i in self.markers.query_nearest(candidate))

    @staticmethod
    def _nearest(tree, keys, candidate) -> set:
        return set() if tree is None else {keys[i] for i in tree.query_nearest(candidate)}


def place(targets: list[Target], cities: list[Target], markers: dict[str, tuple[float, float]], *, width: float,
          height: float, marker_radius: float, line_width: float, number_size: tuple[float, float],
          gap: float = 1.5, counties: tuple[Target, ...] = (),
          reserved: tuple[tuple[float, float, float, float], ...] = (),
          numbers: dict[tuple[str, ...], int] | None = None, names_only: bool = False) -> Placement:
    """Name what fits, number the rest, then name the `counties` where room is left; `markers` are already spread
    (see `spread`); nothing goes in a `reserved` box (x0, y0, x1, y1). The targets `numbers` gives (keys → number)
    are numbered and not named; others that fit nowhere are numbered after them (Placement.unnamed). With
    `names_only`, a placement that leaves such targets stops before the numbers (the caller numbers them and places
    again)."""
    numbers = numbers or {}
    pad = 0.8  # a little air round each label
    discs = {key: Point(xy).buffer(marker_radius + 0.5, 8) for key, xy in markers.items()}
    strokes = {t.keys[0]: t.geometry.buffer(line_width / 2 + 0.5, 4) for t in targets
               if t.geometry.geom_type != "Point"}
    board = Board(width, height, discs, strokes, margin=2.0)
    result = Placement(markers=dict(markers))
    for bounds in reserved:
        board.take(bounds)

    def try_boxes(candidates, avoid_lines: bool, target: Target | None = None):
        for x0, y0, w, h in candidates:
            bounds = (x0 - pad, y0 - pad, x0 + w + pad, y0 + h + pad)
            shape = board.free(bounds, avoid_lines)
            if shape is not None and (target is None or board.owned(shape, target)):
                board.take(bounds)
                return (x0, y0, x0 + w, y0 + h)
        return None

    for city in cities:  # city names may cross lines (they are drawn faint, under everything), never markers
        spot = try_boxes(area_spots(city), False)
        if spot:
            result.placed.append(Placed(city.keys, city.text, spot, "city"))
    unnamed = []
    points_first = sorted(targets, key=lambda t: t.geometry.geom_type != "Point")
    for target in points_first:
        if target.keys in numbers:
            continue
        spot = None if target.text is None else try_boxes(label_spots(target, gap, marker_radius), True, target)
        if spot:
            result.placed.append(Placed(target.keys, target.text, spot, "label"))
        else:
            unnamed.append(target)
    result.unnamed = [t.keys for t in reading_order(unnamed, number_size[1])]
    if names_only and unnamed:
        return result
    given = sorted((t for t in targets if t.keys in numbers), key=lambda t: numbers[t.keys])
    after = max(numbers.values(), default=0)
    ordered = [(numbers[t.keys], t) for t in given] + [(after + n, t) for n, t in enumerate(
        reading_order(unnamed, number_size[1]), start=1)]
    place_numbers(ordered, try_boxes, board, result, number_size, marker_radius, gap)
    for county in counties:  # context only: where nothing else is, across lines but clear of markers and names
        spot = try_boxes(area_spots(county), False)
        if spot:
            result.placed.append(Placed(county.keys, county.text, spot, "county"))
    return result


def area_spots(target: Target) -> list[tuple[float, float, float, float]]:
    """An area's name centred on its anchor, else a little above, below or beside it."""
    (w, h), g = target.size, target.geometry
    return [(g.x - w / 2 + dx * w, g.y - h / 2 + dy * h, w, h)
            for dx, dy in ((0, 0), (0, 1), (0, -1), (0.6, 0), (-0.6, 0), (0, 2), (0, -2))]


def label_spots(target: Target, gap: float, r: float) -> list[tuple[float, float, float, float]]:
    w, h = target.size
    g = target.geometry
    if g.geom_type == "Point":
        return [(x0, y0, w, h) for x0, y0 in around_point(g.x, g.y, r, w, h, gap)]
    return [(x0, y0, w, h) for x0, y0, _, _ in along_line(g, w, h, gap + 1.0, on_line=False)]


def anchor_of(geometry) -> Point:
    """Where a feature is, for ordering its number and for the number's leader: its point, or the middle of its
    line."""
    return geometry if geometry.geom_type == "Point" else geometry.interpolate(0.5, normalized=True)


def anchor(target: Target) -> Point:
    return anchor_of(target.geometry)


def reading_order(targets: list[Target], line_height: float) -> list[Target]:
    """Top to bottom in bands, then left to right."""
    band = max(line_height * 6, 1.0)
    return sorted(targets, key=lambda t: (-round(anchor(t).y / band), anchor(t).x))


def place_numbers(ordered: list[tuple[int, Target]], try_boxes, board, result, size, r, gap) -> None:
    """Each (number, target) next to its feature, else further out with a leader, else on it."""
    w, h = size
    for number, target in ordered:
        text, g, a = str(number), target.geometry, anchor(target)
        near = ([(x0, y0, w, h) for x0, y0 in around_point(g.x, g.y, r, w, h, 0.5)] if g.geom_type == "Point"
                else [(x0, y0, w, h) for x0, y0, _, _ in along_line(g, w, h, gap, on_line=True)])
        spot, leader = try_boxes(near, False, target), None
        if spot is None:  # further out, pointing back with a thin leader
            far = [(a.x + dist * math.cos(angle) - w / 2, a.y + dist * math.sin(angle) - h / 2, w, h)
                   for dist in (2 * h, 3 * h, 4.5 * h, 6.5 * h, 9 * h, 13 * h, 18 * h)
                   for angle in (math.pi * k / 8 for k in range(16))]
            spot = try_boxes(far, False)
            leader = (a.x, a.y)
        if spot is None:  # no free room left anywhere near: the number goes on its feature, over whatever is
            # there, rather than leaving the feature out of the key or failing the build (a map crowded far beyond
            # the real data's, such as the 20× benchmark's city maps)
            spot, leader = (a.x - w / 2, a.y - h / 2, a.x + w / 2, a.y + h / 2), None
            board.take(spot)
        result.placed.append(Placed(target.keys, text, spot, "number", leader))
        result.numbered.append(target.keys)
        result.numbers[target.keys] = number


def overlaps(placed: list[Placed]) -> list[tuple[str, str]]:
    """Pairs of placed boxes that overlap (for tests: none should)."""
    boxes = [box(*p.box) for p in placed]
    return [(placed[i].text, placed[j].text) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
            if boxes[i].intersects(boxes[j]) and boxes[i].intersection(boxes[j]).area > 0]


def clip_line(line: LineString, bounds: tuple[float, float, float, float]):
    """The longest part of a line inside `bounds` (x0, y0, x1, y1), or None."""
    visible = line.intersection(box(*bounds))
    parts = [g for g in getattr(visible, "geoms", [visible]) if g.geom_type == "LineString" and not g.is_empty]
    return max(parts, key=lambda g: g.length) if parts else None
