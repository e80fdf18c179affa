"""The built atlas as a reader meets it, in Debian's Chromium: every page loads clean, every link lands, search
finds the right page, the maps draw and work, the standalone export works offline, and the pages pass axe-core
and the Nu HTML Checker.

Everything reads the session's `built_site`; tests that drive Chromium are marked `browser`. The link and HTML
checks need no browser (stdlib html.parser; vnu.jar on the machine's Java).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from build_atlas.outputs.maps.words import WORDS
from build_atlas.vocabulary import routes
from build_atlas.vocabulary.schema import CITIES, LAYERS

from .conftest import DRAWN_PATH, RENDER_ALL_CSS, template_pages
from .test_search import POTATO_MEASURES, run_query, top_paths

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
TILE_HOSTS = {"tile.openstreetmap.org"}  # mkdocs.yml: tiles: osm
COUNTIES, CITY_BOUNDARIES = (WORDS["zh"][key] for key in ("counties_layer", "cities_layer"))  # overlay names from
# maps.add_boundaries, on the Chinese maps
FEATURE_OVERLAYS = [layer.zh for layer in LAYERS]  # overlay names from maps.add_features


# --- what the built site says it holds -------------------------------------------------------------------------

def site_pages(site: Path) -> list[str]:
    """Every generated page (site-relative, posix), leaving out the map documents and the downloads."""
    pages = (path.relative_to(site).as_posix() for path in site.rglob("*.html"))
    return sorted(page for page in pages if page.removeprefix(routes.edition("en")).split("/")[0]
                  not in ("maps", "exports"))  # either edition's


def feature_cities(site: Path) -> dict[str, set[str]]:
    """Feature id → the cities it touches, from the published GeoJSON layers."""
    features = {}
    for path in (site / "data").glob("projects-*.geojson"):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            features[feature["properties"]["id"]] = set(feature["properties"]["cities"].split(";"))
    return features


def expected_features(site: Path) -> dict[str, set[str]]:
    """Map name (file stem under maps/) → the feature ids it must draw, from the published data."""
    features = feature_cities(site)
    expected = {"overview": set(features)}
    expected |= {f"city-{city.key}": {f for f, cities in features.items() if city.key in cities} for city in CITIES}
    text = (site / "data/measures.csv").read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        drawn = {fid for fid in row["features"].split(";") if fid in features}  # unlocated ones are not drawn
        for theme in filter(None, row["themes"].split(";")):
            expected.setdefault(f"theme-{theme}", set()).update(drawn)
    counties = json.loads((site / "data/counties.geojson").read_text(encoding="utf-8"))["features"]
    keys = {c["properties"]["adcode"]: routes.county_key(c["properties"]["name_en"]) for c in counties}
    expected |= {f"county-{key}": set() for key in keys.values()}
    text = (site / "data/features.csv").read_text(encoding="utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):  # each project's counties, as the download gives them
        for code in filter(None, row["county_codes"].split(";")):
            expected[f"county-{keys[code]}"].add(row["id"])
    return expected


def county_counts(site: Path) -> Counter:
    counties = json.loads((site / "data/counties.geojson").read_text(encoding="utf-8"))["features"]
    return Counter(county["properties"]["city"] for county in counties)


def is_tile(url: str) -> bool:
    return urlsplit(url).hostname in TILE_HOSTS


# --- 1. every page loads clean ---------------------------------------------------------------------------------

class PageWatch:
    """Problems seen while pages load, as (page, kind, detail): console errors other than blocked tile loads,
    uncaught exceptions, failed or error responses from the local server, and blocked requests other than tiles."""

    def __init__(self, page, site_url: str):
        self.page, self.site_url, self.current, self.problems = page, site_url, "", []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.add("pageerror", str(error)))
        page.on("requestfailed", self.failed)
        page.on("response", lambda r: self.add(f"http {r.status}", r.url) if r.status >= 400 else None)

    def add(self, kind: str, detail: str) -> None:
        self.problems.append((self.current, kind, detail))

    def console(self, message) -> None:
        url = message.location.get("url", "")
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and is_tile(url) and url in self.page.blocked:
            return  # the fixture blocks OpenStreetMap tiles; that error is the only one expected
        self.add("console", f"{message.text} [{url}]")

    def failed(self, request) -> None:
        # ERR_ABORTED is the browser dropping a pending request when we move on; a real miss shows as http 404
        if request.url.startswith(self.site_url) and request.failure != "net::ERR_ABORTED":
            self.add("requestfailed", f"{request.url} {request.failure}")

    def visit(self, path: str) -> None:
        self.current, seen = path, len(self.page.blocked)
        self.page.goto(self.site_url + path, wait_until="load")
        self.problems += [(path, "blocked", url) for url in self.page.blocked[seen:] if not is_tile(url)]


@pytest.mark.browser
def test_a_page_of_each_template_loads_without_console_errors_or_failed_local_requests(built_site, site_url, page):
    """One page of each template with its map (the links of all pages are checked without a browser, below)."""
    watch = PageWatch(page, site_url)
    pages = template_pages()
    for path in pages:
        watch.visit(path)
    pages_with = {}  # (kind, detail) → the pages it was seen on: one line per distinct problem
    for path, kind, detail in watch.problems:
        pages_with.setdefault((kind, detail), []).append(path)
    assert pages_with == {}
    assert set(pages) <= set(site_pages(built_site))


# --- 2. every internal link lands ------------------------------------------------------------------------------

LINK_ATTRIBUTES = {"a": "href", "iframe": "src", "link": "href", "script": "src", "img": "src"}


class LinkParser(HTMLParser):
    """The ids a page defines and the (line, url) of every link, frame, stylesheet, script and image it has."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if attrs.get(LINK_ATTRIBUTES.get(tag, "")) is not None:
            self.links.append((self.getpos()[0], attrs[LINK_ATTRIBUTES[tag]]))


