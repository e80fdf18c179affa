"""The maps where readers use them: on a phone, in a report, on paper, by keyboard and with colour-blind eyes.

Browser tests drive the session's built site in Debian's Chromium at 390×844 (touch) and 1440×900; the palette
test needs no browser.
"""

from __future__ import annotations

import functools
import html
import io
import itertools
import json
import re
import socketserver
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from build_atlas.vocabulary import routes
from build_atlas.vocabulary.schema import CITIES, KIND_SHAPES, KINDS
from tests.conftest import COVERAGE_JS, DESKTOP, DRAWN_PATH, MAP_JS, PHONE, QuietHandler, map_in_page

ROOT = Path(__file__).resolve().parent.parent
DEUTAN_MIN_DE = 6.0  # CIEDE2000 between any two kind colours under simulated deuteranopia (Machado 2009, severity 1)
SAME_SHAPE_MIN_DE = 20.0  # kinds whose points share a shape must be further apart still

ZOOM_JS = f"() => ({MAP_JS})().getZoom()"
# Feature paths the pointer can reach, with their midpoints in the map's coordinates.
TARGETS_JS = f"""() => {{
  const map = ({MAP_JS})(), box = map.getContainer().getBoundingClientRect(), out = [];
  map.eachLayer(layer => {{
    if (!layer.feature || !layer.feature.properties.note || !layer._path) return;
    const mid = layer.getLatLng ? layer.getLatLng() : layer.getCenter();
    const p = map.latLngToContainerPoint(mid);
    if (document.elementFromPoint(box.x + p.x, box.y + p.y) === layer._path) out.push({{x: p.x, y: p.y}});
  }});
  return out;
}}"""
POPUP_CLEAR_JS = """() => {
  const inside = (a, b) => a.left >= b.left && a.right <= b.right && a.top >= b.top && a.bottom <= b.bottom;
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const popup = document.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
  const close = document.querySelector('.leaflet-popup-close-button').getBoundingClientRect();
  const controls = [...document.querySelectorAll('.leaflet-top .leaflet-control, .leaflet-right .leaflet-control')]
    .map(e => e.getBoundingClientRect()).filter(r => r.width && r.height);
  return {inside: inside(popup, map) && inside(close, map), hidden: controls.some(r => meets(r, popup))};
}"""


@pytest.mark.browser
def test_controls_cover_under_a_quarter_of_each_city_map_on_a_phone(site_url, context_of):
    page = context_of(**PHONE).new_page()
    shares = {}
    for city in CITIES:
        frame = map_in_page(page, f"{site_url}cities/{city.key}.html", f"city-{city.key}")
        shares[city.key] = round(frame.evaluate(COVERAGE_JS), 3)
        # folded away, not gone: the layer list and legend open on demand
        assert frame.locator(".leaflet-control-layers-expanded").count() == 0
        assert frame.locator(".atlas-legend").evaluate("details => !details.open")
    assert all(share < 0.25 for share in shares.values()), shares


