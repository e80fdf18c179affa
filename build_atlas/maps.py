"""Stage 3: the interactive maps, one self-hosted folium page per subject.

Every map is built from a MapSpec (what to frame and what to draw); folium's random element ids are
replaced by a counter so that the same data gives the same bytes.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import branca
import folium
import geopandas as gpd
import polyline
import shapely

from . import artifacts, routes, style
from .model import Atlas
from .schema import CITIES, FEATURE_STATUSES, KIND_SHAPES, KINDS, LAYERS, THEMES, by_key

artifacts.compile_templates_once()  # folium compiles a Jinja template per element otherwise

KIND = by_key(KINDS)
STATUS = by_key(FEATURE_STATUSES)
CITY = by_key(CITIES)
CONTEXT_TOLERANCE_DEG = 0.004  # outlines drawn only for context: ~400 m, shared edges kept shared
CONTROLS_WIDTH_PX = 200
REGION_TOLERANCE_DEG = 0.012  # the whole region spans ~1000 px: ~1 km a pixel, so ~1.2 km detail is enough
BOUNDARY_ATTRIBUTION = "行政区划 © 高德 AMap / cnmaps"

ATLAS_NAME = "呼包鄂乌一体化政策图集"

# Self-hosted replacements for folium's CDN assets, then the plugins and the atlas's own map behaviour
# (build_atlas/map/): (folium name, path under the site's assets/vendor/). Order matters: the plugins hook into
# L.Map before folium's script makes the map. No jQuery: only folium's plain-string Popup and its "stay in front"
# option use it, and these maps use neither (88 KB less on every page with a map).
VENDOR_JS = [("leaflet", "leaflet/leaflet.js"),
             ("polyline", "polyline/polyline.js"),
             ("gesture_handling", "leaflet-gesture-handling/leaflet-gesture-handling.min.js"),
             ("fullscreen", "leaflet.fullscreen/Control.FullScreen.umd.js"), ("atlas_map", "atlas/atlas-map.js")]
VENDOR_CSS = [("leaflet_css", "leaflet/leaflet.css"),
              ("gesture_handling_css", "leaflet-gesture-handling/leaflet-gesture-handling.min.css"),
              ("fullscreen_css", "leaflet.fullscreen/Control.FullScreen.css"), ("atlas_map_css", "atlas/atlas-map.css")]
ATLAS_ASSETS = {  # site path under assets/vendor/ → the atlas's own file
    "atlas/atlas-map.js": Path(__file__).parent / "map" / "atlas-map.js",
    "atlas/atlas-map.css": Path(__file__).parent / "map" / "atlas-map.css",
}
GESTURE_TEXT = {"touch": "用双指移动地图", "scroll": "按住 Ctrl 滚动滚轮缩放地图，或先点击地图",
                "scrollMac": "按住 ⌘ 滚动滚轮缩放地图，或先点击地图"}
# Point symbols: vertices of a unit outline (radius 1) for each shape; circles are drawn as circles.
SHAPE_OUTLINES = {
    "square": [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
    "triangle": [[0, -1.15], [1.05, 0.75], [-1.05, 0.75]],
    "diamond": [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
    "cross": [[-0.4, -1.15], [0.4, -1.15], [0.4, -0.4], [1.15, -0.4], [1.15, 0.4], [0.4, 0.4], [0.4, 1.15],
              [-0.4, 1.15], [-0.4, 0.4], [-1.15, 0.4], [-1.15, -0.4], [-0.4, -0.4]],
}
POINT_RADIUS = 7

TILES = {
    "osm": dict(tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png", name="OpenStreetMap",
                attr='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
    "tianditu": dict(tiles="https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                     "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
                     "&tk={key}", name="天地图", attr="&copy; 天地图 Tianditu", subdomains="01234567"),
}


@dataclass
class MapSpec:
    """What one map shows: its subject's frame, the features drawn and the boundary detail."""

    name: str  # file stem under maps/, e.g. "city-hohhot"
    title: str
    features: gpd.GeoDataFrame
    frame: tuple[float, float, float, float]  # lon/lat bounds to fit
    counties_of: str = ""  # city key whose county units are drawn, "" for none, "*" for all
    tolerance: float = CONTEXT_TOLERANCE_DEG  # outline simplification for the web map (prints keep the finer)


