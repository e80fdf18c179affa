"""Readers find their county (issue 28): a page for each of the 38 旗县区 with the projects that touch it by geometry
and the measures that concern it, a map that names the counties and opens a county's page on a tap, a county column
and filter on the lists, search that puts the county page first, and the counties in the downloads.

The fast tests render the pages' Markdown from the real data; the `site` tests read the session's built site; the
`browser` tests drive it in Chromium on a 390×844 phone (touch) and a desktop.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import shapely

from build_atlas.errors import AtlasError
from build_atlas.inputs.counties import named_in, naming_words, short_name
from build_atlas.inputs.model import gather
from build_atlas.outputs import downloads, maps, pages, published, search
from build_atlas.outputs.county_pages import KIND_ORDER, STATUS_ORDER, county_numbers, county_projects
from build_atlas.outputs.dictionary import NO_DOWNLOADS
from build_atlas.site.plugin import compact
from build_atlas.vocabulary import routes
from tests.conftest import MAP_JS

ROOT = Path(__file__).resolve().parent.parent
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
PROJECT_LINK = re.compile(r"\]\(\.\./projects/([a-z0-9.-]+)\.md\)")
CARD = re.compile(r'<div class="measure"[^>]* id="m-([a-z0-9.-]+)"')
TUMED_LEFT, DALAD = "150121", "150621"


@pytest.fixture(scope="module")
def atlas():
    return gather(ROOT)


@pytest.fixture(scope="module")
def plan(atlas):
    return pages.page_plan(atlas, today=date(2026, 11, 22), site_url="", downloads=NO_DOWNLOADS, history=[])


@pytest.fixture(scope="module")
def county_pages(atlas, plan) -> dict[str, str]:
    """adcode → the Markdown of its page."""
    counties = atlas.by_county.counties
    return {code: plan[routes.county(counties.loc[code, "key"])]() for code in counties.index}


def touching(atlas, adcode: str) -> set[str]:
    """The located projects whose geometry meets the county's outline, computed here from the outlines alone: a line
    with a part of positive length inside, a point (or one of a project's sites) inside or on the edge."""
    outline = atlas.counties.set_index("adcode").loc[adcode, "geometry"]
    found = set()
    for fid, geometry in atlas.located.geometry.items():
        if geometry.geom_type in ("Point", "MultiPoint"):
            if any(outline.covers(site) for site in shapely.get_parts(geometry)):
                found.add(fid)
        elif shapely.length(shapely.intersection(geometry, outline)) > 0 or \
                shapely.area(shapely.intersection(geometry, outline)) > 0:
            found.add(fid)
    return found


def projects_listed(markdown: str) -> list[str]:
    table = markdown.split("{ #projects }", 1)[1].split("{ #measures }", 1)[0] if "{ #projects }" in markdown else ""
    return PROJECT_LINK.findall(table)


# --- a page for each unit, with what its outline touches -----------------------------------------------------------

def test_every_one_of_the_38_county_level_units_has_a_page(atlas, plan):
    counties = atlas.by_county.counties
    assert len(counties) == 38 and counties["key"].is_unique
    assert set(counties.index) == set(atlas.counties["adcode"])
    assert {routes.county(key) for key in counties["key"]} <= set(plan)
    assert sum(routes.kind_of(path) == "county" for path in plan) == 38
    assert {"白云鄂博矿区", "达尔罕茂明安联合旗", "丰镇市", "土默特左旗"} <= set(counties["name_zh"])


def test_a_project_crossing_a_county_is_listed_on_that_countys_page(atlas, county_pages):
    """Checked against the outlines: every project whose geometry meets a county is in its page's table, and no
    other project is."""
    wrong = {}
    for code, markdown in county_pages.items():
        listed, expected = projects_listed(markdown), touching(atlas, code)
        if sorted(listed) != sorted(expected) or len(set(listed)) != len(listed):
            wrong[atlas.by_county.counties.loc[code, "name_zh"]] = (sorted(set(listed) ^ expected))
    assert wrong == {}


def test_tumed_left_and_dalad_list_at_least_the_22_and_13_projects_that_cross_them(county_pages):
    tumed_left, dalad = projects_listed(county_pages[TUMED_LEFT]), projects_listed(county_pages[DALAD])
    assert len(tumed_left) >= 22 and len(dalad) >= 13
    assert {"eco-hasuhai", "eco-daheihe", "expwy-s27", "hsr-hohhot-baotou", "road-tumedleft-maodai"} <= set(tumed_left)
    assert {"eco-kubuqi", "hsr-baotou-ordos-yulin", "road-g210-guchengwan-bridge", "eco-yellow-river"} <= set(dalad)
    assert "**22 个规划项目**" in county_pages[TUMED_LEFT] and "## 规划项目 13 个" in county_pages[DALAD]


def test_a_line_says_how_much_of_it_lies_inside_and_a_multi_site_project_how_many_sites(county_pages):
    rows = {fid: line for line in county_pages[TUMED_LEFT].splitlines()
            for fid in PROJECT_LINK.findall(line)}
    assert re.search(r"\| 境内约 \d+ 公里，占全长 \d+% \|", rows["hsr-hohhot-baotou"])
    assert "| 境内约 " in rows["road-tumedleft-maodai"] and "占全长 100%" in rows["road-tumedleft-maodai"]
    assert re.search(r"\| \d+ 处中有 \d+ 处 \|", rows["agri-tumochuan-plain"])
    assert "| 位于境内 |" in rows["eco-hasuhai"]


def test_projects_are_listed_by_kind_then_documented_status(atlas, county_pages):
    kinds = [k.key for k in maps.specs.KINDS]
    listed = projects_listed(county_pages[TUMED_LEFT])
    order = [kinds.index(atlas.features.loc[fid, "kind"]) for fid in listed]
    assert order == sorted(order)
    assert re.search(r"按类型：高铁/城际铁路 \d+、", county_pages[TUMED_LEFT])
    assert re.search(r"按文件表述：[^。]*实施建设 \d+", county_pages[TUMED_LEFT])


def test_each_edition_lists_projects_of_one_kind_and_status_by_its_own_names(atlas):
    """Within a kind and a documented status, the Chinese page orders by Chinese name, the English page by English
    name (an edit to a Chinese name does not reorder the English page)."""
    features = atlas.features
    for lang, column in (("zh", "name_zh"), ("en", "name_en")):
        listed = [fid for fid, _ in county_projects(atlas, TUMED_LEFT, lang)]
        assert listed == sorted(listed, key=lambda fid: (KIND_ORDER[features.loc[fid, "kind"]],
                                                         STATUS_ORDER.get(features.loc[fid, "status"], 99),
                                                         features.loc[fid, column]))


# --- the measures that concern a county --------------------------------------------------------------------------

def test_measures_that_name_the_county_its_seat_or_a_place_in_it_are_on_its_page(county_pages):
    cards = dict.fromkeys(CARD.findall(county_pages[TUMED_LEFT]))
    assert "hh19-09" in cards  # 土左旗至毛岱一级公路: names 土左旗 (an alias) and 毛岱 (a gazetteer place)
    assert "pl21-0302-03" in cards  # 呼和浩特市区—土默特左旗合作共建: names the county
    assert "pl21-0605-01" in cards  # 哈素海: a gazetteer place in the county
    text = county_pages[TUMED_LEFT]
    assert "涉及本地：写到“协力气”“土左旗”“毛岱”" in text
    assert "涉及本地：所关于的S27呼鄂高速在境内" in text  # a measure about a project that crosses it


def test_names_are_read_longest_first_and_short_words_only_with_their_suffix(atlas):
    index = atlas.by_county
    words = naming_words(index.counties, atlas.aliases, atlas.places, set())
    assert named_in("支持鄂托克前旗发展", words) == {"150623": {"鄂托克前旗": 1}}  # not 鄂托克旗 (150624)
    assert named_in("推动土左旗、土默特左旗协同", words) == {TUMED_LEFT: {"土左旗": 1, "土默特左旗": 1}}
    assert named_in("发展农牧业和林业", words) == {}  # 和林 names 和林格尔县 only in search
    assert named_in("呼和浩特、包头、鄂尔多斯", words) == {}  # a city is not a county
    assert named_in("察素齐镇", words) == {TUMED_LEFT: {"察素齐镇": 1}}  # the seat town
    assert short_name("达尔罕茂明安联合旗") == "达尔罕茂明安" and short_name("白云鄂博矿区") == "白云鄂博"


def test_a_county_that_no_measure_names_says_so_and_points_to_its_citys_measures(county_pages, atlas):
    qingshan = county_pages["150204"]  # 青山区: projects cross it, but no document names it
    assert "五份文件没有一项举措写到本区的名称、驻地或境内的地名" in qingshan
    assert "点名本区的文件</dt><dd>没有文件写到本区" in qingshan
    assert "[包头市页面的举措列表](../cities/baotou.md#measures)" in qingshan


def test_a_county_nothing_concerns_says_so_plainly(atlas, plan):
    """With no project touching it and no measure concerning it, the page says so in one sentence and links to its
    city's measures; no empty map or table."""
    import dataclasses

    bare = dataclasses.replace(atlas)
    index = atlas.by_county
    bare.__dict__["by_county"] = dataclasses.replace(
        index, projects=index.projects[index.projects["adcode"] != "150922"],
        measures=index.measures[index.measures["adcode"] != "150922"],
        documents=index.documents[index.documents["adcode"] != "150922"])
    page = pages.page_plan(bare, today=date(2026, 11, 22), site_url="", downloads=NO_DOWNLOADS, history=[])
    text = page[routes.county("huade-county")]()
    assert "五份文件没有一项举措写到化德县的名称、驻地或境内的地名，也没有规划项目经过或位于这里。" in text
    assert "[乌兰察布市页面的举措列表](../cities/ulanqab.md#measures)" in text
    assert "atlas-map" not in text and "| 项目 |" not in text and "measure-filters" not in text


def test_facts_give_city_seat_area_and_the_documents_that_name_it(county_pages):
    text = county_pages[TUMED_LEFT]
    assert '<dd><a href="../cities/hohhot.html">呼和浩特市</a></dd>' in text
    assert "<dd>察素齐镇</dd>" in text
    area = int(re.search(r"约 ([\d,]+) 平方公里", text)[1].replace(",", ""))
    assert area == 2760  # 土默特左旗: 2,764 km² on the simplified outline, stated to the ten
    assert re.search(r'<a href="../documents/hohhot-2019.html">[^<]+</a>（\d+ 处）', text)


# --- the lists: a county column and filter ---------------------------------------------------------------------

def test_city_page_links_its_counties_and_its_table_and_cards_say_which_counties(atlas, plan):
    hohhot = plan[routes.city("hohhot")]()
    number = county_numbers(atlas)["土默特左旗"]
    assert "[土默特左旗](../counties/tumed-left-banner.md)" in hohhot
    assert "| 项目 | 类型 | 旗县区 | 文件表述 |" in hohhot
    row = next(line for line in hohhot.splitlines() if "(../projects/eco-hasuhai.md)" in line)
    assert '| <span data-county>土默特左旗</span> |' in row
    assert re.search(rf'data-county="([^"]*;)?{number}(;[^"]*)?" data-doc="hohhot-2019"[^>]* id="m-hh19-09"', hohhot)
    assert f'<option data-number="{number}" value="土默特左旗">' in hohhot.split('class="measure-filters"', 1)[1]
    table_form = hohhot.split('<form class="table-filter"', 1)[1].split("</form>", 1)[0]
    assert '<select name="county">' in table_form and '<select name="phase">' in table_form
    assert '<option value="土默特左旗">土默特左旗（22）</option>' in table_form  # beside the 现状 filter, in one form
    assert '<select name="county">' in hohhot.split('class="measure-filters"', 1)[1]
    assert "达拉特旗" not in hohhot.split('class="measure-filters"', 1)[1].split("</form>", 1)[0]  # its own only


def test_theme_page_and_project_list_filter_by_county_grouped_by_city(plan):
    transport = plan[routes.theme("transport")]()
    form = transport.split('class="measure-filters"', 1)[1].split("</form>", 1)[0]
    assert '<optgroup label="鄂尔多斯市">' in form and 'value="达拉特旗">' in form
    assert "<th>旗县区</th>" in transport  # the projects drawn on the theme map, with their counties
    listing = plan[routes.PROJECTS]()
    assert "| 项目 | 类型 | 城市 | 旗县区 | 文件表述 |" in listing
    table_form = listing.split('<form class="table-filter"', 1)[1].split("</form>", 1)[0]
    assert '<select name="county">' in table_form and '<optgroup label="呼和浩特市">' in table_form


# --- maps, search, downloads -------------------------------------------------------------------------------------

def test_each_county_has_a_map_of_the_projects_its_outline_touches(atlas):
    specs = {spec.name: spec for spec in maps.map_specs(atlas)}
    for code, county in atlas.by_county.counties.iterrows():
        spec = specs[f"county-{county['key']}"]
        assert spec.focus == code and spec.counties_of == "*"
        assert set(spec.features.index) == touching(atlas, code)
        assert routes.map_home(spec.name) == routes.html(routes.county(county["key"]))


def test_city_map_names_each_of_its_counties_inside_it_with_the_room_it_has(atlas):
    spec = next(s for s in maps.map_specs(atlas) if s.name == "city-hohhot")
    page = maps.render_map(spec, atlas, maps.MapOptions(tiles="none"))
    labels = json.loads(re.search(r'(\[\{[^\]]*"room"[^\]]*\])\.forEach', page)[1])
    outlines = atlas.counties.set_index("name_zh")
    assert sorted(label["text"] for label in labels) == sorted(outlines[outlines["city"] == "hohhot"].index)
    assert [label["room"] for label in labels] == sorted((label["room"] for label in labels), reverse=True)
    for label in labels:  # each name anchored inside its county, with room round it
        assert outlines.loc[label["text"], "geometry"].contains(shapely.Point(label["lon"], label["lat"]))
        assert label["room"] > 0
    assert "atlasMap.namesPane(" in page  # drawn under the projects' symbols
    assert '"key":"tumed-left-banner"' in page  # a tap in a county links to its page


def test_search_records_a_county_by_its_names_and_aliases_and_its_projects_by_the_county(atlas):
    records = {r["location"]: r for r in search.atlas_records(atlas)}
    county = records[routes.html(routes.county("tumed-left-banner"))]
    assert county["title"].replace("\u200b", "") == "土默特左旗"
    assert "土左旗" in county["aka"].replace("\u200b", "")
    assert "面积约 2,760 平方公里" in county["text"].replace("\u200b", "")  # as the page states it
    assert "察右前旗" in records[routes.html(routes.county("chahar-right-front-banner"))]["aka"].replace("\u200b", "")
    assert "准旗" in records[routes.html(routes.county("jungar-banner"))]["aka"].replace("\u200b", "")
    hasuhai = records[routes.html(routes.project("eco-hasuhai"))]
    assert "土默特左旗" in hasuhai["also"].replace("\u200b", "")


def test_downloads_give_each_projects_counties(atlas):
    tables = published.tables(atlas)
    texts = downloads.files(tables, published.layers(atlas, tables))
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(texts["features.csv"].lstrip("\ufeff")))}
    assert "土默特左旗" in rows["hsr-hohhot-baotou"]["counties"].split(";")
    assert "150121" in rows["hsr-hohhot-baotou"]["county_codes"].split(";")
    assert all(not row["counties"] for row in rows.values() if row["geometry_kind"] == "unlocated")
    layers = [json.loads(text) for name, text in texts.items() if name.startswith("projects-")]
    hasuhai = next(f for layer in layers for f in layer["features"] if f["properties"]["id"] == "eco-hasuhai")
    assert hasuhai["properties"]["counties"] == "土默特左旗" and hasuhai["properties"]["county_codes"] == "150121"


