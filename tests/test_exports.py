"""Print images: names that never overlap, every feature named or numbered, the subject framed across the page,
editable SVG text, the footer, the report size and the image cache."""

from __future__ import annotations

import dataclasses
import gc
import io
import re
import xml.etree.ElementTree as ET

import pytest
import shapely
from matplotlib.figure import Figure
from PIL import Image

from build_atlas.cache import artifacts
from build_atlas.inputs.model import gather
from build_atlas.outputs import exports, labels, maps, print_page, prints
from build_atlas.vocabulary import schema, style

from .conftest import ROOT, atlas_page_of

MAIN = ("overview", "city-hohhot", "city-baotou", "city-ordos", "city-ulanqab")
PROJECTS = ("project-energy-sulige-gasfield", "project-hsr-baotou-yinchuan")  # a point in open country; a long line
FOOTER = prints.Footer(date="2026-11-22", atlas="呼包鄂乌一体化政策图集", url="https://atlas.example.cn/")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def atlas_maps():
    atlas = gather(ROOT)
    exports.cjk_font()
    return {spec.name: spec for spec in maps.map_specs(atlas)}, maps.context_outlines(atlas)


@pytest.fixture(scope="module")
def plans(atlas_maps):
    specs, (cities, counties) = atlas_maps
    return {(name, size.suffix): prints.plan_map(specs[name], cities, size, counties=counties)
            for name in MAIN + PROJECTS for size in (prints.PRINT, prints.REPORT)}


@pytest.fixture(scope="module")
def ulanqab_images(atlas_maps):
    specs, (cities, counties) = atlas_maps
    return exports.draw_images(specs["city-ulanqab"], cities, counties, FOOTER)


def test_placed_names_and_numbers_never_overlap(plans):
    for (name, suffix), plan in plans.items():
        assert labels.overlaps(plan.placement.placed) == [], (name, suffix)
        inside = [p for p in plan.placement.placed
                  if p.box[0] >= 0 and p.box[1] >= 0 and p.box[2] <= plan.map_size[0] * 72
                  and p.box[3] <= plan.map_size[1] * 72]
        assert inside == plan.placement.placed, (name, suffix)


def test_no_name_or_number_covers_a_marker(plans):
    for (name, suffix), plan in plans.items():
        radius = plan.size.marker / 2
        covered = [(p.text, fid) for p in plan.placement.placed if p.role not in ("city", "county")
                   for fid, (x, y) in plan.placement.markers.items()
                   if shapely.box(*p.box).distance(shapely.Point(x, y)) < radius]
        assert covered == [], (name, suffix)


def test_drawn_labels_keep_the_boxes_they_were_placed_in(atlas_maps):
    """The rendered text (as matplotlib measures it at the output resolution) does not overlap either."""
    specs, (cities, counties) = atlas_maps
    figure = exports.draw(specs["city-hohhot"], cities, counties, size=prints.REPORT)
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text() and t.get_zorder() >= 8]
    assert len(boxes) > 30
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a.overlaps(b) and min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1]
    assert clashes == []


def test_every_drawn_feature_is_named_or_numbered(plans, atlas_maps):
    specs, _ = atlas_maps
    for (name, suffix), plan in plans.items():
        assert set(plan.features.index) == plan.placement.every_feature(), (name, suffix)
        if name.startswith("city-"):  # a city map shows all its features
            assert set(plan.features.index) == set(specs[name].features.index), (name, suffix)
        numbered = [fid for keys in plan.placement.numbered for fid in keys]
        assert [fid for _, fid, _ in print_page.key_entries(plan)] == numbered