@dataclass
class MapOptions:
    tiles: str = "osm"
    tianditu_key: str = ""
    site_url: str = ""  # absolute base for links in standalone exports; relative when empty
    today: str = ""  # the build date (YYYY-MM-DD) maps say their data is as of; none shown when empty


MAP_ROOT = "../" * routes.map_page("x").count("/")  # from a map page to the site's root
ASSET_BASE = MAP_ROOT + routes.vendor("")


def padded(bounds, fraction: float = 0.08, minimum: float = 0.25) -> tuple[float, float, float, float]:
    west, south, east, north = bounds
    dx = max((east - west) * fraction, minimum)
    dy = max((north - south) * fraction, minimum)
    return west - dx, south - dy, east + dx, north + dy


def map_specs(atlas: Atlas) -> list[MapSpec]:
    """The overview, one map per city, per theme with features, and per project."""
    region = tuple(atlas.cities.total_bounds)
    def drawn(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return features[features.geometry.notna()]

    specs = [MapSpec("overview", "呼包鄂乌一体化规划项目总览图", atlas.located, padded(region, 0.02), "*",
                     REGION_TOLERANCE_DEG)]
    for city in CITIES:
        outline = atlas.cities.loc[city.key, "geometry"]
        specs.append(MapSpec(f"city-{city.key}", f"{city.zh}规划项目图", drawn(atlas.features_of_city(city.key)),
                             padded(outline.bounds, 0.03), city.key))
    for theme in THEMES:
        features = drawn(atlas.features_of_theme(theme.key))
        if len(features):
            bounds = shapely.union_all(list(features.geometry) + [shapely.box(*region)]).bounds
            specs.append(MapSpec(f"theme-{theme.key}", f"{theme.zh}主题项目图", features, padded(bounds, 0.02)))
    located = atlas.located
    for (fid, feature), one in zip(located.iterrows(), project_frames(located), strict=True):
        # every county drawn, and those in view named: without tiles (on paper, offline) they are the only context
        specs.append(MapSpec(f"project-{fid}", feature["name_zh"], one, padded(feature.geometry.bounds, 0.15, 0.3),
                             "*"))
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

    def geojson(self, layer: str, city: str = "*") -> dict:
        """The `cities` layer, or the `counties` of one city ("*": all), as a FeatureCollection."""
        if (layer, city) not in self.made:
            if layer == "cities":
                frame = self.cities[["city", "name_zh", "geometry"]]
            else:
                shown = self.counties if city == "*" else self.counties[self.counties["city"] == city]
                frame = shown[["adcode", "name_zh", "geometry"]]
            collection = json.loads(json.dumps(frame.__geo_interface__))  # as folium would
            for feature in collection["features"]:
                geometry = feature["geometry"]
                geometry["coordinates"] = rounded(geometry["coordinates"])
            self.made[layer, city] = collection
        return self.made[layer, city]


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
        return Outlines(cities, simple)

    return _SIMPLIFIED.get(artifacts.digest(repr(tolerance), counties.drop(columns="geometry").to_csv(),
                                            b"".join(shapely.to_wkb(counties.geometry.values))), make)


def feature_note(feature) -> str:
    """The popup's line under the names: kind, stated status and precision."""
    status = STATUS.get(feature["status"])
    return (f"{KIND[feature['kind']].zh} · {status.zh if status else '未注明进展'}"
            + (" · 示意" if feature["precision"] == "schematic" else ""))


def feature_layer(features: gpd.GeoDataFrame, emphasis: bool) -> dict:
    """GeoJSON for one layer; display strings are escaped here, once, so the map may use them as HTML (atlas-map.js
    makes the popup from label, en, note and id: the link to the project page)."""
    records = []
    for fid, feature in features.iterrows():
        records.append({
            "type": "Feature",
            "geometry": shapely.geometry.mapping(feature.geometry),
            "properties": {
                "id": fid, "label": html.escape(feature["name_zh"]), "en": html.escape(feature["name_en"]),
                "note": html.escape(feature_note(feature)), "kind": feature["kind"],
                "planned": style.planned(feature["status"]), "emphasis": emphasis,
            },
        })
    return {"type": "FeatureCollection", "features": records}


def feature_style(feature: dict) -> dict:
    """The Leaflet style of a feature: lines dashed when planned; points in their kind's shape, hollow when
    planned (a dash on a small outline would read as a scalloped shape that the legend does not show)."""
    props = feature["properties"]
    color, hollow = KIND[props["kind"]].color, props["planned"]
    if feature["geometry"]["type"] == "Point":
        return {"outline": SHAPE_OUTLINES.get(KIND_SHAPES[props["kind"]]), "radius": POINT_RADIUS,
                "weight": 2.5 if hollow else 1.5, "color": color if hollow else "#ffffff",
                "fillColor": "#ffffff" if hollow else color, "fillOpacity": 1, "opacity": 1}
    return {"color": color, "weight": 5 if props["emphasis"] else 3.5, "dashArray": "8 6" if hollow else None,
            "fillColor": color, "fillOpacity": 0.35, "opacity": 0.95}


class AtlasSymbol(folium.CircleMarker):
    """A point drawn as L.AtlasSymbol (atlas-map.js): a CircleMarker whose style may give it an outline shape."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._name = "AtlasSymbol"


# Tooltips (every shape's name) and popups (a project's) are bound by one shared function of atlas-map.js.
BIND_FEATURE = folium.JsCode("atlasMap.bindFeature")


def layer_features(features: gpd.GeoDataFrame, layer) -> gpd.GeoDataFrame:
    return features[features["kind"].isin(style.kinds_of(layer.key))]


def add_features(fmap: folium.Map, spec: MapSpec) -> None:
    emphasis = spec.name.startswith("project-")
    for layer in LAYERS:
        subset = layer_features(spec.features, layer)
        if subset.empty:
            continue
        group = folium.FeatureGroup(name=f"{layer.zh} {layer.en}", show=True)
        folium.GeoJson(
            feature_layer(subset, emphasis),
            name=layer.key,
            style_function=feature_style,
            marker=AtlasSymbol(radius=POINT_RADIUS, fill=True),
            on_each_feature=BIND_FEATURE,
        ).add_to(group)
        group.add_to(fmap)


def add_boundaries(fmap: folium.Map, spec: MapSpec, outlines: Outlines) -> None:
    if spec.counties_of:
        folium.GeoJson(
            outlines.geojson("counties", spec.counties_of), name="旗县区 Counties",
            style_function=lambda f: {"color": "#6b7b8c", "weight": 0.8, "fillOpacity": 0, "dashArray": "3 3"},
            on_each_feature=BIND_FEATURE,
        ).add_to(fmap)
    focus = spec.counties_of if spec.counties_of not in ("", "*") else None
    folium.GeoJson(
        outlines.geojson("cities"), name="市界 City boundaries",
        style_function=lambda f: {"color": "#34495e", "weight": 2.5 if f["properties"]["city"] == focus else 1.5,
                                  "fillColor": CITY[f["properties"]["city"]].color,
                                  "fillOpacity": 0.10 if focus in (None, f["properties"]["city"]) else 0.03},
        on_each_feature=BIND_FEATURE,
    ).add_to(fmap)


class AreaLabels(branca.element.MacroElement):
    """Names of areas (cities, counties) as non-interactive text markers. (folium.Marker adds a marker with
    Leaflet's default image icon before it swaps in a DivIcon, which fetches marker-icon.png: a failed request in
    a standalone file.)"""

    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        {{ this.labels|tojson }}.forEach(function (label) {
            L.marker([label.lat, label.lon], {interactive: false, keyboard: false, icon: L.divIcon({
                className: "", iconSize: [{{ this.width }}, 20], iconAnchor: [{{ this.width // 2 }}, 10],
                html: '<div class="{{ this.css }}">' + label.text + '</div>'})
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)

    def __init__(self, names: list[tuple[str, shapely.Point]], css: str, width: int):
        super().__init__()
        self._name = "AreaLabels"
        self.css, self.width = css, width
        self.labels = [{"text": html.escape(text), "lat": round(point.y, 5), "lon": round(point.x, 5)}
                       for text, point in names]


AREA_SHARE = 0.04  # a county is named on a project map when this much of the map's frame lies in it


def add_area_labels(fmap: folium.Map, spec: MapSpec, outlines: Outlines) -> None:
    """The cities' names; on a project map also the names of the counties in view, each inside the part in view."""
    fmap.add_child(AreaLabels([(CITY[city["city"]].zh, city.geometry.representative_point())
                               for _, city in outlines.cities.iterrows()], "atlas-city-label", 80))
    if spec.name.startswith("project-"):
        fmap.add_child(AreaLabels(county_names(outlines.counties, spec.frame, AREA_SHARE), "atlas-county-label", 140))


def county_names(counties: gpd.GeoDataFrame, frame, share: float) -> list[tuple[str, shapely.Point]]:
    """(name, anchor) of every county covering at least `share` of the frame (in the counties' own units, lon/lat
    for a web map, UTM for a print), the anchor inside the part of the county that lies in the frame."""
    view = shapely.box(*frame)
    inside = shapely.intersection(counties.geometry.values, view)
    return [(name, part.representative_point()) for name, part in zip(counties["name_zh"], inside, strict=True)
            if not part.is_empty and part.area >= share * view.area]


def symbol_svg(kind: str, geometry: str, planned: bool = False, neutral: bool = False) -> str:
    """The legend's drawing of a symbol, made from the same style the map draws it with (`neutral`: in grey, for
    the status key)."""
    style = feature_style({"geometry": {"type": geometry}, "properties": {"kind": kind, "planned": planned,
                                                                          "emphasis": False}})
    if neutral:
        style = {key: "#555555" if value == KIND[kind].color else value for key, value in style.items()}
    if geometry != "Point":
        dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
        return (f'<svg class="sym" width="28" height="16" aria-hidden="true"><line x1="1" y1="8" x2="27" y2="8" '
                f'stroke="{style["color"]}" stroke-width="{style["weight"]}"{dash}/></svg>')
    r, c = style["radius"], 9
    paint = f'stroke="{style["color"]}" stroke-width="{style["weight"]}" fill="{style["fillColor"]}"'
    if style["outline"] is None:
        body = f'<circle cx="{c}" cy="{c}" r="{r}" {paint}/>'
    else:
        points = "L".join(f"{c + x * r:g} {c + y * r:g}" for x, y in style["outline"])
        body = f'<path d="M{points}z" {paint}/>'
    return f'<svg class="sym" width="18" height="18" aria-hidden="true">{body}</svg>'


def legend_html(spec: MapSpec) -> str:
    """Each kind on the map with exactly the symbols drawn for it (line and/or point), then the status key."""
    drawn = spec.features.assign(point=spec.features.geometry.geom_type == "Point")
    items = []
    for kind in [k.key for k in KINDS if k.key in set(drawn["kind"])]:
        points = drawn.loc[drawn["kind"] == kind, "point"]
        symbols = ([symbol_svg(kind, "LineString")] if (~points).any() else []) + \
                  ([symbol_svg(kind, "Point")] if points.any() else [])
        items.append(f'<li>{"".join(symbols)}{html.escape(KIND[kind].zh)}</li>')
    key = "hsr"  # any kind: the status key is drawn in grey
    status = (f'<li>{symbol_svg(key, "LineString", neutral=True)}{symbol_svg(key, "LineString", True, True)}'
              "实线：建设/建成；虚线：规划/前期</li>")
    if drawn["point"].any():
        status += (f'<li>{symbol_svg("hsr", "Point", neutral=True)}{symbol_svg("hsr", "Point", True, True)}'
                   "实心：建设/建成；空心：规划/前期</li>")
    return ('<details class="atlas-legend leaflet-control" open><summary>图例</summary><ul>' + "".join(items)
            + status + '</ul><p class="note">示意图，非精确走向；不作为权属界线依据</p></details>')


class Legend(branca.element.MacroElement):
    """A bottom-right Leaflet control holding the legend (a <details>, closed on phones by atlas-map.js)."""

    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div.firstChild);
            L.DomEvent.disableScrollPropagation(div.firstChild);
            return div.firstChild;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.attribution = BOUNDARY_ATTRIBUTION


