"""Print images: names that never overlap, every feature named or numbered, the subject framed across the page,
editable SVG text, the footer, the report size and the image cache."""

from __future__ import annotations

import dataclasses
import gc
import io
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
import shapely
from matplotlib.figure import Figure
from PIL import Image

from build_atlas.cache import artifacts
from build_atlas.inputs.model import gather
from build_atlas.outputs import exports, labels, maps, print_page, prints
from build_atlas.outputs.maps import paper
from build_atlas.outputs.maps.words import WORDS
from build_atlas.vocabulary import routes, schema, style

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
    return {(name, suffix): plan for name in MAIN + PROJECTS
            for suffix, plan in prints.plan_maps(specs[name], cities, counties, FOOTER).items()}


@pytest.fixture(scope="module")
def every_plan(atlas_maps):
    """{map name: {size suffix: Plan}} of every map (about 9 s)."""
    specs, (cities, counties) = atlas_maps
    return {name: prints.plan_maps(spec, cities, counties, FOOTER) for name, spec in specs.items()}


@pytest.fixture(scope="module")
def english_maps(atlas_maps):
    """The English edition's map specs, by name."""
    return {spec.name: spec for spec in maps.map_specs(gather(ROOT), "en")}


@pytest.fixture(scope="module")
def every_english_plan(atlas_maps, english_maps):
    """{map name: {size suffix: Plan}} of every English map (about 10 s)."""
    _, (cities, counties) = atlas_maps
    return {name: prints.plan_maps(spec, cities, counties, FOOTER) for name, spec in english_maps.items()}


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
        assert plan.placement.numbered == list(plan.numbering.groups), (name, suffix)  # the key's order, 1 first
        assert plan.placement.unnamed == [], (name, suffix)


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
def test_each_size_frames_the_whole_subject_and_fills_its_map_with_it(plans, atlas_maps, name):
    """The city's (the region's) outline lies inside the printed frame and spans at least 90% of it one way."""
    specs, (cities, _) = atlas_maps
    shown = cities if name == "overview" else cities[cities["city"] == specs[name].counties_of]
    x0, y0, x1, y1 = shown.to_crs(paper.PRINT_CRS).total_bounds
    for size in prints.SIZES:
        fx0, fy0, fx1, fy1 = plans[name, size.suffix].frame
        assert fx0 <= x0 and fy0 <= y0 and x1 <= fx1 and y1 <= fy1, size.suffix
        assert max((x1 - x0) / (fx1 - fx0), (y1 - y0) / (fy1 - fy0)) >= 0.9, size.suffix


def test_every_page_holds_its_map_legend_and_key_apart_and_fits_its_sheet(every_plan):
    """On every map and size the legend, key, title and footer stand beside or below the map, never over it or each
    other, inside a page no larger than the sheet: A4 turned as the subject asks (300 dpi), or a report image no
    taller than 1.45 times its width; a map wider than tall prints landscape."""
    def meets(a, b) -> bool:
        return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h

    seen = set()
    for name, by_size in every_plan.items():
        for suffix, plan in by_size.items():
            layout = plan.layout
            page_w, page_h = layout.page
            most_w, most_h = plan.size.sheet(plan.orientation)
            assert page_w <= most_w + 1e-9 and page_h <= most_h + 1e-9, (name, suffix, layout.page)
            blocks = [b for b in (layout.title, layout.map, layout.legend, layout.key, layout.footer) if b]
            assert all(0 <= b.x and 0 <= b.y and b.x + b.w <= page_w + 1e-9 and b.y + b.h <= page_h + 1e-9
                       for b in blocks), (name, suffix)
            assert not any(meets(a, b) for i, a in enumerate(blocks) for b in blocks[i + 1:]), (name, suffix)
            x0, y0, x1, y1 = plan.frame
            assert plan.orientation == ("landscape" if (y1 - y0) < 0.8 * (x1 - x0) else "portrait"), name
            assert abs(layout.map.h / layout.map.w - (y1 - y0) / (x1 - x0)) < 1e-9, (name, suffix)  # not stretched
            seen.add((suffix, plan.orientation, layout.arrangement))
    assert {("png", "portrait", "below"), ("png", "landscape", "below"), ("png", "portrait", "legend-beside"),
            ("report.png", "portrait", "below"), ("report.png", "portrait", "legend-beside")} <= seen


def test_all_sizes_of_a_map_share_one_numbering(every_plan):
    """Each number stands for the same features on the print and the report image, in reading order, and both keys
    list exactly the numbers their maps show."""
    for name, by_size in every_plan.items():
        numberings = {plan.numbering for plan in by_size.values()}
        assert len(numberings) == 1, name
        for suffix, plan in by_size.items():
            shown = {int(p.text): p.keys for p in plan.placement.placed if p.role == "number"}
            assert shown == dict(enumerate(plan.numbering.groups, start=1)), (name, suffix)
            listed = {int(piece.text) for piece in plan.layout.key_pieces if piece.role == "number" and piece.text}
            assert listed == set(shown), (name, suffix)


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


