"""The print images' layout: the output sizes, a frame fitted to the map's subject, and where every name and
number goes (labels.py places them). print_page.py draws the page from this plan.

Distances on the map are in points (1/72 inch) from its lower left corner; the map is in UTM 49N so that the scale
bar is true.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely import affinity

from ..cache import artifacts
from ..vocabulary.schema import CITIES, by_key
from . import labels
from .maps.specs import AREA_SHARE, BOUNDARY_ATTRIBUTION, MapSpec, county_names

CITY = by_key(CITIES)
PRINT_CRS = "EPSG:32649"
FONTS = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "DejaVu Sans"]
ASPECT = (0.55, 1.5)  # map height ÷ width; a subject outside this range gets more room around it instead
DISCLAIMER = "示意图：线路走向按文件点名地点连线绘制，不作为权属界线依据"


@dataclass(frozen=True)
class Size:
    """One output size: page width, resolution and type sizes (points)."""

    suffix: str
    width: float  # inches
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


PRINT = Size("png", 8.27, 300, title=14, city=11, county=7.5, label=6.5, number=5.5, small=6.5, footer=6, marker=5,
             line=1.6)
REPORT = Size("report.png", 8.0, 200, title=20, city=15, county=11, label=10, number=8.5, small=9.5, footer=8.5,
              marker=8, line=2.4)


@dataclass(frozen=True)
class Footer:
    """What the footer says: the data date, the atlas's title and its address (may be empty)."""

    date: str = ""
    atlas: str = "呼包鄂乌一体化政策图集"
    url: str = ""

    def items(self) -> list[str]:
        source = f"来源：{self.atlas}" + (f" {self.url}" if self.url else "")
        return ([f"数据截至 {self.date}"] if self.date else []) + [source, DISCLAIMER,
                                                                  f"{BOUNDARY_ATTRIBUTION}；投影 UTM 49N"]


class Measure:
    """Text sizes in points, from a scratch figure at the output's resolution. Sizes are remembered for the process
    (by resolution, font, text and size): the same names, legend lines and footers recur on every map, and a CJK
    string takes FreeType a few milliseconds to lay out."""

    SIZES: dict[tuple, tuple[float, float]] = {}

    def __init__(self, dpi: int):
        self.dpi, self.figure, self.renderer = dpi, None, None
        self.scale = 72 / dpi

    def __call__(self, text: str, size: float) -> tuple[float, float]:
        key = (self.dpi, tuple(rcParams["font.sans-serif"]), text, size)
        if key not in self.SIZES:
            if self.figure is None:
                self.figure = Figure(dpi=self.dpi)
                self.renderer = FigureCanvasAgg(self.figure).get_renderer()
            box = self.figure.text(0, 0, text, fontsize=size).get_window_extent(self.renderer)
            self.figure.texts.clear()
            self.SIZES[key] = box.width * self.scale, box.height * self.scale
        return self.SIZES[key]


@dataclass
class Plan:
    """The map's frame and size on the page, and where every name and number goes (points, map lower left)."""

    frame: tuple[float, float, float, float]  # UTM bounds shown
    subject: tuple[float, float, float, float]  # UTM bounds of what the map is about
    map_size: tuple[float, float]  # inches
    placement: labels.Placement
    features: gpd.GeoDataFrame  # projected, visible ones only
    size: Size
    locator: tuple[float, float, float, float] | None = None  # where the inset showing the frame in the region
    # goes (points on the map), on a project map

    @property
    def scale(self) -> float:  # points per metre
        return self.map_size[0] * 72 / (self.frame[2] - self.frame[0])

    @property
    def subject_fraction(self) -> float:
        """Width of the subject on the page ÷ page width."""
        return (self.subject[2] - self.subject[0]) * self.scale / 72 / self.size.width


_PROJECTED = artifacts.Recent(4)  # the city and county outlines, in the print projection