def parse(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, page: str, url: str) -> tuple[str, str] | None:
    """(target file, fragment) of an internal URL, site-relative; None for external, mailto:, data: and the like."""
    parts = urlsplit(urljoin(f"http://atlas.invalid/{page}", url))
    if parts.scheme != "http" or parts.hostname != "atlas.invalid":
        return None
    target = unquote(parts.path).lstrip("/")
    if target == "" or target.endswith("/") or (site / target).is_dir():
        target = f"{target.rstrip('/')}/index.html".lstrip("/")
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves_to_a_built_file(built_site):
    parsed = {page: parse(built_site / page) for page in
              sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))}
    broken, checked, anchors = [], 0, 0
    for page, parser in parsed.items():
        for line, url in parser.links:
            resolved = resolve(built_site, page, url)
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            if not (built_site / target).is_file():
                broken.append((page, line, url, "no such file"))
            elif fragment and target.endswith(".html"):
                anchors += 1
                ids = parsed[target].ids if target in parsed else parse(built_site / target).ids
                if fragment not in ids:
                    broken.append((page, line, url, "no such id"))
    assert checked > 2000 and anchors > 200, (checked, anchors)
    assert broken == []


# --- 4. maps ---------------------------------------------------------------------------------------------------

MAP_STATE_JS = """() => {
  // what the map draws: connected SVG paths per layer-control overlay, and the ids of the features drawn
  const control = Object.keys(window).find(key => /^layer_control_[0-9a-f]+_layers$/.test(key));
  const overlays = {}, drawn = [];
  for (const [name, layer] of Object.entries(window[control].overlays)) {
    let count = 0;
    (function walk(item, owner) {  // owner: the feature of a MultiPoint whose circles are a layer group
      if (item.eachLayer) { item.eachLayer(child => walk(child, item.feature || owner)); return; }
      if (!item._path || !item._path.isConnected) return;
      count++;
      const feature = item.feature || owner;
      if (feature && 'note' in feature.properties) drawn.push(feature.properties.id);
    })(layer);
    overlays[name] = count;
  }
  return {overlays, drawn, paths: document.querySelectorAll('.leaflet-overlay-pane path').length};
}"""