ENGLISH_FOOTER = prints.Footer(date="2026-11-22", atlas="Hohhot–Baotou–Ordos–Ulanqab Integration Policy Atlas",
                               url="https://atlas.example.cn/en/")


@pytest.fixture(scope="module")
def english_ulanqab(atlas_maps, english_maps):
    _, (cities, counties) = atlas_maps
    spec = english_maps["city-ulanqab"]
    images = exports.draw_images(spec, cities, counties, ENGLISH_FOOTER)
    return spec, prints.plan_maps(spec, cities, counties, ENGLISH_FOOTER), images


def test_english_images_speak_english_in_their_title_legend_key_and_footer(english_ulanqab):
    spec, plans, images = english_ulanqab
    texts = [(t.text or "").strip() for t in ET.fromstring(images["svg"]).iter(f"{SVG}text")]
    assert [t for t in texts if re.search(r"[\u3400-\u9fff]", t)] == []  # no Chinese on an English map
    assert "Ulanqab: planned projects" in texts and "Ulanqab" in texts  # its title, and its city named on the map
    shown = set(spec.features["kind"])
    assert {kind.en for kind in schema.KINDS if kind.key in shown} <= set(texts)  # the legend's kinds
    assert {phase.en for phase in schema.PHASES} & set(texts)
    assert any(re.fullmatch(r"\d+ km", t) for t in texts)  # the scale
    footer = " ".join(texts)
    assert "Data as of 2026-11-22" in footer and "Schematic map" in footer and "UTM zone 49N" in footer
    assert "Source: Hohhot–Baotou–Ordos–Ulanqab Integration Policy Atlas https://atlas.example.cn/en/" in footer
    assert plans["png"].numbering.groups and "Key to the numbers" in texts  # this map numbers some: its key
    assert set(spec.features["short_name_en"]) & set(texts)  # its labels: the short English names


def test_english_keys_break_their_lines_between_words(every_english_plan):
    """A name in an English key that runs onto a second line breaks after a space or a dash, never inside a word
    (Chinese breaks between any two characters; print_layout.PIECES)."""
    broken, lines = [], 0
    for name, by_size in every_english_plan.items():
        for suffix, plan in by_size.items():
            pieces = [piece for piece in plan.layout.key_pieces if piece.role == "name"]
            for before, after in itertools.pairwise(pieces):
                if (before.number, before.fid) == (after.number, after.fid):  # one name on two lines
                    lines += 1
                    if before.text[-1:] not in (" ", "-", "–") or after.text[:1] == " ":
                        broken.append((name, suffix, before.text, after.text))
    assert lines > 20 and broken == []


def test_report_png_is_1600_px_wide_and_print_png_300_dpi(ulanqab_images):
    report = Image.open(io.BytesIO(ulanqab_images["report.png"]))
    assert report.width == 1600 and report.height <= 1.45 * 1600
    printed = Image.open(io.BytesIO(ulanqab_images["png"]))
    assert round(printed.info["dpi"][0]) == 300 and printed.width == int(210 / 25.4 * 300) == 2480
    assert printed.height <= 297 / 25.4 * 300


@pytest.mark.parametrize("lang", routes.LANGUAGES)
def test_every_report_image_fits_a_word_page_and_every_print_an_a4_sheet(built_site, atlas_maps, lang):
    """Measured on the built files of every map of each edition: a report PNG no taller than 1.45 times its 1600 px
    width (it fills a Word page's text width: 16 × 23.2 cm), a print PNG within A4 at 300 dpi, turned either way."""
    specs, _ = atlas_maps
    a4 = sorted((210 / 25.4 * 300, 297 / 25.4 * 300))
    too_tall, too_large = [], []
    for name in specs:
        report = Image.open(built_site / routes.image(name, "report.png", lang))
        if report.width != 1600 or report.height / report.width > 1.45:
            too_tall.append((name, report.size))
        printed = Image.open(built_site / routes.image(name, "png", lang))
        short, long = sorted(printed.size)
        if round(printed.info["dpi"][0]) != 300 or short > a4[0] or long > a4[1]:
            too_large.append((name, printed.size))
    assert (too_tall, too_large) == ([], [])


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


def key_of_svg(svg: bytes) -> tuple[dict[int, list[str]], set[int]]:
    """({number: [the text of each entry under it]}, {numbers drawn on the map}) of a drawn map's SVG, read from the
    ids print_page gives the key's name pieces (key-<number>-<entry>-<line>) and the map's numbers (map-<number>)."""
    pieces, shown = {}, set()
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        gid, text = group.get("id", ""), "".join(t.text or "" for t in group.iter(f"{SVG}text"))
        if match := re.fullmatch(r"key-(\d+)-(\d+)-(\d+)", gid):
            pieces[tuple(int(g) for g in match.groups())] = text
        elif match := re.fullmatch(r"map-(\d+)", gid):
            shown.add(int(match[1]))
    entries: dict[int, dict[int, str]] = {}
    for (number, entry, _), text in sorted(pieces.items()):
        entries.setdefault(number, {})[entry] = entries.get(number, {}).get(entry, "") + text
    return {number: list(texts.values()) for number, texts in entries.items()}, shown