def caption_html(spec: MapSpec, options: MapOptions, link_base: str) -> str:
    """The one-line title, data date and source shown on embedded and exported maps (and on paper)."""
    date = f' <span class="date">数据截至 {html.escape(options.today)}</span>' if options.today else ""
    page = html.escape(link_base + routes.map_home(spec.name))
    return (f'<header class="atlas-caption"><h1>{html.escape(spec.title)}</h1>{date} '
            f'<span class="source">来源：<a href="{page}" target="_top">{ATLAS_NAME}</a></span></header>')


class Controls(branca.element.MacroElement):
    """The layer list (collapsed on phones), zoom, reset view and fullscreen, set up by atlas-map.js."""

    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        {#- named and shaped as folium's LayerControl names its layers, for scripts that look them up -#}
        var layer_control_{{ this._id }}_layers = {
            base_layers: {},
            overlays: { {%- for name, layer in this.overlays %}
                {{ name|tojson }}: {{ layer.get_name() }},{% endfor %}
            },
        };
        atlasMap.enhance({{ this._parent.get_name() }}, {
            frame: {{ this.frame|tojson }}, controlsWidth: {{ this.controls_width }},
            linkBase: {{ this.link_base|tojson }},
            overlays: layer_control_{{ this._id }}_layers.overlays
        });
        {% endmacro %}
    """)

    def __init__(self, frame, overlays, link_base: str):
        super().__init__()
        self._name = "Controls"
        self.frame, self.overlays, self.controls_width = frame, overlays, CONTROLS_WIDTH_PX
        self.link_base = link_base  # where popups link to project pages


def stable_ids(element, counter=None) -> None:
    """Replace folium's random uuid element ids by a depth-first counter (reproducible output)."""
    counter = counter or itertools.count()
    element._id = f"{next(counter):08x}"
    for child in list(element._children.values()):
        stable_ids(child, counter)


def base_map(spec: MapSpec, options: MapOptions, asset_base: str) -> folium.Map:
    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, prefer_canvas=False, zoom_control=False,
                      gestureHandling=True, gestureHandlingOptions={"text": GESTURE_TEXT, "duration": 1500})
    fmap.default_js = [(name, asset_base + path) for name, path in VENDOR_JS]
    fmap.default_css = [(name, asset_base + path) for name, path in VENDOR_CSS]
    if options.tiles in TILES and not (options.tiles == "tianditu" and not options.tianditu_key):
        layer = dict(TILES[options.tiles])
        layer["tiles"] = layer["tiles"].replace("{key}", options.tianditu_key)
        folium.TileLayer(**layer, max_zoom=18, control=False).add_to(fmap)  # one base layer: nothing to choose
    west, south, east, north = spec.frame
    # the layer control and the legend stand along the right edge: frame the subject in the space left of them
    fit = folium.map.FitBounds([[south, west], [north, east]], padding_bottom_right=(CONTROLS_WIDTH_PX, 0))
    # at once, not animated: an animated zoom lands a frame later, over atlas-map.js's own framing on phones
    fit.options["animate"] = False
    fmap.add_child(fit)
    fmap.get_root().header.add_child(branca.element.Element(f"<title>{html.escape(spec.title)}</title>"))
    return fmap