def test_an_alias_whose_full_form_is_nowhere_is_refused_with_its_place(project):
    path = project / "geodata/aliases.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, "察右后,察哈尔右冀后旗,"]) + "\n", encoding="utf-8")  # 冀 for 翼
    with pytest.raises(AtlasError) as caught:
        gather(project)
    found = [(p.file, p.line, p.column, p.code) for p in caught.value.problems]
    assert found == [("geodata/aliases.csv", len(lines) + 1, 2, "unknown-target")]


def test_compacting_a_page_keeps_pre_and_textarea_as_written():
    page = ("<nav>\n    <ul>\n\n      <li>a</li>\n</ul></nav>\n<pre><code>  x\n    y</code></pre>\n"
            "  <textarea>\n  t</textarea>")
    assert compact(page) == "<nav><ul><li>a</li></ul></nav>\n<pre><code>  x\n    y</code></pre>\n" \
                            "<textarea>\n  t</textarea>"
    inline = "<span>土默特左旗</span>\n    <span>托克托县</span>"  # the break between them renders as a space
    assert compact(inline) == "<span>土默特左旗</span>\n<span>托克托县</span>"


# --- the built site --------------------------------------------------------------------------------------------

def test_county_pages_are_reached_from_the_city_page_and_the_city_menu(built_site):
    hohhot = (built_site / "cities/hohhot.html").read_text(encoding="utf-8")
    tumed_left = (built_site / "counties/tumed-left-banner.html").read_text(encoding="utf-8")
    assert 'href="../counties/tumed-left-banner.html"' in hohhot  # the city page links each of its counties
    assert hohhot.count(">\n下辖旗县区\n<") == 4  # and the 城市 menu each city's, opening on a county page
    menu = tumed_left.split('md-sidebar--primary', 1)[1].split('md-sidebar--secondary', 1)[0]
    assert 'href="togtoh-county.html"' in menu and "dalad-banner.html" not in menu  # its city's counties only
    assert '<title>土默特左旗 - ' in tumed_left
    assert len(list((built_site / "counties").glob("*.html"))) == 38
    assert len(list((built_site / "maps").glob("county-*.html"))) == 38