# The area names drawn on a map, with their text's boxes: [{city, text, visible, box: [l, t, r, b]}].
AREA_NAMES_JS = """() => [...document.querySelectorAll('.atlas-city-label, .atlas-county-label')].map(e => {
  const range = document.createRange();
  range.selectNodeContents(e);
  const r = range.getBoundingClientRect();
  return {city: e.classList.contains('atlas-city-label'), text: e.textContent,
          visible: getComputedStyle(e).visibility !== 'hidden', box: [r.left, r.top, r.right, r.bottom]};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_project_map_names_the_counties_in_view_where_they_cover_no_other_name(site_url, context_of, size):
    """Offline (tiles blocked) the outlines are a project map's only context; a county name that would cover a
    city's name or another county's gives way, at every zoom."""
    page = context_of(**size).new_page()
    frame = map_in_page(page, site_url + "projects/hsr-baotou-yinchuan.html", "project-hsr-baotou-yinchuan")
    page.wait_for_timeout(500)
    for step in range(2):
        names = frame.evaluate(AREA_NAMES_JS)
        shown = [n for n in names if n["visible"]]
        counties = {n["text"] for n in shown if not n["city"]}
        assert len(counties) >= 2 and counties <= {"达拉特旗", "鄂托克前旗", "鄂托克旗", "杭锦旗", "乌审旗"}, names
        clashes = [(a["text"], b["text"]) for a, b in itertools.combinations(shown, 2)
                   if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2]
                   and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]
        assert clashes == [], (step, clashes)
        frame.evaluate(f"() => ({MAP_JS})().zoomIn(1, {{animate: false}})")
        page.wait_for_timeout(300)


@pytest.mark.browser
@pytest.mark.parametrize("path, name", [("index.html", "overview"), ("themes/transport.html", "theme-transport"),
                                        ("cities/ordos.html", "city-ordos")])
def test_map_in_a_page_on_a_phone_stays_framed_as_reset_frames_it(site_url, context_of, path, name):
    """folium's first framing used to be animated and land a frame after the phone's own, so the overview and the
    theme maps opened zoomed out with their subject in a corner."""
    page = context_of(**PHONE).new_page()
    frame = map_in_page(page, site_url + path, name)
    page.wait_for_timeout(1000)  # longer than a zoom animation: any framing still under way has landed
    opened = (frame.evaluate(ZOOM_JS), frame.evaluate(CENTER_JS))
    frame.locator(".atlas-reset a").click()
    page.wait_for_timeout(1000)
    assert opened[0] == pytest.approx(frame.evaluate(ZOOM_JS), abs=0.01)
    assert opened[1] == pytest.approx(frame.evaluate(CENTER_JS), abs=1e-3)


@pytest.mark.browser
def test_attribution_keeps_clear_of_the_scale_bar_on_a_phone(site_url, context_of):
    page = context_of(**PHONE).new_page()
    frame = map_in_page(page, f"{site_url}cities/baotou.html", "city-baotou")
    attribution = frame.locator(".leaflet-control-attribution").bounding_box()
    scale = frame.locator(".leaflet-control-scale").bounding_box()
    assert attribution["x"] >= scale["x"] + scale["width"] or attribution["y"] >= scale["y"] + scale["height"]


@pytest.mark.browser
def test_popup_opened_on_a_phone_is_fully_inside_the_map_and_clear_of_the_controls(site_url, context_of):
    page = context_of(**PHONE).new_page()
    frame = map_in_page(page, f"{site_url}cities/hohhot.html", "city-hohhot")
    size = frame.locator(".leaflet-container").bounding_box()
    # the feature nearest a corner: its popup would open under a control or over the edge unless the map pans
    targets = frame.evaluate(TARGETS_JS)
    assert targets
    corner = min(targets, key=lambda t: min(t["x"], size["width"] - t["x"]) + min(t["y"], size["height"] - t["y"]))
    frame.locator(".leaflet-container").tap(position={"x": corner["x"], "y": corner["y"]})
    frame.locator(".leaflet-popup-content a").wait_for()
    page.wait_for_timeout(600)  # the pan that brings the popup into view is animated
    assert frame.evaluate(POPUP_CLEAR_JS) == {"inside": True, "hidden": False}


CENTER_JS = f"() => {{ const c = ({MAP_JS})().getCenter(); return [c.lat, c.lng]; }}"


def swipe(cdp, page, fingers: list[tuple[float, float]], dx: float, dy: float) -> None:
    """Drag `fingers` (page coordinates) by (dx, dy) in ten touch moves, through the DevTools protocol."""
    def points(step):
        return [{"x": x + dx * step / 10, "y": y + dy * step / 10, "id": i} for i, (x, y) in enumerate(fingers)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(step)})
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(800)


@pytest.mark.browser
def test_one_finger_scrolls_the_page_and_two_fingers_move_the_map(site_url, context_of):
    context = context_of(**PHONE)
    page = context.new_page()
    frame = map_in_page(page, f"{site_url}cities/ordos.html", "city-ordos")
    box = page.locator('iframe[src$="maps/city-ordos.html"]').bounding_box()
    cdp = context.new_cdp_session(page)
    scroll, center = page.evaluate("scrollY"), frame.evaluate(CENTER_JS)
    swipe(cdp, page, [(box["x"] + 60, box["y"] + box["height"] * 0.7)], 0, -250)
    assert page.evaluate("scrollY") > scroll + 100 and frame.evaluate(CENTER_JS) == center
    scroll, box = page.evaluate("scrollY"), page.locator('iframe[src$="maps/city-ordos.html"]').bounding_box()
    middle = box["y"] + box["height"] / 2
    swipe(cdp, page, [(box["x"] + 120, middle), (box["x"] + 180, middle)], 80, 0)
    assert page.evaluate("scrollY") == scroll and frame.evaluate(CENTER_JS) != center


@pytest.mark.browser
def test_wheel_zooms_a_map_only_with_ctrl_and_reset_returns_to_the_subject(site_url, context_of):
    page = context_of(**DESKTOP).new_page()
    page.goto(f"{site_url}maps/city-ordos.html", wait_until="load")  # a map page of its own: nothing to scroll
    page.locator(DRAWN_PATH).first.wait_for()
    page.mouse.move(500, 450)
    before = page.evaluate(ZOOM_JS)
    hints = []
    for _ in range(3):
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(150)
        hints.append(page.locator(".leaflet-gesture-handling-scroll-warning").count())
    page.wait_for_timeout(500)
    assert (page.evaluate(ZOOM_JS), hints) == (before, [1, 1, 1])  # unchanged, and the hint says how
    assert "Ctrl" in page.locator(".leaflet-container").get_attribute("data-gesture-handling-scroll-content")
    page.keyboard.down("Control")
    for _ in range(3):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(150)
    page.keyboard.up("Control")
    page.wait_for_timeout(700)
    assert page.evaluate(ZOOM_JS) > before
    page.locator(".atlas-reset a").click()  # 复位 brings the subject back
    page.wait_for_timeout(700)
    assert page.evaluate(ZOOM_JS) == pytest.approx(before, abs=0.01)
    page.mouse.click(500, 450)  # once the reader has clicked into the map, the wheel alone zooms it
    for _ in range(3):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(150)
    page.wait_for_timeout(700)
    assert page.evaluate(ZOOM_JS) > before


@pytest.fixture
def other_server(tmp_path):
    """A second loopback server (another origin) serving `tmp_path`: the reader's report."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()