# folium's page template fixes these; the atlas's maps speak Chinese and let readers pinch-zoom the page.
PAGE_FIXES = (("<html>", '<html lang="zh">'),
              ("initial-scale=1.0, maximum-scale=1.0, user-scalable=no", "initial-scale=1.0"))


def fix_page(page: str) -> str:
    for old, new in PAGE_FIXES:
        if page.count(old) != 1:
            raise ValueError(f"folium's page template changed: review PAGE_FIXES in build_atlas/maps.py ({old!r})")
        page = page.replace(old, new)
    return page


SHOWN_COLUMNS = ["id", "name_zh", "name_en", "kind", "status", "precision", "geometry"]  # all a map shows of a feature


def map_key(spec: MapSpec, options: MapOptions, outlines: Outlines, asset_base: str = ASSET_BASE,
            link_base: str = MAP_ROOT, shared: dict[str, str] | None = None,
            shown: dict[str, str] | None = None) -> str:
    """Digest of exactly what render_map draws the map from: the features' shown columns (`shown`: their
    artifacts.row_digests for every located feature, when the caller has them), the frame and outlines, the options,
    and the code and library versions."""
    if shown is None:
        shown = artifacts.row_digests(spec.features, SHOWN_COLUMNS)
    return artifacts.digest(
        artifacts.code_digest(Path(__file__), assets=tuple(ATLAS_ASSETS.values())), outlines.digest(),
        *(shown[fid] for fid in spec.features.index),
        repr((spec.name, spec.title, spec.frame, spec.counties_of, spec.tolerance, options, asset_base, link_base,
              sorted(shared_by(spec, shared)))))