# --- in Chromium --------------------------------------------------------------------------------------------------

def first_results(page, root_url: str, query: str) -> list[str]:
    """The results a reader sees for a query typed on a phone: the search button tapped, the words typed."""
    page.locator('label[for="__search"]').first.tap()
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material listens for keyup
    page.wait_for_function("q => document.querySelector('input.md-search__input').value === q "
                           "&& document.querySelector('.md-search-result__list').children.length > 0", arg=query)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link", "as => as.map(a => a.href)")
    paths = [urlsplit(href)._replace(query="").geturl().removeprefix(root_url) for href in hrefs]
    return list(dict.fromkeys(paths))


# (query, the county whose page comes first, a result inside the county that follows among the next nine)
COUNTY_QUERIES = [("土左旗", "tumed-left-banner", "projects/road-tumedleft-maodai.html"),
                  ("土默特左旗", "tumed-left-banner", "projects/zone-satellite-hohhot-tumedleft.html"),
                  ("达拉特旗", "dalad-banner", "projects/zone-satellite-baotou-tumedright-dalad.html"),
                  ("达旗", "dalad-banner", "projects/eco-kubuqi.html"),
                  ("察右前旗", "chahar-right-front-banner", "projects/zone-satellite-jining-chaharfront.html"),
                  ("准旗", "jungar-banner", "projects/industry-tuo-qing-zhun-parks.html"),
                  ("伊旗", "ejin-horo-banner", "projects/airport-ordos.html")]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "county", "inside"), COUNTY_QUERIES, ids=[q for q, *_ in COUNTY_QUERIES])