def test_labels_the_issue_found_overlapping_are_now_apart(plans):
    for plan in plans.values():
        boxes = {fid: p.box for p in plan.placement.features() for fid in p.keys}
        for pair in (("energy-sulige-gasfield", "rail-xinjie-shanghaimiao"),):
            if set(pair) <= boxes.keys():
                a, b = (boxes[k] for k in pair)
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_a_project_map_names_the_counties_in_view_and_keeps_a_corner_for_its_locator(plans, atlas_maps):
    """Without tiles the counties are a print's only context: a point in open country is still placed."""
    specs, (cities, counties) = atlas_maps
    for size in (prints.PRINT, prints.REPORT):
        plan = plans["project-energy-sulige-gasfield", size.suffix]
        named = {p.text for p in plan.placement.placed if p.role == "county"}
        assert {"乌审旗", "鄂托克旗"} <= named, size.suffix
        assert plan.locator is not None
        x0, y0, x1, y1 = plan.locator
        assert 0 <= x0 < x1 <= plan.map_size[0] * 72 and 0 <= y0 < y1 <= plan.map_size[1] * 72
        locator = shapely.box(*plan.locator)
        assert [p.text for p in plan.placement.placed if shapely.box(*p.box).intersects(locator)] == []
        assert not any(locator.contains(shapely.Point(xy)) for xy in plan.placement.markers.values())
    line = plans["project-hsr-baotou-yinchuan", "png"]  # its frame spans most of the region: no locator
    assert line.locator is None and {"杭锦旗", "鄂托克旗"} <= {p.text for p in line.placement.placed}
    assert plans["city-ordos", "png"].locator is None
    assert not [p for p in plans["city-ordos", "png"].placement.placed if p.role == "county"]
    svg = io.BytesIO()
    exports.draw(specs["project-energy-sulige-gasfield"], cities, counties).savefig(svg, format="svg")
    words = {(t.text or "").strip() for t in ET.fromstring(svg.getvalue()).iter(f"{SVG}text")}
    assert {"乌审旗", "苏里格气田"} <= words  # county names stay editable text too
    assert b"#c0392b" in svg.getvalue()  # the frame marked on the locator


@pytest.mark.parametrize("name", [n for n in MAIN if n.startswith("city-")] + ["overview"])
def test_each_size_frames_its_subject_across_70_percent_of_the_width(plans, name):
    for size in (prints.PRINT, prints.REPORT):
        assert plans[name, size.suffix].subject_fraction >= 0.7


def test_svg_keeps_labels_as_editable_text_with_cjk_fallbacks(ulanqab_images, atlas_maps):
    root = ET.fromstring(ulanqab_images["svg"])
    texts = root.iter(f"{SVG}text")
    words = {(t.text or "").strip(): t.get("style", "") for t in texts}
    names = set(atlas_maps[0]["city-ulanqab"].features["name_zh"])
    assert len(names & words.keys()) >= len(names) // 2
    assert "乌兰察布市" in words
    style = words["乌兰察布市"]
    assert re.search(r"font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC'"
                     r".*sans-serif", style)


def test_footer_gives_data_date_atlas_address_and_disclaimer(ulanqab_images):
    text = " ".join(t.text or "" for t in ET.fromstring(ulanqab_images["svg"]).iter(f"{SVG}text"))
    assert "数据截至 2026-11-22" in text
    assert "呼包鄂乌一体化政策图集 https://atlas.example.cn/" in text
    assert "示意图" in text
    assert "https://" not in prints.Footer(date="2026-11-22").items()[1]  # no address set: the title alone


def test_report_png_is_1600_px_wide_and_print_png_300_dpi(ulanqab_images):
    report = Image.open(io.BytesIO(ulanqab_images["report.png"]))
    assert report.width == 1600
    printed = Image.open(io.BytesIO(ulanqab_images["png"]))
    assert round(printed.info["dpi"][0]) == 300 and printed.width == round(8.27 * 300)


def test_downloads_list_offers_the_report_size(atlas_maps):
    suffixes = [suffix for suffix, _ in schema.DOWNLOADS]
    assert {"html", *exports.IMAGES} == set(suffixes)
    assert dict(schema.DOWNLOADS)["report.png"].startswith("PNG（1600 像素宽")


def test_colours_and_point_symbols_come_from_the_schema(atlas_maps, monkeypatch):
    specs, (cities, counties) = atlas_maps
    kind = print_page.KIND["logistics"]
    monkeypatch.setitem(print_page.KIND, "logistics", dataclasses.replace(kind, color="#123456"))
    svg = io.BytesIO()
    exports.draw(specs["city-baotou"], cities, counties).savefig(svg, format="svg")
    # the map's markers and the legend's marker are drawn with the schema's colour
    assert svg.getvalue().count(b"#123456") >= 2