# folium's templates indent their output deeply; no line of a map page needs its indent (no <pre>, no string
# literal spans lines), and dropping it saves about a quarter of a page's own bytes.
LEADING_SPACE = re.compile(r"\n[ \t]+")
GEOJSON_CALL = re.compile(r"(geo_json_\w+_add)\((?=\{)")  # folium hands each layer's data to its _add function


def region_outlines(outlines: Outlines) -> Outlines:
    """The coarser outlines the overview draws (the whole region at REGION_TOLERANCE_DEG)."""
    return simplified(outlines.counties, REGION_TOLERANCE_DEG)


def county_layer(city: str) -> str:
    """The shared outline layer of one city's counties, or of all ("*")."""
    return "counties-all" if city == "*" else f"counties-{city}"


def outline_layers(outlines: Outlines) -> dict[str, dict]:
    """The outline layers web maps share: the cities, each city's counties and all counties (the project maps'),
    and the overview's coarser two."""
    region = region_outlines(outlines)
    layers = {"cities": outlines.geojson("cities")}
    layers.update({county_layer(key): outlines.geojson("counties", key) for key in (*(c.key for c in CITIES), "*")})
    layers.update({"region-cities": region.geojson("cities"), "region-counties": region.geojson("counties")})
    return layers


_FEATURE_LAYERS = artifacts.Recent()  # the last features' layers: a build asks for them once per map


