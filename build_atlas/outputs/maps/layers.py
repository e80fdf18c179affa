"""What a web map draws, as data: each feature's layer and style, the symbols and legend, and the scripts that several
map pages share (the outlines and each layer's features), packed small."""

from __future__ import annotations

import html
import json
import re

import folium
import geopandas as gpd
import jinja2
import polyline
import shapely

from ...cache import artifacts
from ...inputs.model import Atlas
from ...vocabulary import routes, style
from ...vocabulary.dataset import date_words
from ...vocabulary.schema import CITIES, KIND_SHAPES, KINDS, LAYERS, PHASES, STAGES
from .specs import (
    CONTEXT_TOLERANCE_DEG,
    KIND,
    OUTLINE_DECIMALS,
    STATUS,
    MapSpec,
    Outlines,
    county_layer,
    region_outlines,
)
from .words import NAMES, ZH, name_of, term_label, words

STAGE = {stage.key: stage for stage in STAGES}

# Point symbols: vertices of a unit outline (radius 1) for each shape; circles are drawn as circles.
SHAPE_OUTLINES = {
    "square": [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
    "triangle": [[0, -1.15], [1.05, 0.75], [-1.05, 0.75]],
    "diamond": [[0, -1.2], [1.2, 0], [0, 1.2], [-1.2, 0]],
    "cross": [[-0.4, -1.15], [0.4, -1.15], [0.4, -0.4], [1.15, -0.4], [1.15, 0.4], [0.4, 0.4], [0.4, 1.15],
              [-0.4, 1.15], [-0.4, 0.4], [-1.15, 0.4], [-1.15, -0.4], [-0.4, -0.4]],
}


POINT_RADIUS = 7
POINT_TYPES = ("Point", "MultiPoint")


def feature_note(feature, lang: str = ZH) -> str:
    """The popup's line under the names: kind, how far it has come and precision. A recorded event gives its stage
    and date; otherwise the latest document's words, said to be the documents'."""
    said = words(lang)
    if feature.get("stage"):
        stage = STAGE.get(feature["stage"])
        now = said["stage"].format(term_label(stage, lang) if stage else feature["stage"],
                                   date_words(feature["stage_date"], lang))
    else:
        status = STATUS.get(feature["status"])
        now = said["stated"].format(term_label(status, lang)) if status else said["unstated"]
    return said["dot"].join([term_label(KIND[feature["kind"]], lang), now]
                            + [said["schematic"]] * (feature["precision"] == "schematic"))


def feature_layer(features: gpd.GeoDataFrame, lang: str = ZH) -> dict:
    """GeoJSON for one layer; display strings are escaped here, once, so the map may use them as HTML (atlas-map.js
    makes the popup from label, note and id: the link to the project page). An English map's feature also carries
    its Chinese name (`zh`), the official one, or where it has no English name says its label is Chinese
    (`labelZh`)."""
    records, column = [], NAMES[lang].feature
    for fid, feature in features.iterrows():
        name, chinese = name_of(feature, column, "name_zh")
        names = {"label": html.escape(name)}
        if chinese:
            names["labelZh"] = True
        elif lang != ZH:
            names["zh"] = html.escape(feature["name_zh"])
        records.append({
            "type": "Feature",
            "geometry": shapely.geometry.mapping(feature.geometry),
            "properties": {
                "id": fid, **names, "note": html.escape(feature_note(feature, lang)), "kind": feature["kind"],
                "phase": style.phase_of(feature),
            },
        })
    return {"type": "FeatureCollection", "features": records}


def feature_style(feature: dict, emphasis: bool = False) -> dict:
    """The Leaflet style of a feature by its phase (style.PHASE_STYLES): lines solid, in long dashes or dotted;
    points in their kind's shape, filled, tinted or hollow (a dash on a small outline would read as a scalloped
    shape that the legend does not show). `emphasis`: a project map's lines are drawn heavier (folium writes the
    styles into the map's script, so the features' data need not say it)."""
    props = feature["properties"]
    color, look = KIND[props["kind"]].color, style.PHASE_STYLES[props["phase"]]
    if feature["geometry"]["type"] in POINT_TYPES:  # a multi-site project's sites are points too
        solid = look.fill == 1
        return {"outline": SHAPE_OUTLINES.get(KIND_SHAPES[props["kind"]]), "radius": POINT_RADIUS,
                "weight": 1.5 if solid else 2.5, "color": "#ffffff" if solid else color,
                "fillColor": color if look.fill else "#ffffff", "fillOpacity": look.fill or 1, "opacity": 1}
    return {"color": color, "weight": 5 if emphasis else 3.5, "dashArray": look.web_dash,
            "fillColor": color, "fillOpacity": 0.35, "opacity": 0.95}


def layer_features(features: gpd.GeoDataFrame, layer) -> gpd.GeoDataFrame:
    return features[features["kind"].isin(style.kinds_of(layer.key))]


def symbol_svg(kind: str, geometry: str, phase: str = "built", neutral: bool = False) -> str:
    """The legend's drawing of a symbol, made from the same style the map draws it with (`neutral`: in grey, for
    the phase key)."""
    style = feature_style({"geometry": {"type": geometry}, "properties": {"kind": kind, "phase": phase}})
    if neutral:
        style = {key: "#555555" if value == KIND[kind].color else value for key, value in style.items()}
    if geometry != "Point":
        dash = f' stroke-dasharray="{style["dashArray"]}"' if style["dashArray"] else ""
        return (f'<svg class="sym" width="28" height="16" aria-hidden="true"><line x1="2" y1="8" x2="26" y2="8" '
                f'stroke="{style["color"]}" stroke-width="{style["weight"]}" stroke-linecap="round"{dash}/></svg>')
    r, c = style["radius"], 9
    paint = (f'stroke="{style["color"]}" stroke-width="{style["weight"]}" fill="{style["fillColor"]}"'
             f' fill-opacity="{style["fillOpacity"]:g}"')
    if style["outline"] is None:
        body = f'<circle cx="{c}" cy="{c}" r="{r}" {paint}/>'
    else:
        points = "L".join(f"{c + x * r:g} {c + y * r:g}" for x, y in style["outline"])
        body = f'<path d="M{points}z" {paint}/>'
    return f'<svg class="sym" width="18" height="18" aria-hidden="true">{body}</svg>'


def legend_html(spec: MapSpec) -> str:
    """Each kind on the map with exactly the symbols drawn for it (line and/or point), then the phases drawn, each a
    check box that shows or hides the projects in that phase (atlas-map.js)."""
    said = words(spec.lang)
    of_each = [style.phase_of(f) for f in spec.features[["phase", "status"]].to_dict("records")]
    drawn = spec.features.assign(point=spec.features.geometry.geom_type.isin(POINT_TYPES), drawn_phase=of_each)
    items = []
    for kind in [k.key for k in KINDS if k.key in set(drawn["kind"])]:
        points = drawn.loc[drawn["kind"] == kind, "point"]
        symbols = ([symbol_svg(kind, "LineString")] if (~points).any() else []) + \
                  ([symbol_svg(kind, "Point")] if points.any() else [])
        items.append(f'<li>{"".join(symbols)}{html.escape(term_label(KIND[kind], spec.lang))}</li>')
    phases = []
    for phase in PHASES:
        of_phase = drawn[drawn["drawn_phase"] == phase.key]
        if not len(of_phase):
            continue
        symbols = ([symbol_svg("hsr", "LineString", phase.key, True)] if (~of_phase["point"]).any() else []) + \
                  ([symbol_svg("hsr", "Point", phase.key, True)] if of_phase["point"].any() else [])
        words_of = html.escape(said["count"].format(term_label(phase, spec.lang), len(of_phase)))
        phases.append(f'<li class="atlas-phase"><label><input type="checkbox" checked data-phase="{phase.key}">'
                      f'{"".join(symbols)}{words_of}</label></li>')
    key = (f'<li class="atlas-phase-title">{html.escape(said["phase_title"])}</li>' + "".join(phases)
           if phases else "")
    return (f'<details class="atlas-legend leaflet-control" open><summary>{html.escape(said["legend"])}</summary><ul>'
            + "".join(items) + key + f'</ul><p class="note">{html.escape(said["legend_note"])}</p></details>')


SHOWN_COLUMNS = ["id", "name_zh", "name_en", "kind", "status", "stage", "stage_date", "phase", "precision",
                 "short_name", "short_name_en", "mentions", "geometry"]  # all a map shows of a feature


GEOJSON_CALL = re.compile(r"(geo_json_\w+_add)\((?=\{)")  # folium hands each layer's data to its _add function


def outline_layers(outlines: Outlines, lang: str = ZH) -> dict[str, dict]:
    """The outline layers web maps share: the cities, each city's counties and all counties (the project maps'),
    and the overview's coarser two, named in edition `lang`."""
    region = region_outlines(outlines)
    layers = {"cities": outlines.geojson("cities", lang=lang)}
    layers.update({county_layer(key): outlines.geojson("counties", key, lang)
                   for key in (*(c.key for c in CITIES), "*")})
    layers.update({"region-cities": region.geojson("cities", lang=lang),
                   "region-counties": region.geojson("counties", lang=lang)})
    return layers


# the last features' layers of each edition: a build asks for them once per map
_FEATURE_LAYERS = artifacts.Recent(len(routes.LANGUAGES))


def feature_layers(atlas: Atlas, lang: str = ZH) -> dict[str, dict]:
    """Each map layer's located features as the overview, city and theme maps of edition `lang` draw them (project
    maps emphasise their own feature, so they keep it inline). Made once while what the maps show of the features is
    unchanged; the caller must not change them."""
    def make() -> dict[str, dict]:
        layers = {}
        for layer in LAYERS:
            subset = layer_features(atlas.located, layer)
            if not subset.empty:
                layers[f"features-{layer.key}"] = json.loads(json.dumps(feature_layer(subset, lang)))
        return layers

    rows = artifacts.row_digests(atlas.located, SHOWN_COLUMNS)
    return _FEATURE_LAYERS.get(artifacts.digest(lang, *(f"{fid}\0{row}" for fid, row in rows.items())), make)


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


def shared_scripts(atlas: Atlas, outlines: Outlines, lang: str = ZH) -> dict[str, tuple[str, str]]:
    """{key: (file name, script)} for the data web maps share, each loaded with a <script> (which works from file://,
    unlike fetch) by the maps that draw it, and cached by the browser, instead of inlined in every map. An outline
    script sets `atlasOutlines[key]`, its rings packed as encoded polylines; a feature script sets
    `atlasFeatures[key]`, from which a map picks its features by id. Names carry a digest: a browser never keeps a
    stale copy. (The single-file map a reader downloads has them written into it, by atlas-embed.js.) Each edition
    has its own, beside its map pages: the features' and outlines' names and notes are in its language."""
    scripts = dict(outline_scripts(outlines, lang))
    for key, data in feature_layers(atlas, lang).items():
        text = script_json(data)
        scripts[key] = (f"{key}-{artifacts.digest(text)[:12]}.js",
                        f"var atlasFeatures = window.atlasFeatures || {{}};\n"
                        f"atlasFeatures[{json.dumps(key)}] = {text};\n")
    return scripts


_OUTLINE_SCRIPTS = artifacts.Recent(len(routes.LANGUAGES))  # the last outlines' scripts (a preview reuses them)


def outline_scripts(outlines: Outlines, lang: str = ZH) -> dict[str, tuple[str, str]]:
    """shared_scripts' outline part, made once while the outlines stay the same (encoding them takes a while)."""
    def make() -> dict[str, tuple[str, str]]:
        scripts = {}
        for key, data in outline_layers(outlines, lang).items():
            text = script_json(packed(data))
            scripts[key] = (f"outlines-{key}-{artifacts.digest(text)[:12]}.js",
                            f"var atlasOutlines = window.atlasOutlines || {{}};\n"
                            f"atlasOutlines[{json.dumps(key)}] = atlasMap.unpack({text});\n")
        return scripts

    return _OUTLINE_SCRIPTS.get(outlines.digest() + lang, make)


def refer_to_shared(page: str, candidates: dict[str, dict]) -> str:
    """Replace each layer inlined by folium that a shared script holds by a reference to it: an outline layer by
    `atlasOutlines[key]`, a feature layer whose every feature the shared layer holds by `atlasMap.pick(...)` with
    their ids. Other layers' data is written compactly: folium escapes every Chinese character as a 6-byte \\u
    escape. An outline layer is known by its text (folium writes it as `written` does), without reading it back."""
    by_id = {key: {f["properties"]["id"]: f for f in data["features"]}
             for key, data in candidates.items() if key.startswith("features-")}
    texts = {key: written(data) for key, data in candidates.items() if not key.startswith("features-")}
    decoder, out, at = json.JSONDecoder(), [], 0
    for match in GEOJSON_CALL.finditer(page):
        start = match.end()
        out.append(page[at:start])
        key = next((key for key, text in texts.items() if page.startswith(text, start)), None)
        if key is not None:
            out.append(f"atlasOutlines[{json.dumps(key)}]")
            at = start + len(texts[key])
            continue
        data, at = decoder.raw_decode(page, start)
        out.append(shared_reference(data, candidates, by_id) or inline(data))
    return "".join(out) + page[at:]


# The JSON of the outline layers, as folium's templates write it (json.dumps, and as tojson writes it), by the
# layer's data. Each map writes its outlines into the page, and refer_to_shared finds them there; written once,
# these took about a fifth of a map's time. Filled by `written`; the data must not change while it is held.
_WRITTEN = artifacts.Recent(64)  # more than the outline layers of both editions


def written(data: dict) -> str:
    """`data` as folium writes it into a page (Jinja's tojson, with the policies of folium's templates), made once
    while `data` is held; from then on folium's templates write it from here (`_dumps`)."""
    return _WRITTEN.of(data, lambda: (json.dumps(data, **TOJSON_OPTIONS),
                                      str(jinja2.utils.htmlsafe_json_dumps(data, **TOJSON_OPTIONS))))[1]


def _dumps(data, **options) -> str:
    texts = _WRITTEN.known(data)
    return texts[0] if texts is not None and options == TOJSON_OPTIONS else json.dumps(data, **options)


TEMPLATES = folium.GeoJson._template.environment  # where folium's (and branca's) inline templates are compiled
TOJSON_OPTIONS = TEMPLATES.policies["json.dumps_kwargs"]
TEMPLATES.policies["json.dumps_function"] = _dumps


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


SHARED_NAME = "atlas-shared:{}"  # where a map page loads a shared script; its file name (with a digest) goes there


def named_shared(page: str, shared: dict[str, str]) -> str:
    """The page with the current file names of the shared scripts it loads. A map page is cached with their keys
    instead (render_map's `keep_names`): an edit that changes a shared script's digest leaves the pages that load it
    to a replacement here instead of a new rendering."""
    for key, name in shared.items():
        page = page.replace(f'"{SHARED_NAME.format(key)}"', f'"{name}"')
    return page
