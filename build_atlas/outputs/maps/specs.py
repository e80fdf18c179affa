"""What each map shows: the overview, the cities, the themes and every project, each with its frame, its features and
the outlines drawn for context. No drawing library: the web maps (page.py) and the print images read the same specs."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import geopandas as gpd
import shapely
import shapely.affinity

from ...cache import artifacts
from ...inputs.model import Atlas
from ...vocabulary import routes
from ...vocabulary.schema import CITIES, FEATURE_STATUSES, KINDS, THEMES, by_key
from .words import NAMES, ZH, name_of, names_in, term_label, words

KIND = by_key(KINDS)


STATUS = by_key(FEATURE_STATUSES)


CITY = by_key(CITIES)


CONTEXT_TOLERANCE_DEG = 0.004  # outlines drawn only for context: ~400 m, shared edges kept shared


REGION_TOLERANCE_DEG = 0.012  # the whole region spans ~1000 px: ~1 km a pixel, so ~1.2 km detail is enough


@dataclass
class MapSpec:
    """What one map shows: its subject's frame, the features drawn and the boundary detail."""

    name: str  # file stem under maps/, e.g. "city-hohhot"
    title: str
    features: gpd.GeoDataFrame
    frame: tuple[float, float, float, float]  # lon/lat bounds to fit
    counties_of: str = ""  # city key whose county units are drawn, "" for none, "*" for all
    tolerance: float = CONTEXT_TOLERANCE_DEG  # outline simplification for the web map (prints keep the finer)
    focus: str = ""  # the adcode of the county a county map is about, outlined boldly
    lang: str = ZH  # the edition whose words and names it shows (words.py)


@dataclass
class MapOptions:
    tiles: str = "osm"
    tianditu_key: str = ""
    site_url: str = ""  # absolute base for links in standalone exports; relative when empty
    today: str = ""  # the build date (YYYY-MM-DD) maps say their data is as of; none shown when empty
    atlas: str = ""  # the atlas's name in the maps' captions (the edition's site_name); words.py's when empty


def padded(bounds, fraction: float = 0.08, minimum: float = 0.25) -> tuple[float, float, float, float]:
    west, south, east, north = bounds
    dx = max((east - west) * fraction, minimum)
    dy = max((north - south) * fraction, minimum)
    return west - dx, south - dy, east + dx, north + dy