def feature_layers(atlas: Atlas) -> dict[str, dict]:
    """Each map layer's located features as the overview, city and theme maps draw them (project maps emphasise
    their own feature, so they keep it inline). Made once while what the maps show of the features is unchanged;
    the caller must not change them."""
    def make() -> dict[str, dict]:
        layers = {}
        for layer in LAYERS:
            subset = layer_features(atlas.located, layer)
            if not subset.empty:
                layers[f"features-{layer.key}"] = json.loads(json.dumps(feature_layer(subset, emphasis=False)))
        return layers

    rows = artifacts.row_digests(atlas.located, SHOWN_COLUMNS)
    return _FEATURE_LAYERS.get(artifacts.digest(*(f"{fid}\0{row}" for fid, row in rows.items())), make)


def packed(collection: dict) -> dict:
    """The FeatureCollection with each polygon ring as an encoded polyline (Google's algorithm, OUTLINE_DECIMALS
    precision: 3 bytes a vertex where the numbers took 16); atlas-map.js's `unpack` restores the GeoJSON."""
    def ring(points: list) -> str:
        return polyline.encode(points, OUTLINE_DECIMALS, geojson=True)

    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            coordinates = [ring(points) for points in geometry["coordinates"]]
        else:  # MultiPolygon
            coordinates = [[ring(points) for points in polygon] for polygon in geometry["coordinates"]]
        features.append({**feature, "geometry": {"type": geometry["type"], "coordinates": coordinates}})
    return {**collection, "features": features}