EMBEDDED = {  # what each edition's embedded theme map says: copy status, the caption's title and date
    "zh": ("已复制", "交通互联主题项目图", "数据截至 2026-12-07"),
    "en": ("Copied", "Transport: projects", "Data as of 2026-12-07"),
}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_embed_snippet_copied_from_the_atlas_renders_the_map_in_a_report_elsewhere(site_url, context_of,
                                                                                   other_server, lang):
    """The snippet on a page of each edition embeds that edition's map, which links back to the same page."""
    folder, report_url = other_server
    copied, title, date = EMBEDDED[lang]
    context = context_of(**DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + routes.html(routes.localized(routes.theme("transport"), lang)), wait_until="load")
    page.locator("details.map-embed summary").click()
    page.locator("button.atlas-copy").click()
    page.locator(".atlas-copy-status", has_text=copied).wait_for()
    snippet = page.evaluate("() => navigator.clipboard.readText()")
    address = re.escape(site_url + routes.map_page("theme-transport", lang))
    assert re.fullmatch(rf'<iframe src="{address}" .*></iframe>', snippet)
    (folder / "report.html").write_text(f'<!DOCTYPE html><html lang="{lang}"><meta charset="utf-8"><title>报告</title>'
                                        f'<h1>报告</h1><div style="height:400px">{snippet.replace("560", "400")}'
                                        "</div></html>", encoding="utf-8")
    page.goto(f"{report_url}report.html", wait_until="load")
    frame = page.locator("iframe").element_handle().content_frame()
    frame.locator(DRAWN_PATH).first.wait_for()
    caption = frame.locator(".atlas-caption")
    assert caption.is_visible()
    assert title in caption.inner_text() and date in caption.inner_text()
    assert caption.locator("a").get_attribute("href") == "../themes/transport.html"  # in the map's own edition
    assert frame.evaluate(COVERAGE_JS) < 0.3  # a 400 px frame: the controls fold away and leave the map usable
    page.screenshot(path=str(folder / "report.png"))