def test_a_county_search_on_a_phone_puts_the_county_page_first(browser, site_url, query, county, inside):
    context = browser.new_context(**PHONE)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    page = context.new_page()
    page.goto(site_url + "index.html", wait_until="load")
    shown = first_results(page, site_url, query)
    context.close()
    assert shown[0] == routes.html(routes.county(county)), shown[:5]
    assert inside in shown[1:10], shown[:10]  # followed by what lies in the county


@pytest.mark.browser
def test_city_map_on_a_phone_names_counties_and_a_tap_opens_a_county_page_without_a_focus_box(browser, site_url):
    context = browser.new_context(**PHONE)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    page = context.new_page()
    page.goto(site_url + "maps/city-hohhot.html", wait_until="load")
    page.locator(".atlas-ready .leaflet-overlay-pane path").first.wait_for()
    page.wait_for_timeout(500)
    shown = page.evaluate(NAMES_JS)
    assert {"土默特左旗", "武川县", "和林格尔县", "清水河县"} <= set(shown), shown
    assert "回民区" not in shown  # too small at this zoom: its name would cover its neighbours
    page.evaluate(f"() => ({MAP_JS})().setView([40.82, 111.66], 11, {{animate: false}})")
    page.wait_for_timeout(500)
    assert "回民区" in page.evaluate(NAMES_JS)  # zoomed in on the city, the districts' names fit
    page.evaluate(f"() => ({MAP_JS})().setView([40.6, 111.0], 8, {{animate: false}})")
    page.wait_for_timeout(300)
    x, y = page.evaluate(OPEN_SPOT_JS, "tumed-left-banner")  # inside the county, on no project
    page.touchscreen.tap(x, y)
    page.locator(".leaflet-popup-content a").wait_for()
    link = page.locator(".leaflet-popup-content a")
    assert page.locator(".leaflet-popup-content strong").inner_text() == "土默特左旗"
    assert unquote(link.get_attribute("href")).endswith(routes.html(routes.county("tumed-left-banner")))
    outline = page.evaluate("() => { const e = document.activeElement; "
                            "return e && e.tagName === 'path' ? getComputedStyle(e).outlineStyle : 'none'; }")
    assert outline == "none"
    context.close()


