"""Readers' thumbs: tap targets on every template page and map, map buttons and symbols, the projects' names on the
maps, and the panels that never hide the map or an open popup.

Browser tests drive the session's built site in Debian's Chromium at 390×844 (touch) and 1440×900 with map tiles
blocked; the naming order is checked on the real data without a browser.
"""

from __future__ import annotations

import re

import pytest
import shapely

from build_atlas.vocabulary import routes
from build_atlas.vocabulary.schema import CITIES
from tests.conftest import (
    BUILD_DATE,
    COVERAGE_JS,
    DESKTOP,
    DRAWN_PATH,
    MAP_JS,
    PHONE,
    RENDER_ALL_CSS,
    ROOT,
    map_in_page,
    template_pages,
)

# Every target a pointer can reach (visible, not transparent, answering to the pointer) smaller than 24×24 CSS px
# (WCAG 2.2 target size, minimum), with what it is and its size.
SMALL_TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button]';
  const reachable = element => {
    for (let e = element; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.visibility === 'hidden' || style.opacity === '0' || style.pointerEvents === 'none') return false;
    }
    return true;
  };
  return [...document.querySelectorAll(selector)].map(e => ({e, r: e.getBoundingClientRect()}))
    .filter(({e, r}) => r.width > 0 && r.height > 0 && reachable(e) && (r.width < 24 || r.height < 24))
    .map(({e, r}) => `${e.tagName}.${e.className} «${(e.textContent || '').trim().slice(0, 16)}» `
                     + `${Math.round(r.width)}×${Math.round(r.height)}`);
}"""
# The map's buttons and the legend's title on a touch screen: [what, width, height].
BUTTONS_JS = """() => [...document.querySelectorAll(
    '.leaflet-bar a, .leaflet-control-layers-toggle, .atlas-legend summary')]
  .filter(e => e.getBoundingClientRect().width).map(e => {
    const r = e.getBoundingClientRect();
    return [e.getAttribute('aria-label') || e.textContent.trim(), r.width, r.height];
  })"""
# Each project point in view: its centre and its target's box, in the map's coordinates.
POINTS_JS = """() => {
  const map = window[Object.keys(window).find(key => /^map_[0-9a-f]+$/.test(key))], out = [];
  const box = map.getContainer().getBoundingClientRect();
  map.eachLayer(layer => {
    const feature = layer.feature;
    if (!feature || !feature.properties.note || !layer._hit || feature.geometry.type !== 'Point') return;
    const p = map.latLngToContainerPoint(layer.getLatLng()), hit = layer._hit.getBoundingClientRect();
    if (p.x < 40 || p.y < 40 || p.x > box.width - 40 || p.y > box.height - 40) return;
    out.push({id: layer.feature.properties.id, label: layer.feature.properties.label, x: p.x, y: p.y,
              hit: [hit.width, hit.height]});
  });
  return out;
}"""
# The names drawn on a map with their boxes, and the point symbols' boxes.
NAMES_JS = """() => {
  const box = e => { const range = document.createRange(); range.selectNodeContents(e);
                     const r = range.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const names = [...document.querySelectorAll('.atlas-city-label, .atlas-county-label, .atlas-project-label')]
    .filter(e => getComputedStyle(e).visibility === 'visible' && e.parentNode.style.display !== 'none')
    .map(e => ({text: e.textContent, project: e.classList.contains('atlas-project-label'),
                city: e.classList.contains('atlas-city-label'), box: box(e)}));
  const symbols = [...document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')]
    .map(p => p.getBoundingClientRect()).filter(r => r.width && r.width < 30 && r.height < 30)
    .map(r => [r.left, r.top, r.right, r.bottom]);
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  return {names, symbols, frame: [frame.left, frame.top, frame.right, frame.bottom]};
}"""
POPUP_AND_LEGEND_JS = """() => {
  const popup = document.querySelector('.leaflet-popup-content-wrapper');
  const legend = document.querySelector('.atlas-legend');
  if (!popup || !legend) return null;
  const a = popup.getBoundingClientRect(), b = legend.getBoundingClientRect();
  return {legendOpen: legend.open, meet: a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom};
}"""


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.browser
def test_every_target_on_each_template_page_and_its_map_is_at_least_24_px_on_a_phone(site_url, context_of):
    page = context_of(**PHONE).new_page()
    small = {}
    for path in template_pages():
        page.goto(site_url + path, wait_until="load")
        small[path] = page.evaluate(SMALL_TARGETS_JS)
        maps = page.locator('iframe[name="atlas-map"]')
        if maps.count():
            maps.first.evaluate("element => element.scrollIntoView({block: 'center'})")
            frame = maps.first.element_handle().content_frame()
            frame.locator(DRAWN_PATH).first.wait_for()
            frame.locator(".leaflet-control-layers-toggle").tap()  # opened, the layer list's rows count too
            frame.evaluate("() => { document.querySelector('.atlas-legend').open = true; }")
            small[path + " (map)"] = frame.evaluate(SMALL_TARGETS_JS)
    assert {path: found for path, found in small.items() if found} == {}
    assert len(small) > len(template_pages())  # the maps were reached


@pytest.mark.browser
def test_map_buttons_are_44_px_and_each_point_answers_a_tap_12_px_from_its_centre_on_a_phone(site_url, context_of):
    page = context_of(**PHONE).new_page()
    frame = map_in_page(page, f"{site_url}{routes.html(routes.city('hohhot'))}", "city-hohhot")
    buttons = frame.evaluate(BUTTONS_JS)
    assert len(buttons) >= 6  # zoom in and out, reset, fullscreen, layers, legend
    assert [b for b in buttons if b[1] < 44 or b[2] < 44] == []
    points = frame.evaluate(POINTS_JS)
    assert points and all(min(p["hit"]) >= 24 for p in points), points
    # a symbol is drawn about 15 px across; a tap beside it, 11 px right of its centre, still opens its popup
    lonely = [p for p in points if all(q is p or abs(q["x"] - p["x"]) + abs(q["y"] - p["y"]) > 40 for q in points)]
    assert lonely
    target = lonely[0]
    frame.locator(".leaflet-container").tap(position={"x": target["x"] + 11, "y": target["y"]})
    frame.locator(".leaflet-popup-content strong").wait_for()
    assert frame.locator(".leaflet-popup-content strong").inner_text() == target["label"]


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_legend_never_covers_an_open_popup(site_url, context_of, size):
    page = context_of(**size).new_page()
    frame = map_in_page(page, f"{site_url}{routes.html(routes.city('ordos'))}", "city-ordos")
    frame.evaluate("() => { document.querySelector('.atlas-legend').open = true; }")
    box = frame.locator(".leaflet-container").bounding_box()
    legend = frame.locator(".atlas-legend").bounding_box()
    left, top = legend["x"] - box["x"] - 14, legend["y"] - box["y"] - 14
    # the point nearest the open legend, beside it: its popup would open under the legend unless it folds
    points = [p for p in frame.evaluate(POINTS_JS) if p["x"] < left or p["y"] < top]
    target = min(points, key=lambda p: max(left - p["x"], 0) + max(top - p["y"], 0))
    frame.locator(".leaflet-container").click(position={"x": target["x"], "y": target["y"]})
    frame.locator(".leaflet-popup-content strong").wait_for()
    page.wait_for_timeout(600)  # the pan that brings the popup into view is animated
    state = frame.evaluate(POPUP_AND_LEGEND_JS)
    assert state["meet"] is False, (state, box)
    # the legend opened over the open popup closes the popup instead of covering it (Leaflet takes the closed
    # popup away after its 200 ms fade, later on a busy machine)
    frame.locator(".atlas-legend summary").click()
    frame.wait_for_function(f"() => {{ const state = ({POPUP_AND_LEGEND_JS})(); return !state || !state.meet; }}",
                            timeout=3000)


MAPPED_PAGES = [routes.HOME, *(routes.city(city.key) for city in CITIES), routes.theme("transport"),
                routes.county("tumed-left-banner"), routes.project("hsr-baotou-yinchuan")]


@pytest.mark.browser
def test_on_a_desktop_the_panels_cover_at_most_a_fifth_of_each_map_until_opened(site_url, context_of):
    page = context_of(**DESKTOP).new_page()
    shares = {}
    for path in MAPPED_PAGES:
        page.goto(site_url + routes.html(path), wait_until="load")
        iframe = page.locator('iframe[name="atlas-map"]').first
        iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
        frame = iframe.element_handle().content_frame()
        frame.locator(DRAWN_PATH).first.wait_for()
        shares[path] = round(frame.evaluate(COVERAGE_JS), 3)
    assert {path: share for path, share in shares.items() if share > 0.20} == {}


@pytest.mark.browser
def test_the_biggest_projects_are_named_where_they_fit_and_with_their_phase(site_url, context_of):
    page = context_of(**PHONE).new_page()
    frame = map_in_page(page, f"{site_url}{routes.html(routes.city('hohhot'))}", "city-hohhot")

    def drawn() -> dict:
        seen = frame.evaluate(NAMES_JS)
        names = seen["names"]
        for i, a in enumerate(names):  # no name covers another, and a project's name covers no symbol
            assert not any(overlap(a["box"], b["box"]) for b in names[i + 1:]), a
            assert not a["project"] or not any(overlap(a["box"], s) for s in seen["symbols"]), a
            left, top, right, bottom = seen["frame"]  # and a county's or project's name is whole in the frame
            x0, y0, x1, y1 = a["box"]
            assert a["city"] or (left <= x0 and x1 <= right and top <= y0 and y1 <= bottom), a
        return {name["text"] for name in names if name["project"]}

    whole = drawn()
    assert len(whole) >= 5, whole
    frame.evaluate(f"() => ({MAP_JS})().zoomIn(2, {{animate: false}})")
    page.wait_for_timeout(300)
    closer = drawn()
    assert closer - whole, (whole, closer)  # zoomed in, names that had no room appear
    # a phase hidden by the legend's check box takes its projects' names with it
    building = under_construction(frame)
    assert closer & building
    frame.evaluate("() => { document.querySelector('.atlas-legend').open = true; }")
    frame.locator('.atlas-legend input[data-phase="construction"]').uncheck()
    page.wait_for_timeout(200)
    assert drawn() & building == set()


def under_construction(frame) -> set[str]:
    """The names of the projects under construction the map has made so far."""
    return set(frame.evaluate(f"""() => {{
      const map = ({MAP_JS})(), out = [];
      map.eachLayer(layer => {{ if (layer.feature && layer.feature.properties.phase === 'construction'
                                    && layer.atlasName) out.push(layer.atlasName.getElement().textContent); }});
      return out;
    }}"""))


@pytest.fixture(scope="module")
def atlas():
    from build_atlas.inputs.model import gather

    return gather(ROOT, BUILD_DATE)


def test_maps_offer_names_biggest_first_lines_by_length_in_frame_then_points_by_mentions(atlas):
    from build_atlas.outputs.maps.specs import map_specs, name_anchors

    spec = next(spec for spec in map_specs(atlas) if spec.name == "city-hohhot")
    offered = name_anchors(spec.features, spec.frame)
    assert offered and len({fid for fid, *_ in offered}) == len(offered)
    kinds = [point for *_, point in offered]
    assert kinds == sorted(kinds)  # every line before every point
    view = shapely.box(*spec.frame)
    assert all(view.covers(anchor) for _, _, anchor, _ in offered)
    lengths = [spec.features.loc[fid].geometry.intersection(view).length for fid, *_, point in offered if not point]
    assert lengths[0] == pytest.approx(max(lengths), rel=0.3)
    mentions = [spec.features.loc[fid, "mentions"] for fid, *_, point in offered if point]
    assert mentions == sorted(mentions, reverse=True)
    names = {fid: name for fid, name, *_ in offered}
    assert names.get("hsr-baotou-yinchuan", "包银高铁") == "包银高铁"  # an alias shorter than the name


def test_english_maps_offer_the_same_projects_by_their_short_english_names(atlas):
    from build_atlas.outputs.maps.specs import map_specs, name_anchors

    chinese = next(spec for spec in map_specs(atlas) if spec.name == "city-hohhot")
    english = next(spec for spec in map_specs(atlas, "en") if spec.name == "city-hohhot")
    offered = name_anchors(english.features, english.frame, "en")
    assert [fid for fid, *_ in offered] == [fid for fid, *_ in name_anchors(chinese.features, chinese.frame)]
    names = {fid: name for fid, name, *_ in offered}
    assert names["hsr-hohhot-baotou"] == "Hohhot–Baotou HSR"  # for Hohhot–Baotou high-speed railway
    assert names["airport-hohhot-new"] == "Hohhot new airport"  # without "(Shengle International)"
    assert not [name for name in names.values() if re.search(r"[\u3400-\u9fff]", name)]


@pytest.mark.browser
def test_no_page_scrolls_sideways_on_a_320_px_screen(built_site, site_url, context_of):
    """Every page a reader opens (maps count inside their pages), with every card laid out as if on screen."""
    pages = sorted(path.relative_to(built_site).as_posix() for path in built_site.rglob("*.html")
                   if path.relative_to(built_site).as_posix().removeprefix(routes.edition("en")).split("/")[0]
                   not in ("maps", "exports", "assets", "search"))  # either edition's
    page = context_of(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True).new_page()
    wide = {}
    for path in pages:
        page.goto(site_url + path, wait_until="domcontentloaded")
        page.add_style_tag(content=RENDER_ALL_CSS)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            wide[path] = width
    assert len(pages) > 200 and wide == {}