@pytest.mark.browser
def test_single_file_map_is_made_on_the_page_with_everything_inside_and_absolute_links(single_file, site_url):
    text = single_file("project-hsr-baotou-yinchuan").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="zh">' in text
    assert "<script src=" not in text and 'rel="stylesheet"' not in text and "url(images/" not in text
    assert "L.map(" in text and "atlasMap.enhance(" in text and '"name":"呼和浩特市"' in text  # outlines inside
    assert f'var atlasLinkBase = "{site_url}";' in text  # the popups' links to project pages
    links = re.findall(r'<a [^>]*href="([^"\']+)"', text)  # (not the popup's link, built in JavaScript)
    assert links and all(link.startswith(("http://", "https://")) for link in links), links
    assert f"{site_url}projects/hsr-baotou-yinchuan.html" in links


@pytest.mark.browser
def test_english_single_file_map_is_english_and_links_to_the_english_edition(single_file, site_url):
    text = single_file("project-hsr-baotou-yinchuan", "en").read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "<title>Baotou–Yinchuan high-speed railway</title>" in text
    assert "<script src=" not in text and '"name":"Hohhot"' in text  # its English outlines inside
    assert f'var atlasLinkBase = "{site_url}en/";' in text  # popups lead to the English project pages
    assert 'src="data:image/png;base64,' in text  # its English print image, for paper
    links = re.findall(r'<a [^>]*href="([^"\']+)"', text)
    assert f"{site_url}en/projects/hsr-baotou-yinchuan.html" in links


def printed_images(pdf: bytes) -> list[tuple[int, tuple[float, float], tuple[int, int], tuple]]:
    """(page number, the page's (width, height), the image's pixels (width, height), where it is drawn (x, y, width,
    height)) of every image a PDF draws, in points from the page's lower left."""
    from pypdf import PdfReader

    found = []
    for number, sheet in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        images = (sheet.get("/Resources") or {}).get("/XObject") or {}

        def visit(operator, operands, cm, tm, number=number, sheet=sheet, images=images):
            image = images[operands[0]].get_object() if operator == b"Do" and operands[0] in images else None
            if image is not None and image.get("/Subtype") == "/Image":
                box = (float(sheet.mediabox.width), float(sheet.mediabox.height))
                found.append((number, box, (int(image["/Width"]), int(image["/Height"])), (cm[4], cm[5], cm[0], cm[3])))

        sheet.extract_text(visitor_operand_before=visit)
    return found