def map_specs(atlas: Atlas, lang: str = ZH) -> list[MapSpec]:
    """The overview, one map per city, per theme with features, and per project, titled in edition `lang`."""
    region, said, names = tuple(atlas.cities.total_bounds), words(lang), NAMES[lang]
    def drawn(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return features[features.geometry.notna()]

    specs = [MapSpec("overview", said["overview"], atlas.located, padded(region, 0.02), "*", REGION_TOLERANCE_DEG,
                     lang=lang)]
    for city in CITIES:
        outline = atlas.cities.loc[city.key, "geometry"]
        specs.append(MapSpec(f"city-{city.key}", said["city"].format(term_label(city, lang)),
                             drawn(atlas.features_of_city(city.key)), padded(outline.bounds, 0.03), city.key,
                             lang=lang))
    for theme in THEMES:
        features = drawn(atlas.features_of_theme(theme.key))
        if len(features):
            bounds = shapely.union_all(list(features.geometry) + [shapely.box(*region)]).bounds
            specs.append(MapSpec(f"theme-{theme.key}", said["theme"].format(term_label(theme, lang)), features,
                                 padded(bounds, 0.02), lang=lang))
    located = atlas.located
    counties, links = atlas.counties.set_index("adcode"), atlas.by_county.projects
    for adcode, county in atlas.by_county.counties.iterrows():
        # every county drawn and those in view named, as on a project map; the projects its outline touches
        touching = located[located.index.isin(links.loc[links["adcode"] == adcode, "feature"])]
        title = said["county"].format(name_of(county, names.county, "name_zh")[0])
        specs.append(MapSpec(f"county-{county['key']}", title, touching,
                             padded(counties.loc[adcode, "geometry"].bounds, 0.1, 0.03), "*", focus=adcode,
                             lang=lang))
    for (fid, feature), one in zip(located.iterrows(), project_frames(located), strict=True):
        # every county drawn, and those in view named: without tiles (on paper, offline) they are the only context
        specs.append(MapSpec(f"project-{fid}", name_of(feature, names.feature, "name_zh")[0], one,
                             padded(feature.geometry.bounds, 0.15, 0.3), "*", lang=lang))
    return specs


_PROJECT_FRAMES: dict[str, tuple[str, gpd.GeoDataFrame]] = {}


def project_frames(located: gpd.GeoDataFrame) -> list[gpd.GeoDataFrame]:
    """Each project's row as a frame of its own, in order. A frame is made again only when its row (or the table's
    columns) changed since the last call: making all 184 took 0.12 s of every preview rebuild. The frames are shared:
    callers must not change them."""
    columns = repr((list(located.columns), [str(t) for t in located.dtypes], located.crs))
    values = located.drop(columns="geometry").itertuples(index=False)
    shapes = shapely.to_wkb(located.geometry.values)
    made = {}
    for n, (fid, row, shape) in enumerate(zip(located.index, values, shapes, strict=True)):
        key = artifacts.digest(columns, repr(tuple(row)), shape)
        hit = _PROJECT_FRAMES.get(fid)
        made[fid] = hit if hit is not None and hit[0] == key else (key, located.iloc[[n]])
    _PROJECT_FRAMES.clear()
    _PROJECT_FRAMES.update(made)
    return [made[fid][1] for fid in located.index]


@dataclass
class Outlines:
    """City and county outlines simplified for drawing (`cities, counties = outlines`). Their GeoJSON is made once
    and shared by every map that draws them: folium would reproject and re-serialise the frames for each map."""

    cities: gpd.GeoDataFrame
    counties: gpd.GeoDataFrame
    made: dict = field(default_factory=dict, repr=False)

    def __iter__(self):
        return iter((self.cities, self.counties))

    def digest(self) -> str:
        """A key for the outlines' shapes and names (what a map draws of them)."""
        if "digest" not in self.made:
            self.made["digest"] = artifacts.digest(*(frame.to_wkb().to_csv() for frame in (self.cities,
                                                                                            self.counties)))
        return self.made["digest"]

    def geojson(self, layer: str, city: str = "*", lang: str = ZH) -> dict:
        """The `cities` layer, or the `counties` of one city ("*": all), as a FeatureCollection whose features are
        named (`name`) in edition `lang`."""
        if (layer, city, lang) not in self.made:
            if layer == "cities":
                frame = self.cities[["city", "geometry"]].assign(name=self.cities[NAMES[lang].county])
            else:
                shown = self.counties if city == "*" else self.counties[self.counties["city"] == city]
                # the key of its page: a tap on a county opens its name and a link there (atlas-map.js)
                frame = shown[["adcode", "geometry"]].assign(name=county_names_in(shown, lang),
                                                             key=shown["name_en"].map(routes.county_key))
            collection = json.loads(json.dumps(frame.__geo_interface__))  # as folium would
            for feature in collection["features"]:
                geometry = feature["geometry"]
                geometry["coordinates"] = rounded(geometry["coordinates"])
            self.made[layer, city, lang] = collection
        return self.made[layer, city, lang]


def county_names_in(counties: gpd.GeoDataFrame, lang: str) -> list[str]:
    """The counties' names in edition `lang` (the Chinese one where the English is missing)."""
    return names_in(counties, NAMES[lang].county, "name_zh").tolist()


OUTLINE_DECIMALS = 3  # ~100 m: finer than the ≥ 400 m the outlines are simplified to, and 2 bytes less a number


def rounded(coordinates):
    """Nested coordinate lists with every number rounded to OUTLINE_DECIMALS (shared vertices stay shared)."""
    if isinstance(coordinates, (int, float)):
        return round(coordinates, OUTLINE_DECIMALS)
    return [rounded(part) for part in coordinates]


def context_outlines(atlas: Atlas) -> Outlines:
    """Cities and counties simplified together as one coverage, for drawing only."""
    return simplified(atlas.counties, CONTEXT_TOLERANCE_DEG)


_SIMPLIFIED = artifacts.Recent(4)  # the context and region outlines with their GeoJSON, now and before an edit


def simplified(counties: gpd.GeoDataFrame, tolerance: float) -> Outlines:
    """The counties simplified as one coverage and the cities dissolved from them, so neighbours keep sharing
    their edges. Made once for the same counties and tolerance; the caller must not change them."""
    def make() -> Outlines:
        simple = counties.copy()
        simple["geometry"] = shapely.coverage_simplify(simple.geometry.values, tolerance)
        cities = simple.dissolve("city", as_index=False)[["city", "geometry"]]
        cities["name_zh"] = cities["city"].map(lambda key: CITY[key].zh)
        cities["name_en"] = cities["city"].map(lambda key: CITY[key].en)
        return Outlines(cities, simple)

    return _SIMPLIFIED.get(artifacts.digest(repr(tolerance), counties.drop(columns="geometry").to_csv(),
                                            b"".join(shapely.to_wkb(counties.geometry.values))), make)


AREA_SHARE = 0.04  # a county is named on a project map when this much of the map's frame lies in it


def county_names(counties: gpd.GeoDataFrame, frame, share: float, lang: str = ZH) -> list[tuple[str, shapely.Point]]:
    """(name, anchor) of every county covering at least `share` of the frame (in the counties' own units, lon/lat
    for a web map, UTM for a print), the anchor inside the part of the county that lies in the frame."""
    view = shapely.box(*frame)
    inside = shapely.intersection(counties.geometry.values, view)
    return [(name, part.representative_point()) for name, part in zip(county_names_in(counties, lang), inside,
                                                                      strict=True)
            if not part.is_empty and part.area >= share * view.area]


NAMED_PROJECTS = 60  # a map offers at most this many project names (atlas-map.js shows those that fit)


def name_anchors(features: gpd.GeoDataFrame, frame, lang: str = ZH) -> list[tuple[str, str, shapely.Point, bool]]:
    """(id, short name, anchor, beside a point?) of the projects a map may name, biggest first: lines by their
    length inside the frame, each named at the middle of its longest part there; then points and multi-site projects
    (at their first site in the frame) by how many measures speak of them; names in edition `lang` (the Chinese
    short name where the data has no English one)."""
    column = NAMES[lang].label
    view = shapely.box(*frame)
    shrink = math.cos(math.radians((frame[1] + frame[3]) / 2))  # a degree of longitude is this many of latitude
    lines, points = [], []
    for fid, feature in features.iterrows():
        geometry = feature.geometry
        if geometry.geom_type in ("Point", "MultiPoint"):
            sites = [site for site in getattr(geometry, "geoms", [geometry]) if view.contains(site)]
            if sites:
                points.append((-feature["mentions"], fid, name_of(feature, column, "short_name")[0], sites[0], True))
            continue
        inside = geometry.intersection(view)
        parts = [part for part in getattr(inside, "geoms", [inside]) if part.geom_type == "LineString"]
        if parts:
            length = shapely.affinity.scale(inside, xfact=shrink, yfact=1, origin=(0, 0)).length
            longest = max(parts, key=lambda part: part.length)
            name = name_of(feature, column, "short_name")[0]
            lines.append((-length, fid, name, longest.interpolate(0.5, normalized=True), False))
    ranked = sorted(lines) + sorted(points)
    return [(fid, name, anchor, point) for _, fid, name, anchor, point in ranked[:NAMED_PROJECTS]]


def county_rooms(counties: gpd.GeoDataFrame, lang: str = ZH) -> list[tuple[str, shapely.Point, float]]:
    """(name, centre, radius) of the widest circle inside each county (in its largest part; radius in degrees of
    latitude, measured with longitudes shrunk by the cosine of the latitude), widest first: where a city map puts
    each county's name, and how much room the name has."""
    rooms = []
    for name, geometry in zip(county_names_in(counties, lang), counties.geometry, strict=True):
        part = max(getattr(geometry, "geoms", [geometry]), key=lambda polygon: polygon.area)
        shrink = math.cos(math.radians(part.centroid.y))
        flat = shapely.affinity.scale(part, xfact=shrink, yfact=1, origin=(0, 0))
        centre, edge = shapely.maximum_inscribed_circle(flat, 0.001).coords
        rooms.append((name, shapely.Point(centre[0] / shrink, centre[1]), math.dist(centre, edge)))
    return sorted(rooms, key=lambda room: -room[2])


def region_outlines(outlines: Outlines) -> Outlines:
    """The coarser outlines the overview draws (the whole region at REGION_TOLERANCE_DEG)."""
    return simplified(outlines.counties, REGION_TOLERANCE_DEG)


def county_layer(city: str) -> str:
    """The shared outline layer of one city's counties, or of all ("*")."""
    return "counties-all" if city == "*" else f"counties-{city}"