def shared_scripts(atlas: Atlas, outlines: Outlines) -> dict[str, tuple[str, str]]:
    """{key: (file name, script)} for the data web maps share, each loaded with a <script> (which works from file://,
    unlike fetch) by the maps that draw it, and cached by the browser, instead of inlined in every map. An outline
    script sets `atlasOutlines[key]`, its rings packed as encoded polylines; a feature script sets
    `atlasFeatures[key]`, from which a map picks its features by id. Names carry a digest: a browser never keeps a
    stale copy. (The single-file map a reader downloads has them written into it, by atlas-embed.js.)"""
    scripts = dict(outline_scripts(outlines))
    for key, data in feature_layers(atlas).items():
        text = script_json(data)
        scripts[key] = (f"{key}-{artifacts.digest(text)[:12]}.js",
                        f"var atlasFeatures = window.atlasFeatures || {{}};\n"
                        f"atlasFeatures[{json.dumps(key)}] = {text};\n")
    return scripts


_OUTLINE_SCRIPTS = artifacts.Recent()  # the last outlines' scripts (a preview reuses them)


def outline_scripts(outlines: Outlines) -> dict[str, tuple[str, str]]:
    """shared_scripts' outline part, made once while the outlines stay the same (encoding them takes a while)."""
    def make() -> dict[str, tuple[str, str]]:
        scripts = {}
        for key, data in outline_layers(outlines).items():
            text = script_json(packed(data))
            scripts[key] = (f"outlines-{key}-{artifacts.digest(text)[:12]}.js",
                            f"var atlasOutlines = window.atlasOutlines || {{}};\n"
                            f"atlasOutlines[{json.dumps(key)}] = atlasMap.unpack({text});\n")
        return scripts

    return _OUTLINE_SCRIPTS.get(outlines.digest(), make)


def refer_to_shared(page: str, candidates: dict[str, dict]) -> str:
    """Replace each layer inlined by folium that a shared script holds by a reference to it: an outline layer by
    `atlasOutlines[key]`, a feature layer whose every feature the shared layer holds by `atlasMap.pick(...)` with
    their ids. Other layers' data is written compactly: folium escapes every Chinese character as a 6-byte \\u
    escape."""
    by_id = {key: {f["properties"]["id"]: f for f in data["features"]}
             for key, data in candidates.items() if key.startswith("features-")}
    decoder, out, at = json.JSONDecoder(), [], 0
    for match in GEOJSON_CALL.finditer(page):
        data, end = decoder.raw_decode(page, match.end())
        out.append(page[at:match.end()])
        out.append(shared_reference(data, candidates, by_id) or inline(data))
        at = end
    return "".join(out) + page[at:]


def inline(data: dict) -> str:
    """A layer's data written into the page: outlines (all polygons) packed as encoded polylines, others as JSON."""
    features = data.get("features") or []
    if features and all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features):
        return f"atlasMap.unpack({script_json(packed(data))})"
    return script_json(data)


def shared_reference(data: dict, candidates: dict[str, dict], by_id: dict[str, dict]) -> str | None:
    for key, shared in candidates.items():
        if key.startswith("features-"):
            features, held = data.get("features") or [], by_id[key]
            if features and all(held.get(f["properties"].get("id")) == f for f in features):
                ids = [f["properties"]["id"] for f in features]
                return f"atlasMap.pick(atlasFeatures[{json.dumps(key)}],{script_json(ids)})"
        elif shared == data:
            return f"atlasOutlines[{json.dumps(key)}]"
    return None