def map_box(svg: bytes) -> tuple[float, float, float, float]:
    """The map's frame in a drawn image (left, top, right, bottom as shares of its width and height), from its SVG."""
    root = ET.fromstring(svg)
    width, height = (float(root.get(side).removesuffix("pt")) for side in ("width", "height"))
    frame = next(g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id") == "map-frame")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", next(frame.iter("{http://www.w3.org/2000/svg}path")).get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height


def assert_printed_whole_on_one_a4_page(pdf: bytes, image_size: tuple[int, int], svg: bytes, frame, subject) -> int:
    """The map's print image is drawn once, whole and unstretched, on an A4 page turned its way, and the subject's
    outline (`subject`, UTM bounds) lies inside the printed map (`frame`, the UTM bounds it shows). Returns the
    page's number."""
    drawn = [found for found in printed_images(pdf) if found[2] == image_size]
    assert len(drawn) == 1, drawn
    number, (page_w, page_h), _, (x, y, w, h) = drawn[0]
    assert sorted((round(page_w / 72 * 25.4), round(page_h / 72 * 25.4))) == [210, 297]
    assert (page_w > page_h) == (image_size[0] > image_size[1])  # the sheet is turned as the image is
    assert abs(w / h - image_size[0] / image_size[1]) < 0.005
    left, top, right, bottom = map_box(svg)
    map_left, map_right, map_top, map_bottom = x + left * w, x + right * w, y + h - top * h, y + h - bottom * h
    assert 0 <= map_left < map_right <= page_w and 0 <= map_bottom < map_top <= page_h
    fx0, fy0, fx1, fy1 = frame
    for ux, uy in ((subject[0], subject[1]), (subject[2], subject[3])):
        share_x, share_y = (ux - fx0) / (fx1 - fx0), (uy - fy0) / (fy1 - fy0)
        assert 0 <= share_x <= 1 and 0 <= share_y <= 1  # in the printed map, hence on the page
    return number


@pytest.fixture(scope="module")
def paper_of():
    """map name → (its frame on paper, its subject's outline), UTM bounds, as the print images are drawn."""
    from build_atlas.inputs.model import gather
    from build_atlas.outputs import maps
    from build_atlas.outputs.maps import paper

    atlas = gather(ROOT)
    specs = {spec.name: spec for spec in maps.map_specs(atlas)}
    cities, counties = maps.context_outlines(atlas)
    return lambda name: (paper.paper_frame(specs[name], cities, counties),
                         paper.outline_subject(specs[name], cities, counties))


@pytest.mark.browser
@pytest.mark.parametrize("path", ["cities/baotou.html", "maps/city-baotou.html", "counties/tumed-left-banner.html"])
def test_a_printed_map_is_whole_on_one_a4_page_framed_on_its_whole_subject(site_url, built_site, context_of, paper_of,
                                                                           path):
    """Printing a city's (or a county's) page, or its map page, gives the map's print image, on one A4 page: the
    whole outline of the city in frame, legend and key beside or below it. The atlas page's other content
    follows on later pages; the map page prints on one page alone."""
    name = path.rsplit("/", 1)[1].removesuffix(".html")
    name = name if path.startswith("maps/") else ("city-" if path.startswith("cities/") else "county-") + name
    page = context_of(**DESKTOP).new_page()
    page.goto(site_url + path, wait_until="load")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    image = Image.open(built_site / "exports" / f"{name}.png")
    number = assert_printed_whole_on_one_a4_page(pdf, image.size, (built_site / "exports" / f"{name}.svg").read_bytes(),
                                                 *paper_of(name))
    if path.startswith("maps/"):
        assert len(printed_images(pdf)) == 1 and number == 1
        from pypdf import PdfReader
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    elif path.startswith("cities/"):
        assert number == 1  # below the city's heading, on the first page


@pytest.mark.browser
def test_single_file_map_prints_its_print_image_offline_on_one_a4_page(single_file, built_site, context_of, paper_of):
    from pypdf import PdfReader

    page = context_of(**DESKTOP).new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file://", "data:", "blob:"))
               else route.abort())  # offline: the print image comes inlined with the file
    page.goto(single_file("city-hohhot").as_uri(), wait_until="load")
    page.locator(DRAWN_PATH).first.wait_for()
    assert page.locator("img.atlas-print").get_attribute("src").startswith("data:image/png;base64,")
    page.emulate_media(media="print")
    page.locator("img.atlas-print").wait_for(state="visible")  # loaded lazily, once it is shown
    shown = {selector: page.locator(selector).first.is_visible() for selector in
             (".leaflet-container", ".leaflet-control-zoom", ".atlas-caption")}
    assert shown == {".leaflet-container": False, ".leaflet-control-zoom": False, ".atlas-caption": False}
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    size = Image.open(built_site / "exports" / "city-hohhot.png").size
    assert_printed_whole_on_one_a4_page(pdf, size, (built_site / "exports" / "city-hohhot.svg").read_bytes(),
                                        *paper_of("city-hohhot"))


