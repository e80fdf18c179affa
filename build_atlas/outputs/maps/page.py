"""One self-hosted folium page per map: the Leaflet map with its controls, legend and caption, rendered only when what
it shows changed (the artifact cache); folium's random element ids are replaced by a counter so that the same data
gives the same bytes."""

from __future__ import annotations

import functools
import html
import itertools
import json
import re
from pathlib import Path

import branca
import folium
import shapely
import xyzservices

from ...cache import artifacts
from ...inputs.model import Atlas
from ...vocabulary import routes, style
from ...vocabulary.schema import LAYERS
from .layers import (
    POINT_RADIUS,
    SHARED_NAME,
    SHOWN_COLUMNS,
    feature_layer,
    feature_layers,
    feature_style,
    layer_features,
    legend_html,
    named_shared,
    refer_to_shared,
    shared_by,
)
from .specs import (
    AREA_SHARE,
    CITY,
    CONTEXT_TOLERANCE_DEG,
    MapOptions,
    MapSpec,
    Outlines,
    context_outlines,
    county_layer,
    county_names,
    county_rooms,
    name_anchors,
    simplified,
)
from .words import EN, NAMES, ZH, name_of, term_label, words

artifacts.compile_templates_once()  # folium compiles a Jinja template per element otherwise


# Self-hosted replacements for folium's CDN assets, then the plugins and the atlas's own map behaviour
# (build_atlas/outputs/map/): (folium name, path under the site's assets/vendor/). Order matters: the plugins hook into
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
    "atlas/atlas-map.js": Path(__file__).parent.parent / "map" / "atlas-map.js",
    "atlas/atlas-map.css": Path(__file__).parent.parent / "map" / "atlas-map.css",
}


def gesture_text(lang: str) -> dict[str, str]:
    """What Leaflet.GestureHandling says when one finger or the wheel alone would move the map."""
    said = words(lang)
    return {"touch": said["touch"], "scroll": said["scroll"], "scrollMac": said["scroll_mac"]}