def projected(outlines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The city or county outlines in PRINT_CRS, projected once for every map of a process (the caller must not
    change them)."""
    return _PROJECTED.of(outlines, lambda: outlines.to_crs(PRINT_CRS))


def print_frame(spec: MapSpec, cities: gpd.GeoDataFrame, features: gpd.GeoDataFrame,
                counties: gpd.GeoDataFrame | None = None):
    """(frame, subject) in UTM: a city map shows its city, the overview the four; others keep the web map's frame,
    a county map's subject being its county."""
    if spec.name.startswith("city-") or spec.name == "overview":
        shown = cities if spec.name == "overview" else cities[cities["city"] == spec.counties_of]
        subject = tuple(shown.total_bounds)
        frame = padded(subject, 0.025)
    else:
        if spec.focus and counties is not None:
            own = projected(counties)
            subject = tuple(own[own["adcode"] == spec.focus].total_bounds)
        else:
            subject = tuple(features.total_bounds)
        frame = tuple(gpd.GeoSeries([shapely.box(*spec.frame)], crs="EPSG:4326").to_crs(PRINT_CRS).total_bounds)
    return fit_aspect(frame), subject


def padded(bounds, fraction: float):
    x0, y0, x1, y1 = bounds
    d = max(x1 - x0, y1 - y0) * fraction
    return x0 - d, y0 - d, x1 + d, y1 + d


def fit_aspect(frame):
    x0, y0, x1, y1 = frame
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    low, high = ASPECT
    w, h = max(w, h / high), max(h, w * low)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


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


LOCATOR = 0.2  # the locator inset's width ÷ the map's
LOCATOR_UP_TO = 0.5  # a project map's frame at most this share of the region's width gets a locator


def plan_map(spec: MapSpec, cities: gpd.GeoDataFrame, size: Size = PRINT, measure: Measure | None = None,
             counties: gpd.GeoDataFrame | None = None) -> Plan:
    """Frame the subject, then place the names: pure layout, nothing drawn. A project map also names the counties
    in view (from `counties`) and, unless it shows much of the region, keeps a corner for a locator inset."""
    measure = measure or Measure(size.dpi)
    city_m, features = projected(cities), central_sites(spec.features, spec.frame).to_crs(PRINT_CRS)
    frame, subject = print_frame(spec, city_m, features, counties)
    width = size.width - 2 * size.margin
    height = width * (frame[3] - frame[1]) / (frame[2] - frame[0])
    k = width * 72 / (frame[2] - frame[0])

    def to_points(geometry):
        return affinity.affine_transform(geometry, [k, 0, 0, k, -frame[0] * k, -frame[1] * k])

    page_w, page_h = width * 72, height * 72
    points, lines, keep = {}, {}, []
    for fid, f in features.iterrows():
        g = to_points(f.geometry)
        if g.geom_type == "Point":
            if 0 <= g.x <= page_w and 0 <= g.y <= page_h:
                points[fid] = (g.x, g.y)
                keep.append(fid)
        else:
            visible = labels.clip_line(g if "Line" in g.geom_type else g.boundary, page_w, page_h)
            if visible is not None:
                lines[fid] = visible
                keep.append(fid)
    markers, crowds = labels.spread(points, size.marker / 2)
    targets = []
    for crowd in crowds:
        if len(crowd) > labels.CROWD:
            spot = shapely.Point(sum(markers[c][0] for c in crowd) / len(crowd),
                                 sum(markers[c][1] for c in crowd) / len(crowd))
            targets.append(labels.Target(crowd, None, (0, 0), spot))
        else:
            targets += [labels.Target((c,), features.loc[c, "name_zh"], measure(features.loc[c, "name_zh"], size.label),
                                      shapely.Point(markers[c])) for c in crowd]
    for fid, line in sorted(lines.items(), key=lambda item: -item[1].length):  # long lines have most room
        name = features.loc[fid, "name_zh"]
        targets.append(labels.Target((fid,), name, measure(name, size.label), line))
    city_targets = []
    for _, city in city_m.iterrows():
        inside = to_points(city.geometry).intersection(shapely.box(0, 0, page_w, page_h))
        if not inside.is_empty and inside.area > 0.04 * page_w * page_h:
            name = CITY[city["city"]].zh
            city_targets.append(labels.Target((city["city"],), name, measure(name, size.city),
                                              inside.representative_point()))
    county_targets, locator = [], None
    if spec.name.startswith("project-") or spec.focus:
        if counties is not None:  # the counties the web map names, in the print's frame
            own = set(counties.loc[counties["adcode"] == spec.focus, "name_zh"])
            for name, anchor in county_names(projected(counties), frame, AREA_SHARE):
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
                             counties=tuple(county_targets), reserved=(locator,) if locator else ())
    return Plan(frame, subject, (width, height), placement, features.loc[keep], size, locator)


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