def script_json(data) -> str:
    """JSON safe inside an HTML <script> (as Jinja's tojson makes it), but UTF-8 and without spaces."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def shared_by(spec: MapSpec, shared: dict[str, str] | None) -> dict[str, str]:
    """The entries of `shared` ({key: file name}) that the map loads: its outlines, and unless it is a project map
    the feature layers it draws."""
    region = spec.tolerance > CONTEXT_TOLERANCE_DEG
    wanted = {"region-cities", "region-counties"} if region else {"cities", county_layer(spec.counties_of)}
    if not spec.name.startswith("project-"):
        kinds = set(spec.features["kind"])
        wanted |= {f"features-{style.layer_of(kind).key}" for kind in kinds}
    return {key: name for key, name in (shared or {}).items() if key in wanted}


def render_map(spec: MapSpec, atlas: Atlas, options: MapOptions, asset_base: str = ASSET_BASE,
               link_base: str = MAP_ROOT, outlines=None, shared: dict[str, str] | None = None,
               keep_names: bool = False) -> str:
    """The map page's full HTML, with assets under `asset_base` and links relative to `link_base`. `shared`:
    {key: file name} of shared_scripts' files beside the page; the page loads those whose data it draws instead of
    inlining it (with none, everything is inlined)."""
    outlines = outlines or context_outlines(atlas)
    region = spec.tolerance > CONTEXT_TOLERANCE_DEG
    if region:
        outlines = simplified(outlines.counties, spec.tolerance)
    drawn = ({"region-cities": outlines.geojson("cities"), "region-counties": outlines.geojson("counties")} if region
             else {"cities": outlines.geojson("cities"),
                   county_layer(spec.counties_of): outlines.geojson("counties", spec.counties_of)})
    shared = shared_by(spec, shared)
    fmap = base_map(spec, options, asset_base)
    fmap.default_js += [(f"atlas_shared_{n}", SHARED_NAME.format(key)) for n, key in enumerate(shared)]
    fmap.get_root().html.add_child(branca.element.Element(caption_html(spec, options, link_base)))
    add_boundaries(fmap, spec, outlines)
    add_features(fmap, spec)
    add_area_labels(fmap, spec, outlines)
    fmap.add_child(Legend(legend_html(spec)))
    overlays = [(child.layer_name, child) for child in fmap._children.values()
                if isinstance(child, (folium.GeoJson, folium.FeatureGroup))]
    west, south, east, north = spec.frame
    fmap.add_child(Controls([[south, west], [north, east]], overlays, link_base))
    stable_ids(fmap.get_root())
    page = LEADING_SPACE.sub("\n", fix_page(fmap.get_root().render()))
    candidates = {key: data for key, data in drawn.items() if key in shared}
    if any(key.startswith("features-") for key in shared):
        candidates.update({key: data for key, data in feature_layers(atlas).items() if key in shared})
    page = refer_to_shared(page, candidates)
    return page if keep_names else named_shared(page, shared)


def map_pages(specs: list[MapSpec], atlas: Atlas, options: MapOptions, outlines: Outlines, shared: dict[str, str],
              cache: artifacts.ArtifactCache, workers: int | None = None) -> dict[str, str]:
    """{map name: page HTML} for every spec, as the site serves it: each rendered only when what it shows changed
    (the others read from `cache`), the missing ones across the cores (`workers=1`: in this process)."""
    shown = artifacts.row_digests(atlas.located, SHOWN_COLUMNS)
    by_name = {spec.name: spec for spec in specs}
    keys = {spec.name: map_key(spec, options, outlines, shared=shared, shown=shown) for spec in specs}
    pages = cache.get_all("maps", keys, lambda name: render_map(by_name[name], atlas, options, outlines=outlines,
                                                                shared=shared, keep_names=True), workers)
    return {name: named_shared(page, shared_by(by_name[name], shared)) for name, page in pages.items()}


SHARED_NAME = "atlas-shared:{}"  # where a map page loads a shared script; its file name (with a digest) goes there


def named_shared(page: str, shared: dict[str, str]) -> str:
    """The page with the current file names of the shared scripts it loads. A map page is cached with their keys
    instead (render_map's `keep_names`): an edit that changes a shared script's digest leaves the pages that load it
    to a replacement here instead of a new rendering."""
    for key, name in shared.items():
        page = page.replace(f'"{SHARED_NAME.format(key)}"', f'"{name}"')
    return page