CROWD_SUMMED = {"zh": r"一带的 (\d+) 个项目", "en": r"^(\d+) projects around "}  # words.py's "crowd"


def keyed_groups(key: dict[int, list[str]], names: dict[str, str], lang: str = "zh") -> dict[int, object]:
    """{number: the feature ids its key entries name, or for a crowd summed up, how many projects it says}."""
    out = {}
    for number, texts in key.items():
        if len(texts) == 1 and (counted := re.search(CROWD_SUMMED[lang], texts[0])):
            out[number] = int(counted[1])
        else:
            out[number] = frozenset(fid for text in texts for fid in named_in(text, names, lang))
    return out


def named_in(text: str, names: dict[str, str], lang: str = "zh") -> list[str]:
    """The feature ids of a key entry: one name, or a crowd's several joined by ；(or "; ")."""
    found, longest_first, joiner = [], sorted(names, key=len, reverse=True), WORDS[lang]["joiner"]
    while text:
        name = next(n for n in longest_first if text.startswith(n))
        found.append(names[name])
        text = text[len(name):].removeprefix(joiner)
    return found


def as_keyed(groups: dict[int, frozenset], keyed: dict[int, object]) -> dict[int, object]:
    """`groups` ({number: feature ids}) as a key says them: a crowd the key sums up by its count."""
    return {n: len(fids) if isinstance(keyed.get(n), int) else fids for n, fids in groups.items()}


LISTED = re.compile(r'<span class="map-number"[^>]*>(\d+)</span> <a href="(?:[^"]*/)?([^"/]+)\.html"')


@pytest.mark.parametrize("lang", routes.LANGUAGES)
def test_every_map_s_svg_numbers_and_keys_the_features_its_plan_numbers(built_site, atlas_maps, every_plan,
                                                                        every_english_plan, lang):
    """Over every map of each edition: the numbers drawn on the built SVG (the print PNG's own figure) and its key
    give the same features the same numbers as the plan every size of the map shares (the report image's
    included), the English key naming them by their English names."""
    specs, _ = atlas_maps
    plans, column = (every_plan, "name_zh") if lang == "zh" else (every_english_plan, "name_en")
    wrong = []
    for name, spec in specs.items():
        names = dict(zip(spec.features[column], spec.features.index, strict=True))
        key, shown = key_of_svg((built_site / routes.image(name, "svg", lang)).read_bytes())
        groups = {n: frozenset(keys) for n, keys in enumerate(plans[name]["report.png"].numbering.groups, 1)}
        keyed = keyed_groups(key, names, lang)
        if shown != set(groups) or keyed != as_keyed(groups, keyed):
            wrong.append(name)
    assert wrong == []
    baotou = {n for n, keys in enumerate(plans["city-baotou"]["png"].numbering.groups, 1) if len(keys) > 1}
    assert baotou  # a crowd of points shares one number on this map: the test sees crowds as well as single features


@pytest.mark.parametrize("lang", routes.LANGUAGES)
def test_the_list_under_every_map_gives_its_features_the_numbers_of_its_images(built_site, atlas_maps, every_plan,
                                                                              every_english_plan, lang):
    """The list under a map on its atlas page of each edition (the city's or county's project table, a theme's list
    of the map's projects; the overview's: the project list it links to) shows each numbered project's number, the
    one its edition's images give it."""
    specs, _ = atlas_maps
    plans = every_plan if lang == "zh" else every_english_plan
    wrong = []
    for name in specs:
        if name.startswith("project-"):
            continue  # a project map stands over its one project's page, with no list
        groups = {n: frozenset(keys) for n, keys in enumerate(plans[name]["png"].numbering.groups, 1)}
        page = routes.html(routes.localized(routes.PROJECTS, lang)) if name == "overview" \
            else routes.map_home(name, lang)
        listed: dict[int, set[str]] = {}
        for number, fid in LISTED.findall((built_site / page).read_text(encoding="utf-8")):
            listed.setdefault(int(number), set()).add(fid)
        if {n: frozenset(fids) for n, fids in listed.items()} != groups:
            wrong.append(name)
    assert wrong == []


def test_the_report_image_draws_the_numbers_and_key_of_its_plan(atlas_maps, every_plan):
    """The report PNG's figure (drawn here, read back as SVG) numbers and keys the features its plan numbers."""
    specs, (cities, counties) = atlas_maps
    for name in ("city-baotou", "overview"):
        spec, plan = specs[name], every_plan[name]["report.png"]
        svg = io.BytesIO()
        print_page.draw(spec, cities, counties, prints.REPORT, FOOTER, plan).savefig(svg, format="svg")
        key, shown = key_of_svg(svg.getvalue())
        groups = {n: frozenset(keys) for n, keys in enumerate(plan.numbering.groups, 1)}
        names = dict(zip(spec.features["name_zh"], spec.features.index, strict=True))
        assert shown == set(groups), name
        assert keyed_groups(key, names) == as_keyed(groups, keyed_groups(key, names)), name