CLICK_TARGETS_JS = """(overlay) => {
  // for each feature of an overlay: a point on it (map-container pixels) and whether a click there reaches it
  const control = Object.keys(window).find(key => /^layer_control_[0-9a-f]+_layers$/.test(key));
  const map = window[Object.keys(window).find(key => /^map_[0-9a-f]+$/.test(key))];
  const box = map.getContainer().getBoundingClientRect(), out = [];
  const middle = layer => {
    if (layer.getRadius) return map.latLngToContainerPoint(layer.getLatLng());
    let latlngs = layer.getLatLngs();
    while (Array.isArray(latlngs[0])) latlngs = latlngs[0];
    const points = latlngs.map(ll => map.latLngToContainerPoint(ll));
    const lengths = points.slice(1).map((p, i) => p.distanceTo(points[i]));
    let half = lengths.reduce((a, b) => a + b, 0) / 2;
    for (let i = 0; i < lengths.length; i++) {
      if (half <= lengths[i]) return points[i].add(points[i + 1].subtract(points[i]).multiplyBy(half / lengths[i]));
      half -= lengths[i];
    }
    return points[0];
  };
  window[control].overlays[overlay].eachLayer(function walk(layer, owner) {
    if (layer.eachLayer) { layer.eachLayer(child => walk(child, layer.feature || owner)); return; }
    const p = middle(layer);
    const hit = document.elementFromPoint(box.x + p.x, box.y + p.y) === layer._path;
    out.push({id: (layer.feature || owner).properties.id, x: p.x, y: p.y, hit});
  });
  return out;
}"""

CLOSE_POPUP_JS = "() => { window[Object.keys(window).find(key => /^map_[0-9a-f]+$/.test(key))].closePopup(); }"


def map_frame(page, site_url: str, path: str, map_name: str):
    """Open a page and return its map iframe's frame, scrolled fully into view and drawn."""
    page.goto(site_url + path, wait_until="load")
    iframe = page.locator(f'iframe[src$="maps/{map_name}.html"]')
    # fully in view: focusing the map on mousedown would otherwise scroll the page under the pointer
    iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
    frame = iframe.element_handle().content_frame()
    frame.locator(DRAWN_PATH).first.wait_for()
    return frame


@pytest.mark.browser
@pytest.mark.parametrize("city", [city.key for city in CITIES])
def test_city_page_map_draws_its_boundaries_and_features(built_site, site_url, page, city):
    frame = map_frame(page, site_url, f"cities/{city}.html", f"city-{city}")
    state = frame.evaluate(MAP_STATE_JS)
    counties, features = county_counts(built_site)[city], expected_features(built_site)[f"city-{city}"]
    assert (state["overlays"][COUNTIES], state["overlays"][CITY_BOUNDARIES]) == (counties, len(CITIES))
    assert sorted(set(state["drawn"])) == sorted(features)  # a project at several sites is drawn at each
    assert len(features) > 0
    assert state["paths"] == counties + len(CITIES) + len(state["drawn"])


@pytest.mark.browser
def test_overview_layer_control_hides_and_restores_each_layer(site_url, page):
    frame = map_frame(page, site_url, "index.html", "overview")
    before = frame.evaluate(MAP_STATE_JS)
    frame.locator(".leaflet-control-layers").hover()  # the layer list starts folded into its button
    outcomes = []
    for name, count in before["overlays"].items():
        checkbox = frame.locator(".leaflet-control-layers-overlays label", has_text=name).locator("input")
        checkbox.uncheck()
        hidden = frame.evaluate(MAP_STATE_JS)
        checkbox.check()
        restored = frame.evaluate(MAP_STATE_JS)
        outcomes.append((name, count > 0, hidden["overlays"][name], hidden["paths"], restored == before))
    assert outcomes == [(name, True, 0, before["paths"] - count, True) for name, count in before["overlays"].items()]
    assert set(before["overlays"]) >= {COUNTIES, CITY_BOUNDARIES} and len(before["overlays"]) > 3


@pytest.mark.browser
def test_clicking_an_overview_feature_opens_a_popup_that_leads_to_its_project_page(built_site, site_url, page):
    frame = map_frame(page, site_url, "index.html", "overview")
    overlays = [name for name in frame.evaluate(MAP_STATE_JS)["overlays"] if name in FEATURE_OVERLAYS]
    popups = []
    for overlay in overlays:  # one feature per layer: the first whose midpoint a click reaches
        frame.evaluate(CLOSE_POPUP_JS)  # an open popup could cover the next feature; it fades out in 200 ms
        frame.locator(".leaflet-popup").wait_for(state="detached")
        target = next((t for t in frame.evaluate(CLICK_TARGETS_JS, overlay) if t["hit"]), None)
        if target is None:
            popups.append((overlay, None, "no feature of this layer can be clicked"))
            continue
        frame.locator(".leaflet-container").click(position={"x": target["x"], "y": target["y"]})
        popups.append((overlay, target["id"], frame.locator(".leaflet-popup-content a").get_attribute("href")))
    assert popups == [(overlay, fid, f"../projects/{fid}.html") for overlay, fid, _ in popups]
    assert len(popups) > 3
    name = frame.locator(".leaflet-popup-content strong").inner_text()
    with page.expect_navigation() as navigation:
        frame.locator(".leaflet-popup-content a").click()  # target=_top: the whole page moves
    assert (navigation.value.status, page.url) == (200, f"{site_url}projects/{popups[-1][1]}.html")
    assert name in page.locator("h1").inner_text()  # the heading also holds its permalink mark


