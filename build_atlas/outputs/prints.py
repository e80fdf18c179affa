"""The print images' plan: the output sizes, a frame fitted to the map's subject, the page's layout (print_layout.py)
and where every name and number goes (labels.py places them). print_page.py draws the page from this plan.

Every size of a map is planned together (plan_maps), so that they share one numbering: a feature whose name fits on
none of them is numbered on all of them, with the same number, and the atlas page lists it under the map by that
number too. Distances on the map are in points (1/72 inch) from its lower left corner; the map is in UTM 49N so that
the scale bar is true.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely import affinity

from ..vocabulary.schema import CITIES, by_key
from . import labels, print_layout
from .maps.paper import PRINT_CRS, outline_subject, paper_frame, projected
from .maps.paper import orientation as paper_orientation
from .maps.specs import AREA_SHARE, MapSpec, county_names
from .maps.words import NAMES, ZH, names_in, term_label, words
from .print_numbers import Numbering, crowds_of, key_entries, number

CITY = by_key(CITIES)
FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "DejaVu Sans"]


@dataclass(frozen=True)
class Size:
    """One output size: page width and most height, resolution and type sizes (points)."""

    suffix: str
    width: float  # inches
    height: float  # inches: the most the page may be tall
    dpi: int
    title: float
    city: float
    county: float
    label: float
    number: float
    small: float  # legend, key list
    footer: float
    marker: float  # point symbol diameter
    line: float
    margin: float = 0.3
    turns: bool = False  # an A4 sheet, turned for a landscape map

    def sheet(self, orientation: str) -> tuple[float, float]:
        """(width, most height) of the page for a map printed in this orientation."""
        return (self.height, self.width) if self.turns and orientation == "landscape" else (self.width, self.height)


A4 = (210 / 25.4, 297 / 25.4)  # inches
REPORT_ASPECT = 1.45  # the tallest image a Word page holds at its full text width (16 × 23.2 cm on A4)
PRINT = Size("png", *A4, 300, title=14, city=11, county=7.5, label=6.5, number=5.5, small=6.5, footer=6, marker=5,
             line=1.6, turns=True)
REPORT = Size("report.png", 8.0, 8.0 * REPORT_ASPECT, 200, title=20, city=15, county=11, label=10, number=8.5,
              small=9.5, footer=8.5, marker=8, line=2.4)
SIZES = (PRINT, REPORT)


@dataclass(frozen=True)
class Footer:
    """What the footer says: the data date, the atlas's title (the edition's site_name; words.py's when empty) and
    its address (may be empty)."""

    date: str = ""
    atlas: str = ""
    url: str = ""

    def items(self, lang: str = ZH) -> list[str]:
        said = words(lang)
        source = said["source"] + (self.atlas or said["atlas"]) + (f" {self.url}" if self.url else "")
        return ([said["as_of"].format(self.date)] if self.date else []) + [
            source, said["disclaimer"], f'{said["boundaries"]}{said["joiner"]}{said["projection"]}']


class Measure:
    """Text sizes in points, from a scratch figure at the output's resolution. Sizes are remembered for the process
    (by resolution, font, text and size): the same names, legend lines and footers recur on every map, and a CJK
    string takes FreeType a few milliseconds to lay out."""

    SIZES: dict[tuple, tuple[float, float]] = {}
    WIDTHS: dict[tuple, float] = {}
    WRAPS: dict[tuple, list[str]] = {}

    def __init__(self, dpi: int):
        self.dpi, self.figure, self.renderer = dpi, None, None
        self.scale = 72 / dpi
        self.fonts = tuple(rcParams["font.sans-serif"])

    def __call__(self, text: str, size: float) -> tuple[float, float]:
        key = (self.dpi, self.fonts, text, size)
        if key not in self.SIZES:
            if self.figure is None:
                self.figure = Figure(dpi=self.dpi)
                self.renderer = FigureCanvasAgg(self.figure).get_renderer()
            box = self.figure.text(0, 0, text, fontsize=size).get_window_extent(self.renderer)
            self.figure.texts.clear()
            self.SIZES[key] = box.width * self.scale, box.height * self.scale
        return self.SIZES[key]

    def width(self, text: str, size: float) -> float:
        """A text's width as the sum of its characters' (matplotlib lays text out by their advances, unhinted and
        unkerned: the same to a hundredth of a point), so that wrapping a name character by character does not lay
        out every beginning of it."""
        key = (self.dpi, self.fonts, text, size)
        if key not in self.WIDTHS:
            self.WIDTHS[key] = sum(self(char, size)[0] for char in text)
        return self.WIDTHS[key]

    def wrapped(self, text: str, room: float, size: float) -> list[str]:
        """print_layout.wrap_chars of a text at `size` in lines of `room` points: the same names are wrapped to the
        same columns on every round of a map's plan (plan_maps) and on every map that lists them."""
        key = (self.dpi, self.fonts, text, room, size)
        if key not in self.WRAPS:
            self.WRAPS[key] = print_layout.wrap_chars(text, room, lambda piece: self.width(piece, size))
        return self.WRAPS[key]