@pytest.mark.browser
def test_the_county_filter_narrows_the_city_table_and_cards_and_stays_in_the_address(page, site_url):
    page.goto(site_url + "cities/hohhot.html", wait_until="load")
    rows = "() => [...document.querySelectorAll('article tbody tr')].filter(r => !r.hidden).length"
    total = page.evaluate(rows)
    page.select_option("form.table-filter select[name=county]", "土默特左旗")
    assert page.evaluate(rows) == 22 < total
    assert "county=" in page.url and "土默特左旗" in unquote(page.url)
    assert page.input_value("form.measure-filters select[name=county]") == "土默特左旗"  # the cards follow
    cards = page.evaluate("[...document.querySelectorAll('.measure')].filter(c => !c.hidden).length")
    number = page.get_attribute("form.measure-filters option[value=土默特左旗]", "data-number")
    expected = page.evaluate("n => [...document.querySelectorAll('.measure[data-county]')]"
                             ".filter(c => c.dataset.county.split(';').includes(n)).length", number)
    assert cards == expected > 0
    page.goto(page.url, wait_until="load")  # a shared address opens filtered
    assert page.evaluate(rows) == 22
    page.select_option("form.measure-filters select[name=county]", "武川县")  # and the table follows the cards
    assert page.input_value("form.table-filter select[name=county]") == "武川县"
    assert page.evaluate(rows) == 5
    page.goto(site_url + "projects/index.html?county=" + "达拉特旗", wait_until="load")
    assert page.evaluate(rows) == 13