@pytest.mark.browser
def test_every_map_draws_its_features_with_only_tile_requests_blocked(built_site, site_url, page):
    expected = expected_features(built_site)
    names = sorted(p.stem for p in (built_site / "maps").glob("*.html") if not p.stem.startswith("project-"))
    results = []
    for name in names:
        seen = len(page.blocked)
        page.goto(f"{site_url}maps/{name}.html", wait_until="load")
        page.locator(DRAWN_PATH).first.wait_for()
        drawn = page.evaluate(MAP_STATE_JS)["drawn"]
        others = [url for url in page.blocked[seen:] if not is_tile(url)]
        results.append((name, sorted(set(drawn)) == sorted(expected.get(name, ())), len(drawn) > 0, others))
    assert len(names) >= 1 + len(CITIES)
    assert results == [(name, True, True, []) for name in names]


# --- 5. the standalone export ----------------------------------------------------------------------------------

@contextmanager
def offline_page(browser) -> Iterator[tuple[object, list[str], list[str]]]:
    """A page whose requests go through only to the disk (file:, data:, blob:); (page, local, outside) URLs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    local, outside = [], []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            local.append(url)
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    try:
        page = context.new_page()
        page.route("**/*", route)
        yield page, local, outside
    finally:
        context.close()


@pytest.mark.browser
def test_standalone_export_draws_from_file_url_without_any_network_request(built_site, browser, single_file):
    with offline_page(browser) as (page, local, outside):
        page.goto(single_file("overview").as_uri(), wait_until="load")
        page.locator(DRAWN_PATH).first.wait_for()
        state = page.evaluate(MAP_STATE_JS)
    assert state["overlays"][CITY_BOUNDARIES] == len(CITIES)
    assert sorted(set(state["drawn"])) == sorted(expected_features(built_site)["overview"])
    missing = [url for url in local if url.startswith("file:") and not Path(unquote(urlsplit(url).path)).is_file()]
    # the basemap is the one thing a standalone map may ask the network for; it draws without it
    assert ([url for url in outside if not is_tile(url)], missing) == ([], [])


@pytest.mark.browser
def test_site_opened_from_disk_searches_and_draws_maps_without_a_server(built_site, browser):
    """The zipped-and-handed-over case: file:// pages, the offline plugin's inlined index and worker shim."""
    with offline_page(browser) as (page, _, outside):
        railway = run_query(page, built_site.as_uri() + "/", "中欧班列")
        potato = run_query(page, built_site.as_uri() + "/", "马铃薯")
        page.goto((built_site / "cities/hohhot.html").as_uri(), wait_until="load")
        frame = page.locator('iframe[src$="maps/city-hohhot.html"]').element_handle().content_frame()
        frame.locator(DRAWN_PATH).first.wait_for()
        drawn = frame.evaluate(MAP_STATE_JS)["drawn"]
    assert top_paths(railway)[0] == "projects/logistics-ulanqab-cr-express-hub.html"
    assert set(top_paths(potato)) & POTATO_MEASURES
    assert not any("\u200b" in result["text"] for result in railway + potato)
    assert sorted(set(drawn)) == sorted(expected_features(built_site)["city-hohhot"])
    assert [url for url in outside if not is_tile(url)] == []


# --- 6. accessibility ------------------------------------------------------------------------------------------