@dataclass
class Plan:
    """The map's frame, the page's layout, and where every name and number goes (points, map lower left)."""

    frame: tuple[float, float, float, float]  # UTM bounds shown
    subject: tuple[float, float, float, float]  # UTM bounds of what the map is about
    layout: print_layout.Layout
    placement: labels.Placement
    numbering: Numbering
    features: gpd.GeoDataFrame  # projected, visible ones only
    size: Size
    orientation: str  # of the A4 sheet: "portrait" or "landscape"
    locator: tuple[float, float, float, float] | None = None  # where the inset showing the frame in the region
    # goes (points on the map), on a project map

    @property
    def map_size(self) -> tuple[float, float]:  # inches
        return self.layout.map.w, self.layout.map.h

    @property
    def scale(self) -> float:  # points per metre
        return self.map_size[0] * 72 / (self.frame[2] - self.frame[0])


def central_sites(features: gpd.GeoDataFrame, frame) -> gpd.GeoDataFrame:
    """A project at several sites (MultiPoint) is shown and named on a print at its site nearest the middle of the
    map (a city map: the site in that city); the web map and the project page show every site."""
    multi = features.geometry.geom_type == "MultiPoint"
    if not multi.any():
        return features
    middle = shapely.Point((frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2)
    features = features.copy()
    features.loc[multi, "geometry"] = features.geometry[multi].map(lambda g: min(g.geoms, key=middle.distance))
    return features


def in_view(features: gpd.GeoDataFrame, frame) -> gpd.GeoDataFrame:
    """The features a print of this frame shows: points inside it, lines and areas that cross it, each line (and
    area outline) cut to its longest part in view, which is what gets named."""
    view, keep, shown = shapely.box(*frame), [], []
    for fid, g in features.geometry.items():
        if g.geom_type == "Point":
            if view.covers(g):
                keep.append(fid)
                shown.append(g)
        else:
            visible = labels.clip_line(g if "Line" in g.geom_type else g.boundary, frame)
            if visible is not None:
                keep.append(fid)
                shown.append(visible)
    return features.loc[keep].assign(named_part=gpd.GeoSeries(shown, index=keep, crs=features.crs))


LOCATOR = 0.2  # the locator inset's width ÷ the map's
LOCATOR_UP_TO = 0.5  # a project map's frame at most this share of the region's width gets a locator


@dataclass
class Sheet:
    """What every size of one map shares: the frame, the features in view and the footer."""

    spec: MapSpec
    cities: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    frame: tuple[float, float, float, float]
    subject: tuple[float, float, float, float]
    features: gpd.GeoDataFrame  # projected, in view
    orientation: str
    footer: list[str]


def plan_maps(spec: MapSpec, cities: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, footer: Footer | None = None,
              sizes: tuple[Size, ...] = SIZES) -> dict[str, Plan]:
    """{size suffix: Plan} of one map at every size, sharing one numbering: lay out each page, place the names, and
    number on every size what found no room on any; again until no size has a name left without room (the numbers'
    key takes room from the map, so a round can leave more names without room). The numbered features and the crowds
    only grow from round to round, so this ends: in two to four rounds on this data."""
    frame = paper_frame(spec, cities, counties)
    features = in_view(central_sites(spec.features, spec.frame).to_crs(PRINT_CRS), frame)
    subject = outline_subject(spec, cities, counties) or tuple(features.total_bounds)
    sheet = Sheet(spec, cities, counties, frame, subject, features, paper_orientation(frame),
                  (footer or Footer()).items(spec.lang))
    measures = {size.suffix: Measure(size.dpi) for size in sizes}
    numbering, numbered, crowds = Numbering(), set(), []
    for _ in range(3 * len(features) + 3):
        layouts = {size.suffix: layout_page(sheet, size, numbering, measures[size.suffix]) for size in sizes}
        reach = max(size.marker * (frame[2] - frame[0]) / (layouts[size.suffix].map.w * 72) for size in sizes)
        crowds = crowds_of(features, reach, crowds)  # points whose markers would touch on a size
        plans = {size.suffix: place_names(sheet, size, layouts[size.suffix], numbering, crowds,
                                          measures[size.suffix]) for size in sizes}
        unnamed = {fid for plan in plans.values() for keys in plan.placement.unnamed for fid in keys}
        if not unnamed:
            return plans
        numbered |= unnamed
        numbering = number(features, frame, numbered, crowds)
    raise RuntimeError(f"{spec.name}: the numbering did not settle")  # cannot happen: see the docstring


def layout_page(sheet: Sheet, size: Size, numbering: Numbering, measure: Measure) -> print_layout.Layout:
    """The page of one size: its key listing every numbered feature, or if that leaves the map too little room,
    a crowd's number listed as how many projects it stands for and where, then the entries run on as text, then
    in smaller type."""
    frame, lang = sheet.frame, sheet.spec.lang
    legend = print_layout.legend_entries(sheet.features, bool(numbering.groups), lang)
    full = key_entries(sheet.features, projected(sheet.counties), numbering, lang=lang)
    short = key_entries(sheet.features, projected(sheet.counties), numbering, summed=True, lang=lang)
    keys = [print_layout.Key(full, size.small)] + ([print_layout.Key(short, size.small)] if short != full else []) \
        + [print_layout.Key(short, size.small, run_on=True), print_layout.Key(short, size.number, run_on=True)]
    return print_layout.arrange(size, size.sheet(sheet.orientation), (frame[3] - frame[1]) / (frame[2] - frame[0]),
                                legend, keys if numbering.groups else [], sheet.footer, measure, sheet.spec.title)


def place_names(sheet: Sheet, size: Size, layout: print_layout.Layout, numbering: Numbering,
                crowds: list[tuple[str, ...]], measure: Measure) -> Plan:
    """Place the names and numbers of one size on its map (pure layout, nothing drawn). A project map also names the
    counties in view and, unless it shows much of the region, keeps a corner for a locator inset."""
    frame, features, spec = sheet.frame, sheet.features, sheet.spec
    lang = spec.lang
    labels_of = names_in(features, NAMES[lang].printed, "name_zh")
    page_w, page_h = layout.map.w * 72, layout.map.h * 72
    k = page_w / (frame[2] - frame[0])

    def to_points(geometry):
        return affinity.affine_transform(geometry, [k, 0, 0, k, -frame[0] * k, -frame[1] * k])

    shown = {fid: to_points(g) for fid, g in features["named_part"].items()}
    points = {fid: (g.x, g.y) for fid, g in shown.items() if g.geom_type == "Point"}
    markers, spread = labels.spread(points, size.marker / 2, [c for c in crowds if c[0] in points])
    targets = []
    for crowd in spread:
        if len(crowd) > labels.CROWD:
            spot = shapely.Point(sum(markers[c][0] for c in crowd) / len(crowd),
                                 sum(markers[c][1] for c in crowd) / len(crowd))
            targets.append(labels.Target(crowd, None, (0, 0), spot))
        else:
            targets += [labels.Target((c,), labels_of[c], measure(labels_of[c], size.label), shapely.Point(markers[c]))
                        for c in crowd]
    lines = {fid: g for fid, g in shown.items() if g.geom_type != "Point"}
    for fid, line in sorted(lines.items(), key=lambda item: -item[1].length):  # long lines have most room
        name = labels_of[fid]
        targets.append(labels.Target((fid,), name, measure(name, size.label), line))
    city_m = projected(sheet.cities)
    city_targets = []
    for _, city in city_m.iterrows():
        inside = to_points(city.geometry).intersection(shapely.box(0, 0, page_w, page_h))
        if not inside.is_empty and inside.area > 0.04 * page_w * page_h:
            name = term_label(CITY[city["city"]], lang)
            city_targets.append(labels.Target((city["city"],), name, measure(name, size.city),
                                              inside.representative_point()))
    county_targets, locator = [], None
    if spec.name.startswith("project-") or spec.focus:
        counties = sheet.counties  # the counties the web map names, in the print's frame
        own = set(names_in(counties[counties["adcode"] == spec.focus], NAMES[lang].county, "name_zh"))
        for name, anchor in county_names(projected(counties), frame, AREA_SHARE, lang):
            if name in own:  # a county map's subject is named first, as large as a city
                city_targets.insert(0, labels.Target((name,), name, measure(name, size.city), to_points(anchor)))
            else:
                county_targets.append(labels.Target((name,), name, measure(name, size.county), to_points(anchor)))
        region = city_m.total_bounds
        if frame[2] - frame[0] <= LOCATOR_UP_TO * (region[2] - region[0]):
            locator = locator_box(page_w, page_h, (region[3] - region[1]) / (region[2] - region[0]),
                                  [to_points(g) for g in features.geometry], size.marker)
    digits = "8" * len(str(max(1, len(targets))))
    nw, nh = measure(digits, size.number)
    placement = labels.place(targets, city_targets, markers, width=page_w, height=page_h,
                             marker_radius=size.marker / 2, line_width=size.line,
                             number_size=(nw + 0.5 * size.number, nh + 0.3 * size.number),
                             counties=tuple(county_targets), reserved=(locator,) if locator else (),
                             numbers=numbering.numbers(), names_only=True)
    return Plan(frame, sheet.subject, layout, placement, numbering, features, size, sheet.orientation, locator)


def locator_box(page_w: float, page_h: float, aspect: float, shapes, marker: float):
    """The corner of the map (top right, top left, bottom right, bottom left: the first of the least covered) for
    a locator inset LOCATOR of the map wide with the region's `aspect`; covered means the features' markers and
    lines (`shapes`, in points) under it."""
    w = LOCATOR * page_w
    h, m = w * aspect, 0.015 * page_w
    corners = [(page_w - m - w, page_h - m - h), (m, page_h - m - h), (page_w - m - w, m), (m, m)]

    def covered(x0: float, y0: float) -> float:
        room = shapely.box(x0 - marker, y0 - marker, x0 + w + marker, y0 + h + marker)
        return sum(room.intersection(g).length + (100.0 if g.geom_type == "Point" and room.contains(g) else 0.0)
                   for g in shapes)

    x0, y0 = min(corners, key=lambda corner: covered(*corner))  # min keeps the first of equals
    return x0, y0, x0 + w, y0 + h