@pytest.mark.browser
@pytest.mark.parametrize("key", ["tumed-left-banner", "dalad-banner"])
def test_county_pages_weigh_under_1_mb_on_first_visit(browser, site_url, key):
    from build_atlas.tools.bench.weigh import PAGE_TARGET, weigh_page

    weight = weigh_page(browser, site_url + routes.html(routes.county(key)))
    assert weight["bytes"] < PAGE_TARGET and weight["iframes"] == 1, weight


# A point of the page where a tap reaches the county's own shape (no project drawn over it there).
OPEN_SPOT_JS = f"""key => {{
  const map = ({MAP_JS})(), box = map.getContainer().getBoundingClientRect();
  let county;
  map.eachLayer(layer => {{
    if (layer.feature && layer.feature.properties.key === key && layer._path) county = layer;
  }});
  const b = county.getBounds();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {{
    const p = map.latLngToContainerPoint([b.getSouth() + (b.getNorth() - b.getSouth()) * i / 12,
                                          b.getWest() + (b.getEast() - b.getWest()) * j / 12]);
    if (document.elementFromPoint(box.x + p.x, box.y + p.y) === county._path) return [box.x + p.x, box.y + p.y];
  }}
  return null;
}}"""
NAMES_JS = """() => [...document.querySelectorAll('.atlas-county-label')]
  .filter(e => getComputedStyle(e).visibility !== 'hidden').map(e => e.textContent)"""