@pytest.mark.browser
def test_map_controls_speak_chinese_and_come_before_the_shapes_in_tab_order(site_url, context_of):
    page = context_of(**DESKTOP).new_page()
    page.goto(f"{site_url}maps/overview.html", wait_until="load")
    page.locator(DRAWN_PATH).first.wait_for()
    labels = [page.locator(s).get_attribute("aria-label") for s in
              (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".atlas-reset a")]
    assert labels == ["放大", "缩小", "复位：回到本图范围"]
    assert page.locator("html").get_attribute("lang") == "zh"
    assert "user-scalable" not in page.locator('meta[name="viewport"]').get_attribute("content")
    stops = []
    for _ in range(8):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement;
            return e.closest('.leaflet-control-container') ? 'control' : e.closest('.leaflet-pane') ? 'shape'
                   : e.classList.contains('leaflet-container') ? 'map' : e.tagName; }"""))
    assert "shape" not in stops and stops.count("control") >= 6, stops
    assert page.locator(".leaflet-overlay-pane [tabindex], .leaflet-marker-pane [tabindex]").count() == 0


def test_legend_draws_the_point_symbols_the_map_draws(built_site):
    """Each kind's points are drawn in its shape and colour, filled or hollow, never dashed (the old scalloped
    'clover'); the legend shows that same shape in that colour."""
    page = (built_site / "maps/city-hohhot.html").read_text(encoding="utf-8")
    legend = json.loads(re.search(r'div\.innerHTML = ("<details class=.*?");\n', page).group(1))
    point_styles = [json.loads(style) for style in re.findall(r'return (\{[^\n]*"radius"[^\n]*\});', page)]
    assert point_styles and all("dashArray" not in style for style in point_styles)
    for style in point_styles:
        color = style["fillColor"] if style["fillColor"] != "#ffffff" else style["color"]
        kind = next(k.key for k in KINDS if k.color == color)
        tag = "circle" if KIND_SHAPES[kind] == "circle" else "path"
        assert re.search(rf'<{tag} [^>]*fill="{style["fillColor"]}"', legend) or style["fillColor"] == "#ffffff", kind
        assert re.search(rf'<{tag} [^>]*(stroke|fill)="{color}"', legend), kind


def test_kind_colours_stay_apart_under_deuteranopia():
    from coloraide import Color

    seen = {kind.key: Color(kind.color).filter("deutan", method="machado") for kind in KINDS}
    pairs = {(a, b): seen[a].delta_e(seen[b], method="2000") for a, b in itertools.combinations(seen, 2)}
    assert len(KINDS) == 17 and set(KIND_SHAPES) == set(seen)
    too_close = {pair: round(de, 1) for pair, de in pairs.items() if de < DEUTAN_MIN_DE}
    same_shape = {pair: round(de, 1) for pair, de in pairs.items()
                  if de < SAME_SHAPE_MIN_DE and KIND_SHAPES[pair[0]] == KIND_SHAPES[pair[1]]}
    assert (too_close, same_shape) == ({}, {})


# --- both editions: every map in its reader's language ---------------------------------------------------------

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TAG = re.compile(r"<[^>]+>")
MARKED_CHINESE = re.compile(r'<span lang="zh">.*?</span>')  # a name the data gives only in Chinese, marked so
# Latin words a Chinese map may show besides those in the data's Chinese names (G110, S43, 25GW…): the names of the
# software and the sources it credits, and the Ctrl key its gesture hint names
CHINESE_MAP_NAMES = {"Leaflet", "OpenStreetMap", "AMap", "cnmaps", "Ctrl"}
JSON_STRING = r'("(?:[^"\\]|\\.)*")'


def shown(html_text: str, lang: str) -> str:
    """What a reader sees of a string the map writes as HTML: its text, without (on an English map) the names marked
    as Chinese."""
    if lang == "en":
        html_text = MARKED_CHINESE.sub("", html_text)
    return html.unescape(TAG.sub(" ", html_text))


def map_texts(page: str, folder: Path, scripts: dict) -> list[tuple[str, str]]:
    """(where, text) of every string a built map page shows a reader: its title and caption, legend, layer names,
    area and project names, the words of its buttons, scale and popups, its gesture hints and attributions, and the
    names and notes of the features and outlines it draws, inline or from the shared scripts it loads (`scripts`:
    their text by path, read once)."""
    found = [("title", t) for t in re.findall(r"<title>(.*?)</title>", page)]
    found += [("caption", t) for t in re.findall(r'<header class="atlas-caption">(.*?)</header>', page)]
    found += [("legend", json.loads(t)) for t in re.findall(r"div\.innerHTML = " + JSON_STRING + ";", page)]
    block = re.search(r"overlays: \{\n(.*?)\n\},", page, re.S)
    found += [("layers", json.loads(t)) for t in re.findall(r"^" + JSON_STRING + ": ", block[1], re.M)]
    for labels in re.findall(r'^(\[\{"lat".*\}\])\.forEach', page, re.M):
        found += [("area names", label["text"]) for label in json.loads(labels)]
    for names in re.findall(r"atlasMap\.names\((\[.*?\]), \d+\);", page):
        found += [("project names", name[1]) for name in json.loads(names)]
    found += [("buttons", t) for t in json.loads(re.search(r"^words: (\{.*\}),$", page, re.M)[1]).values()]
    found += [("gestures", json.loads(t)) for t in re.findall(r'^"(?:touch|scroll|scrollMac)": ' + JSON_STRING + ",$",
                                                              page, re.M)]
    found += [("attribution", json.loads(t)) for t in re.findall(r'^"attribution": ' + JSON_STRING + ",$", page, re.M)]
    found += [("attribution", json.loads(t)) for t in re.findall(r"addAttribution\(" + JSON_STRING + r"\)", page)]
    sources = [page]
    for src in re.findall(r'<script src="((?:outlines|features)-[^"/]+\.js)"', page):
        if folder / src not in scripts:
            scripts[folder / src] = (folder / src).read_text(encoding="utf-8")
        sources.append(scripts[folder / src])
    for source in sources:  # (a label the data gives only in Chinese is flagged `labelZh`: it counts as `zh`)
        found += [(f"feature {'zh' if flagged else key}", json.loads(t)) for key, t, flagged in
                  re.findall(r'"(label|note|zh|name)":' + JSON_STRING + r'(,"labelZh":true)?', source)]
    return found


@pytest.fixture(scope="module")
def atlas():
    from build_atlas.inputs.model import gather

    return gather(ROOT)


def test_chinese_maps_show_no_english_and_english_maps_no_chinese(built_site, atlas):
    """Every map page of both editions, read from the built files: what a Chinese map shows holds no Latin word but
    the data's own Chinese names' (G110, S43) and the credited names; what an English map shows holds no Chinese,
    but the official Chinese name its popups give under the English one (`zh`)."""
    from build_atlas.outputs import maps

    names = " ".join([*atlas.features["name_zh"], *atlas.features["short_name"], *atlas.counties["name_zh"]])
    allowed = set(LATIN_WORD.findall(names)) | CHINESE_MAP_NAMES
    chinese_names = set(atlas.features["name_zh"])
    scripts, wrong, seen = {}, [], {"zh": set(), "en": set()}
    for lang in ("zh", "en"):
        for spec in maps.map_specs(atlas, lang):
            path = built_site / routes.map_page(spec.name, lang)
            texts = map_texts(path.read_text(encoding="utf-8"), path.parent, scripts)
            assert ("title", html.escape(spec.title)) in texts, spec.name
            seen[lang] |= {where for where, _ in texts}
            for where, text in texts:
                if lang == "zh":
                    wrong += [(spec.name, where, text) for word in LATIN_WORD.findall(shown(text, lang))
                              if word not in allowed]
                elif where == "feature zh":
                    wrong += [] if html.unescape(text) in chinese_names else [(spec.name, where, text)]
                elif CJK.search(shown(text, lang)):
                    wrong.append((spec.name, where, text))
    assert wrong == []
    everything = {"title", "caption", "legend", "layers", "area names", "project names", "buttons", "gestures",
                  "attribution", "feature label", "feature note", "feature name"}
    assert seen == {"zh": everything, "en": everything | {"feature zh"}}  # the test read every kind of text


def test_every_map_has_its_english_page_and_images_and_no_scale_in_miles(built_site, atlas):
    """Each map of the Chinese edition has its English page and images under en/, in English; no map page asks for
    Leaflet's default scale (metres and miles): atlas-map.js adds a metric one."""
    from build_atlas.outputs import exports, maps

    english = {spec.name: spec for spec in maps.map_specs(atlas, "en")}
    assert [spec.name for spec in maps.map_specs(atlas)] == list(english)
    missing = [path for name in english for path in (routes.map_page(name, "en"), *(
        routes.image(name, suffix, "en") for suffix in exports.IMAGES)) if not (built_site / path).is_file()]
    assert missing == []
    for lang in ("zh", "en"):
        for name in english:
            page = (built_site / routes.map_page(name, lang)).read_text(encoding="utf-8")
            assert f'<html lang="{lang}">' in page and "L.control.scale(" not in page, (lang, name)
    assert "imperial: false" in (ROOT / "build_atlas/outputs/map/atlas-map.js").read_text(encoding="utf-8")