TILES = {  # `attr`: the words of words.py that credit them
    "osm": dict(tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png", name="OpenStreetMap", attr="osm"),
    "tianditu": dict(tiles="https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                     "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
                     "&tk={key}", name="Tianditu", attr="tianditu", subdomains="01234567"),
}


MAP_ROOT = "../" * routes.map_page("x").count("/")  # from a map page to its edition's top (its pages and images)


def site_root(lang: str = ZH) -> str:
    """From a map page of edition `lang` to the site's top, where the shared assets are."""
    return "../" * routes.map_page("x", lang).count("/")


class AtlasSymbol(folium.CircleMarker):
    """A point drawn as L.AtlasSymbol (atlas-map.js): a CircleMarker whose style may give it an outline shape."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._name = "AtlasSymbol"


# Tooltips (every shape's name) and popups (a project's) are bound by one shared function of atlas-map.js.
BIND_FEATURE = folium.JsCode("atlasMap.bindFeature")


def add_features(fmap: folium.Map, spec: MapSpec) -> None:
    emphasis, kinds = spec.name.startswith("project-"), set(spec.features["kind"])
    for layer in LAYERS:
        if kinds.isdisjoint(style.kinds_of(layer.key)):
            continue
        subset = layer_features(spec.features, layer)
        group = folium.FeatureGroup(name=term_label(layer, spec.lang), show=True)
        folium.GeoJson(
            feature_layer(subset, spec.lang),
            name=layer.key,
            style_function=functools.partial(feature_style, emphasis=emphasis),
            marker=AtlasSymbol(radius=POINT_RADIUS, fill=True),
            on_each_feature=BIND_FEATURE,
        ).add_to(group)
        group.add_to(fmap)


def county_style(focus: str):
    """A county's outline: dashed and thin, or bold round the county a county map is about."""
    def style(feature: dict) -> dict:
        if feature["properties"]["adcode"] == focus:
            return {"color": "#1b2631", "weight": 3, "fillColor": "#1b2631", "fillOpacity": 0.07}
        return {"color": "#6b7b8c", "weight": 0.8, "fillOpacity": 0, "dashArray": "3 3"}
    return style


def add_boundaries(fmap: folium.Map, spec: MapSpec, outlines: Outlines) -> None:
    """The cities, and over them the counties: a tap or click inside a county opens its name and a link to its
    page (atlas-map.js), where the city beneath would say only the city's name."""
    focus = spec.counties_of if spec.counties_of not in ("", "*") else None
    said = words(spec.lang)
    folium.GeoJson(
        outlines.geojson("cities", lang=spec.lang), name=said["cities_layer"],
        style_function=lambda f: {"color": "#34495e", "weight": 2.5 if f["properties"]["city"] == focus else 1.5,
                                  "fillColor": CITY[f["properties"]["city"]].color,
                                  "fillOpacity": 0.10 if focus in (None, f["properties"]["city"]) else 0.03},
        on_each_feature=BIND_FEATURE,
    ).add_to(fmap)
    if spec.counties_of:
        folium.GeoJson(outlines.geojson("counties", spec.counties_of, spec.lang), name=said["counties_layer"],
                       style_function=county_style(spec.focus), on_each_feature=BIND_FEATURE).add_to(fmap)


class AreaLabels(branca.element.MacroElement):
    """Names of areas (cities, counties) as non-interactive text markers. (folium.Marker adds a marker with
    Leaflet's default image icon before it swaps in a DivIcon, which fetches marker-icon.png: a failed request in
    a standalone file.) `room`: for each name, the radius (in degrees of latitude) of the widest circle inside its
    area round the anchor; atlas-map.js shows the name only at the zooms where it fits in that circle, and draws
    it under the projects' lines and symbols, which stay whole and clickable."""

    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        {{ this.labels|tojson }}.forEach(function (label) {
            L.marker([label.lat, label.lon], {interactive: false, keyboard: false,{% if this.under %}
                pane: atlasMap.namesPane({{ this._parent.get_name() }}),{% endif %} icon: L.divIcon({
                className: "", iconSize: [{{ this.width }}, 20], iconAnchor: [{{ this.width // 2 }}, 10],
                html: '<div class="{{ this.css }}"' + (label.room ? ' data-room="' + label.room + '"' : '') + '>'
                    + label.text + '</div>'})
            }).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
    """)

    def __init__(self, names: list[tuple[str, shapely.Point]], css: str, width: int,
                 room: list[float] | None = None):
        super().__init__()
        self._name = "AreaLabels"
        self.css, self.width, self.under = css, width, room is not None
        self.labels = [{"text": html.escape(text), "lat": round(point.y, 5), "lon": round(point.x, 5)}
                       for text, point in names]
        for label, radius in zip(self.labels, room, strict=True) if room is not None else ():
            label["room"] = round(radius, 4)


# The width of the box an area's name is centred in (a longer name would start at its left edge): Chinese names
# are a few characters, English ones up to "Chahar Right Front Banner".
AREA_LABEL_WIDTHS = {ZH: {"city": 80, "county": 140}, EN: {"city": 120, "county": 220}}


def add_area_labels(fmap: folium.Map, spec: MapSpec, outlines: Outlines) -> None:
    """The cities' names; on a project or county map also the names of the counties in view, each inside the part
    in view (a county map's own first); on a city map the names of its counties, each where it fits."""
    lang, widths = spec.lang, AREA_LABEL_WIDTHS[spec.lang]
    fmap.add_child(AreaLabels([(term_label(CITY[city["city"]], lang), city.geometry.representative_point())
                               for _, city in outlines.cities.iterrows()], "atlas-city-label", widths["city"]))
    if spec.name.startswith("project-") or spec.focus:
        names = county_names(outlines.counties, spec.frame, AREA_SHARE, lang)
        own = county_names(outlines.counties[outlines.counties["adcode"] == spec.focus], spec.frame, 0, lang)
        own_names = {name for name, _ in own}
        fmap.add_child(AreaLabels(sorted(names, key=lambda name: name[0] not in own_names), "atlas-county-label",
                                  widths["county"]))
    elif spec.counties_of not in ("", "*"):
        rooms = county_rooms(outlines.counties[outlines.counties["city"] == spec.counties_of], lang)
        fmap.add_child(AreaLabels([(name, centre) for name, centre, _ in rooms], "atlas-county-label",
                                  widths["county"], [radius for *_, radius in rooms]))


class ProjectNames(branca.element.MacroElement):
    """The projects' short names the map may write beside them, biggest first (specs.name_anchors): given to
    atlas-map.js before the layers are made, which adds each name with its project's layer and shows it at the zooms
    where it covers no other name or symbol."""

    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        atlasMap.names({{ this.names|tojson }}, {{ this.width }});
        {% endmacro %}
    """)

    def __init__(self, spec: MapSpec):
        super().__init__()
        self._name = "ProjectNames"
        self.width = PROJECT_LABEL_WIDTHS[spec.lang]
        chinese = set() if spec.lang == ZH else {fid for fid, row in spec.features.iterrows()
                                                  if name_of(row, NAMES[spec.lang].label, "short_name")[1]}
        self.names = [[fid, marked(name, fid in chinese), round(anchor.y, 5), round(anchor.x, 5), int(point)]
                      for fid, name, anchor, point in name_anchors(spec.features, spec.frame, spec.lang)]


# The width of the box a line's name is centred in (atlas-map.js nameMarker), as AREA_LABEL_WIDTHS.
PROJECT_LABEL_WIDTHS = {ZH: 180, EN: 320}


def marked(name: str, chinese: bool) -> str:
    """A name as HTML: escaped, and on an English map marked as Chinese where the data has no English name."""
    return f'<span lang="zh">{html.escape(name)}</span>' if chinese else html.escape(name)


def script_string(text: str) -> str:
    """A JavaScript string literal safe inside an HTML <script>: only `</` and `<!--` could end or hide the script,
    so only they are escaped (Jinja's tojson escapes every <, > and &, 6 bytes each: half a legend's bytes)."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/").replace("<!--", "<\\!--")


class Legend(branca.element.MacroElement):
    """A bottom-right Leaflet control holding the legend (a <details>, closed on phones by atlas-map.js)."""

    _template = branca.element.Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div");
            div.innerHTML = {{ this.html_js }};
            L.DomEvent.disableClickPropagation(div.firstChild);
            L.DomEvent.disableScrollPropagation(div.firstChild);
            return div.firstChild;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.attribution|tojson }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str, lang: str = ZH):
        super().__init__()
        self._name = "Legend"
        self.html_js = script_string(html_text)
        self.attribution = words(lang)["boundaries"]


class Text(branca.element.Element):
    """HTML written into the page as it is. (branca's Element compiles its text as a Jinja template: one compilation
    for each map's title and caption, and a brace in a title would be read as Jinja's.)"""

    _template = branca.element.Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def add_paper(fmap: folium.Map, spec: MapSpec, paper: str, link_base: str) -> None:
    """On paper the map is its print image (exports/<map>.png, when `paper` says how its sheet is turned), framed on
    the whole subject with its legend and key beside or below it, on an A4 sheet turned as the image asks; on screen
    the image is not shown, nor loaded (the browser loads it when the page is printed). Without one, the web map
    prints on a landscape sheet."""
    root = fmap.get_root()
    root.header.add_child(Text(f"<style>@media print {{ @page {{ size: A4 {paper or 'landscape'}; }} }}</style>"))
    if paper:
        src = html.escape(link_base + routes.image(spec.name, "png"))
        alt = html.escape(spec.title)
        root.html.add_child(Text(f'<img class="atlas-print" src="{src}" alt="{alt}" loading="lazy">'))


def caption_html(spec: MapSpec, options: MapOptions, link_base: str) -> str:
    """The one-line title, data date and source shown on embedded and exported maps (and on paper). `link_base`
    reaches the map's edition's top; its page is `map_home` there."""
    said = words(spec.lang)
    date = f' <span class="date">{html.escape(said["as_of"].format(options.today))}</span>' if options.today else ""
    page = html.escape(link_base + routes.map_home(spec.name))  # the same path under either edition's top
    atlas = html.escape(options.atlas or said["atlas"])
    return (f'<header class="atlas-caption"><h1>{html.escape(spec.title)}</h1>{date} '
            f'<span class="source">{html.escape(said["source"])}<a href="{page}" target="_top">{atlas}</a></span>'
            '</header>')


class Controls(branca.element.MacroElement):
    """The layer list (folded into its button), zoom, reset view and fullscreen, set up by atlas-map.js, which also
    frames the subject."""

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
            frame: {{ this.frame|tojson }},
            linkBase: {{ this.link_base|tojson }},
            words: {{ this.words|tojson }},
            overlays: layer_control_{{ this._id }}_layers.overlays
        });
        {% endmacro %}
    """)

    def __init__(self, frame, overlays, link_base: str, lang: str = ZH):
        super().__init__()
        self._name = "Controls"
        self.frame, self.overlays = frame, overlays
        self.link_base = link_base  # where popups link to project pages
        self.words = {key: words(lang)[key] for key in SCRIPT_WORDS}  # what atlas-map.js writes


SCRIPT_WORDS = ("zoom_in", "zoom_out", "reset", "reset_title", "fullscreen", "fullscreen_off", "layers",
                "project_link", "county_link", "metres", "kilometres")


def stable_ids(element, counter=None) -> None:
    """Replace folium's random uuid element ids by a depth-first counter (reproducible output)."""
    counter = counter or itertools.count()
    element._id = f"{next(counter):08x}"
    for child in list(element._children.values()):
        stable_ids(child, counter)


def base_map(spec: MapSpec, options: MapOptions, asset_base: str) -> folium.Map:
    # The scale is atlas-map.js's (metric only, in the map's words): folium's L.control.scale() shows miles too.
    fmap = folium.Map(tiles=None, control_scale=False, zoom_snap=0.25, prefer_canvas=False, zoom_control=False,
                      gestureHandling=True, gestureHandlingOptions={"text": gesture_text(spec.lang),
                                                                    "duration": 1500})
    fmap.default_js = [(name, asset_base + path) for name, path in VENDOR_JS]
    fmap.default_css = [(name, asset_base + path) for name, path in VENDOR_CSS]
    if options.tiles in TILES and not (options.tiles == "tianditu" and not options.tianditu_key):
        layer = dict(TILES[options.tiles])
        layer["attr"] = words(spec.lang)[layer["attr"]]
        # given a provider, folium takes its address as it is; given an address, it first looks for a provider of
        # that name among all xyzservices knows (about 4 ms a map)
        layer["tiles"] = xyzservices.TileProvider(name=layer["name"], attribution=layer["attr"],
                                                  url=layer["tiles"].replace("{key}", options.tianditu_key))
        folium.TileLayer(**layer, max_zoom=18, control=False).add_to(fmap)  # one base layer: nothing to choose
    # No view yet (MAP_SCRIPT_FIXES): atlas-map.js frames the subject once every layer is added, so that Leaflet
    # draws each shape once instead of first at folium's world view and again at the frame.
    fmap.get_root().header.add_child(Text(f"<title>{html.escape(spec.title)}</title>"))
    return fmap


# folium's page template fixes these; the atlas's maps speak their edition's language and let readers pinch-zoom
# the page.
PAGE_FIXES = (("<html>", '<html lang="{lang}">'),
              ("initial-scale=1.0, maximum-scale=1.0, user-scalable=no", "initial-scale=1.0"))


# folium's map script opens at a world view (centre 0, 0, zoom 1) that the frame replaces at once: without a view,
# Leaflet adds the layers only when atlas-map.js sets the frame.
MAP_SCRIPT_FIXES = (("center: [0.0, 0.0],\n", ""), ('"zoom": 1,\n', ""))


def fix_page(page: str, fixes=PAGE_FIXES) -> str:
    for old, new in fixes:
        if page.count(old) != 1:
            raise ValueError(f"folium's page template changed: review PAGE_FIXES and MAP_SCRIPT_FIXES in {__name__} "
                             f"({old!r})")
        page = page.replace(old, new)
    return page


def map_key(spec: MapSpec, options: MapOptions, outlines: Outlines, asset_base: str | None = None,
            link_base: str = MAP_ROOT, shared: dict[str, str] | None = None,
            shown: dict[str, str] | None = None, paper: str = "") -> str:
    """Digest of exactly what render_map draws the map from: the features' shown columns (`shown`: their
    artifacts.row_digests for every located feature, when the caller has them), the frame and outlines, the options,
    and the code and library versions."""
    if shown is None:
        shown = artifacts.row_digests(spec.features, SHOWN_COLUMNS)
    return artifacts.digest(
        artifacts.code_digest(Path(__file__), assets=tuple(ATLAS_ASSETS.values())), outlines.digest(),
        *(shown[fid] for fid in spec.features.index),
        repr((spec.name, spec.title, spec.frame, spec.counties_of, spec.tolerance, spec.lang, options,
              site_root(spec.lang) + routes.vendor("") if asset_base is None else asset_base, link_base,
              sorted(shared_by(spec, shared)), paper)))


# folium's templates indent their output deeply; no line of a map page needs its indent (no <pre>, no string
# literal spans lines), and dropping it saves about a quarter of a page's own bytes.
LEADING_SPACE = re.compile(r"\n[ \t]+")


def render_map(spec: MapSpec, atlas: Atlas, options: MapOptions, asset_base: str | None = None,
               link_base: str = MAP_ROOT, outlines=None, shared: dict[str, str] | None = None,
               keep_names: bool = False, paper: str = "") -> str:
    """The map page's full HTML, with assets under `asset_base` (default: the site's, from a map page of the spec's
    edition) and links relative to `link_base` (default: the edition's top, from its map page). `shared`:
    {key: file name} of shared_scripts' files beside the page; the page loads those whose data it draws instead of
    inlining it (with none, everything is inlined). `paper`: the orientation of the map's print image, which the
    page prints instead of the web map ("": none drawn, the web map prints)."""
    outlines, lang = outlines or context_outlines(atlas), spec.lang
    asset_base = site_root(lang) + routes.vendor("") if asset_base is None else asset_base
    region = spec.tolerance > CONTEXT_TOLERANCE_DEG
    if region:
        outlines = simplified(outlines.counties, spec.tolerance)
    drawn = ({"region-cities": outlines.geojson("cities", lang=lang),
              "region-counties": outlines.geojson("counties", lang=lang)} if region
             else {"cities": outlines.geojson("cities", lang=lang),
                   county_layer(spec.counties_of): outlines.geojson("counties", spec.counties_of, lang)})
    shared = shared_by(spec, shared)
    fmap = base_map(spec, options, asset_base)
    fmap.default_js += [(f"atlas_shared_{n}", SHARED_NAME.format(key)) for n, key in enumerate(shared)]
    fmap.get_root().html.add_child(Text(caption_html(spec, options, link_base)))
    add_paper(fmap, spec, paper, link_base)
    add_boundaries(fmap, spec, outlines)
    fmap.add_child(ProjectNames(spec))
    add_features(fmap, spec)
    add_area_labels(fmap, spec, outlines)
    fmap.add_child(Legend(legend_html(spec), lang))
    overlays = [(child.layer_name, child) for child in fmap._children.values()
                if isinstance(child, (folium.GeoJson, folium.FeatureGroup))]
    west, south, east, north = spec.frame
    fmap.add_child(Controls([[south, west], [north, east]], overlays, link_base, lang))
    stable_ids(fmap.get_root())
    page_fixes = tuple((old, new.format(lang=lang)) for old, new in PAGE_FIXES)
    page = fix_page(LEADING_SPACE.sub("\n", fix_page(fmap.get_root().render(), page_fixes)), MAP_SCRIPT_FIXES)
    candidates = {key: data for key, data in drawn.items() if key in shared}
    if any(key.startswith("features-") for key in shared):
        candidates.update({key: data for key, data in feature_layers(atlas, lang).items() if key in shared})
    page = refer_to_shared(page, candidates)
    return page if keep_names else named_shared(page, shared)


def map_pages(specs: list[MapSpec], atlas: Atlas, options: MapOptions, outlines: Outlines, shared: dict[str, str],
              cache: artifacts.ArtifactCache, workers: int | None = None,
              papers: dict[str, str] | None = None) -> dict[str, str]:
    """{map name: page HTML} for every spec, as the site serves it: each rendered only when what it shows changed
    (the others read from `cache`), the missing ones across the cores (`workers=1`: in this process). `papers`:
    {map name: orientation} of the maps whose print images are drawn (render_map's `paper`)."""
    shown, papers = artifacts.row_digests(atlas.located, SHOWN_COLUMNS), papers or {}
    by_name = {spec.name: spec for spec in specs}
    keys = {spec.name: map_key(spec, options, outlines, shared=shared, shown=shown, paper=papers.get(spec.name, ""))
            for spec in specs}
    pages = cache.get_all("maps", keys, lambda name: render_map(
        by_name[name], atlas, options, outlines=outlines, shared=shared, keep_names=True,
        paper=papers.get(name, "")), workers)
    return {name: named_shared(page, shared_by(by_name[name], shared)) for name, page in pages.items()}