# Exceptions for third-party theme markup only (MkDocs Material's templates and CSS), never the atlas's content:
# rule → CSS selector of the theme elements it is excused on.
AXE_THEME_EXCEPTIONS = {
    # Material's search overlay is <div class="md-search" role="dialog"> with no accessible name
    # (material/templates/partials/search.html); the atlas does not override theme templates.
    "aria-dialog-name": ".md-search",
    # Material's own CSS: inactive header tabs at opacity .7 (#c6cbe9 on the indigo primary, 4.28:1) and the
    # "Made with Material for MkDocs" footer line in its lighter footer colour.
    "color-contrast": ".md-tabs__link, .md-copyright",
}
AXE_JS = """async (exceptions) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const out = [];
  for (const violation of result.violations) {
    if (!['serious', 'critical'].includes(violation.impact)) continue;
    for (const node of violation.nodes) {
      const element = document.querySelector(node.target[0]);
      if (exceptions[violation.id] && element && element.matches(exceptions[violation.id])) continue;
      out.push([violation.id, violation.impact, node.target.join(' '), node.html.slice(0, 100)]);
    }
  }
  return out;
}"""
# Each template once, at a phone's size (most readers), the home page also at a desktop's (the header's tabs and the
# sidebars show only there), and each kind of map page on its own at a desktop's.
AXE_PAGES = [*((path, "phone") for path in template_pages()), ("index.html", "desktop"),
             *((f"maps/{name}.html", "desktop") for name in
               ("overview", "city-hohhot", "county-tumed-left-banner", "theme-transport", "project-airport-baotou")),
             # the English edition's home, city, county, theme, project list and project templates
             *((routes.html(routes.localized(source, "en")), "phone") for source in (
                 routes.HOME, routes.city("hohhot"), routes.county("tumed-left-banner"), routes.theme("transport"),
                 routes.PROJECTS, routes.project("hsr-baotou-yinchuan")))]
SIZES = {"phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True),
         "desktop": dict(viewport={"width": 1440, "height": 900})}


@pytest.mark.browser
@pytest.mark.parametrize(("path", "size"), AXE_PAGES, ids=[f"{path}-{size}" for path, size in AXE_PAGES])
def test_no_serious_or_critical_axe_violation(site_url, browser, path, size):
    context = browser.new_context(**SIZES[size])
    tab = context.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    try:
        tab.goto(site_url + path, wait_until="load")
        if path.startswith("maps/"):
            tab.locator(DRAWN_PATH).first.wait_for()
        # axe reads colours from rendered boxes: render the cards that wait until they are near the screen
        tab.add_style_tag(content=RENDER_ALL_CSS)
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(AXE_JS, AXE_THEME_EXCEPTIONS)
    finally:
        context.close()
    assert violations == [], dict(Counter(rule for rule, *_ in violations))


# --- 7. HTML validity ------------------------------------------------------------------------------------------

VNU_ALLOWED = [  # (pages it may appear on, message pattern, why it is not ours to fix)
    # Material's drawer and search toggles are <input type="checkbox" autocomplete="off"> (base.html).
    ("", r"Attribute “autocomplete” is only allowed when the input type is", "MkDocs Material base.html"),
    # Material writes tabindex="{{ tabindex }}" on section labels and leaves it empty when they are not focusable.
    ("", r"Bad value “” for attribute “tabindex” on element “label”", "MkDocs Material partials/nav-item.html"),
    # On a page outside the navigation (project pages), Material's table-of-contents title keeps for="__toc", whose
    # checkbox only the navigation writes.
    ("projects/", r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form",
     "MkDocs Material partials/toc.html"),
    # folium's Figure (branca) template puts the map script after </body>.
    ("maps/", r"Stray start tag “script”\.", "folium/branca Figure template"),
]


def vnu_errors(site: Path, pages: list[str]) -> list[tuple[str, int, str]]:
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages], cwd=site,
                            capture_output=True, text=True, timeout=300)
    errors = []
    for message in json.loads(result.stderr)["messages"]:
        page = Path(unquote(urlsplit(message.get("url", "")).path)).relative_to(site.resolve()).as_posix()
        errors.append((page, message.get("lastLine", 0), message["message"]))
    return errors


def test_pages_and_overview_map_are_valid_html_apart_from_theme_and_folium_markup(built_site):
    if shutil.which("java") is None:
        pytest.skip("java is not installed: the Nu HTML Checker (vnu.jar) needs a Java runtime")
    project = sorted(p.relative_to(built_site).as_posix() for p in (built_site / "projects").glob("*.html")
                     if p.name != "index.html")[0]
    pages = [*template_pages()[:5], project, "maps/overview.html"]
    errors = vnu_errors(built_site, pages)
    unexplained = [(page, line, text) for page, line, text in errors
                   if not any(page.startswith(where) and re.search(pattern, text) for where, pattern, _ in VNU_ALLOWED)]
    assert {page for page, *_ in errors} <= set(pages)
    assert unexplained == []