# What a reader of a map in its page sees and hears of its controls: the buttons' names, the layer list, the
# legend, the scale, the attribution, the names on the map and the popup open, and the text of any part of them
# marked as Chinese.
READ_MAP_JS = """() => {
  const text = selector => [...document.querySelectorAll(selector)].map(e => e.innerText || e.textContent);
  const named = [...document.querySelectorAll('.leaflet-control a, .leaflet-control-layers-toggle')]
    .flatMap(e => [e.getAttribute('title'), e.getAttribute('aria-label')]).filter(Boolean);
  const visibleNames = [...document.querySelectorAll('.atlas-city-label, .atlas-county-label, .atlas-project-label')]
    .filter(e => getComputedStyle(e).visibility !== 'hidden').map(e => e.textContent);
  const clone = document.querySelector('.leaflet-popup-content').cloneNode(true);
  const chinese = [...clone.querySelectorAll('[lang=zh]')].map(e => { const t = e.textContent; e.remove(); return t; });
  return {controls: named, layers: text('.leaflet-control-layers-list label'), legend: text('.atlas-legend'),
          scale: text('.leaflet-control-scale-line'), attribution: text('.leaflet-control-attribution'),
          names: visibleNames, popup: [clone.innerText], chinese: chinese,
          link: document.querySelector('.leaflet-popup-content a').href};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_map_in_its_page_speaks_its_edition_s_language_with_a_metric_scale(site_url, context_of, atlas, lang):
    """A city map in the city's page of each edition, its layer list open and a project's popup open: a Chinese
    map's controls, layers, legend, names and popup hold no Latin word but names, an English map's no Chinese but the
    project's official name (marked as Chinese); the scale is in metres or kilometres only; the popup leads to the
    project's page in the same edition."""
    page = context_of(**DESKTOP).new_page()
    frame = map_in_page(page, site_url + routes.html(routes.localized(routes.city("hohhot"), lang)), "city-hohhot")
    frame.locator(".leaflet-control-layers").hover()  # the layer list opens
    targets = frame.evaluate(TARGETS_JS)
    assert targets
    frame.locator(".leaflet-container").click(position=targets[len(targets) // 2])
    frame.locator(".leaflet-popup-content a").wait_for()
    seen = frame.evaluate(READ_MAP_JS)
    texts = [text for key, values in seen.items() if key not in ("chinese", "link") for text in values]
    assert len(seen["layers"]) > 5 and len(seen["controls"]) >= 5 and len(seen["names"]) > 3
    assert len(seen["scale"]) == 1
    names = " ".join([*atlas.features["name_zh"], *atlas.features["short_name"], *atlas.counties["name_zh"]])
    if lang == "zh":
        allowed = set(LATIN_WORD.findall(names)) | CHINESE_MAP_NAMES
        assert [word for text in texts for word in LATIN_WORD.findall(text) if word not in allowed] == []
        assert re.fullmatch(r"\d+ (公里|米)", seen["scale"][0].strip()) and seen["chinese"] == []
    else:
        assert [text for text in texts if CJK.search(text)] == []
        assert re.fullmatch(r"\d+ (km|m)", seen["scale"][0].strip())
        assert len(seen["chinese"]) == 1 and seen["chinese"][0] in set(atlas.features["name_zh"])
    fid = re.search(r"/projects/([^/]+)\.html$", seen["link"])[1]
    assert seen["link"] == site_url + routes.html(routes.localized(routes.project(fid), lang))