def test_print_images_draw_each_kinds_points_in_the_web_maps_shape():
    from build_atlas.outputs.maps import SHAPE_OUTLINES
    from build_atlas.vocabulary.schema import KIND_SHAPES

    assert set(style.PRINT_MARKERS) == {"circle", *SHAPE_OUTLINES}
    assert len(set(style.PRINT_MARKERS.values())) == len(style.PRINT_MARKERS)
    assert set(KIND_SHAPES.values()) <= set(style.PRINT_MARKERS)


def test_cached_images_are_returned_byte_for_byte_and_keyed_by_their_inputs(atlas_maps, tmp_path, monkeypatch):
    specs, (cities, counties) = atlas_maps
    spec = specs["project-" + specs["city-ulanqab"].features.index[0]]
    cache = artifacts.ArtifactCache(tmp_path)
    first = exports.render_images(spec, cities, counties, cache, FOOTER)
    monkeypatch.setattr(exports, "draw_images", lambda *args: pytest.fail("drew again on a cache hit"))
    assert exports.render_images(spec, cities, counties, cache, FOOTER) == first
    code, outlines = exports.code_version(), exports.outlines_digest(cities, counties)
    key = exports.image_key(spec, outlines, FOOTER, code)
    assert exports.image_key(spec, outlines, dataclasses.replace(FOOTER, date="2026-11-23"), code) != key
    renamed = dataclasses.replace(spec, features=spec.features.assign(name_zh="改名"))
    assert exports.image_key(renamed, outlines, FOOTER, code) != key


def test_every_map_including_project_maps_has_its_downloads(built_site, atlas_maps):
    """Its images in exports/, and on its atlas page a link to each, the single-file HTML's made on the page."""
    specs, _ = atlas_maps
    missing = [f"{name}.{suffix}" for name in specs for suffix in exports.IMAGES
               if not (built_site / "exports" / f"{name}.{suffix}").exists()]
    assert missing == []
    unlinked = []
    for name in specs:
        page = (built_site / atlas_page_of(name)).read_text(encoding="utf-8")
        links = [f'exports/{name}.{suffix}" download' for suffix in exports.IMAGES]
        links.append(f'maps/{name}.html" data-single-file="{name}.html"')
        unlinked += [f"{name}: {link}" for link in links if link not in page]
    assert unlinked == []


def test_a_map_too_crowded_for_its_numbers_still_numbers_every_feature():
    """Far more features than room (like the city maps of the 20× benchmark data): the drawing does not fail, and
    every feature still gets its number in the key."""
    points = [labels.Target((f"p{i}",), "一个放不下名称的项目", (60.0, 10.0), shapely.Point(15 + i % 8, 15 + i // 8))
              for i in range(64)]
    placement = labels.place(points, [], {t.keys[0]: (t.geometry.x, t.geometry.y) for t in points}, width=40,
                             height=40, marker_radius=2.0, line_width=1.0, number_size=(8.0, 8.0))
    assert sorted(key for keys in placement.numbered for key in keys) == sorted(t.keys[0] for t in points)
    assert all(p.role == "number" for p in placement.placed)


def test_drawing_a_map_frees_its_figures_before_the_next(atlas_maps):
    """A pool worker draws map after map: each map's figures (a 300-dpi canvas is about 70 MB) must be freed when
    its images are made, not whenever the cycle collector next runs."""
    def figures() -> set[int]:  # other tests' fixtures may hold figures of their own
        return {id(o) for o in gc.get_objects() if isinstance(o, Figure)}

    specs, (cities, counties) = atlas_maps
    gc.collect()
    before = figures()
    gc.disable()  # as if the collector had not run yet
    try:
        exports.draw_images(specs["project-eco-yellow-river"], cities, counties, FOOTER)
        left = figures() - before
    finally:
        gc.enable()
    assert left == set()
