"""The progress tracker: geodata/progress.csv checked with located errors, a project's current stage and phase, a
measure's deadline state, the pages that show them, the maps that draw them and the Atom feed."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import feedparser
import pytest

from build_atlas.errors import AtlasError
from build_atlas.inputs.model import gather
from build_atlas.inputs.progress import parse_date

from .conftest import ROOT

TABLE = "geodata/progress.csv"
HEADER = "date,target,stage,summary,publisher,title,published,url,recorded,reason"
TODAY = date(2026, 12, 7)
GOOD = ["2024-12-31", "hsr-jining-datong-yuanping", "全线开通", "全线开通运营", "新华社", "集大原高铁开通运营",
        "2024-12-31", "https://www.news.cn/x.html", "2026-12-07", ""]


@pytest.fixture(scope="module")
def inputs_copy(tmp_path_factory) -> Path:
    """A copy of the inputs only (no git): each test writes its own progress table."""
    work = tmp_path_factory.mktemp("progress") / "atlas"
    work.mkdir()
    for name in ("measures.csv", "mkdocs.yml"):
        shutil.copy2(ROOT / name, work / name)
    for name in ("geodata", "docs"):
        shutil.copytree(ROOT / name, work / name)
    return work


def with_events(root: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    (root / TABLE).write_text(out.getvalue(), encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[int, int, str]]:
    try:
        gather(root, TODAY)
    except AtlasError as error:
        return [(p.line, p.column, p.code) for p in error.problems if p.file == TABLE]
    return []


def changed(**cells) -> list[str]:
    row = dict(zip(HEADER.split(","), GOOD, strict=True))
    when = parse_date(cells.get("date", ""))
    if "published" not in cells and when and when <= TODAY:
        row["published"] = cells["date"]  # a source of the day of the event
    row.update(cells)
    return list(row.values())


COLUMN = {name: index for index, name in enumerate(HEADER.split(","), start=1)}


@pytest.mark.parametrize(("cells", "column", "code"), [
    ({"target": "hsr-nowhere"}, "target", "dangling-ref"),
    ({"target": "hsr-jining-datong-yuanping;r99-99"}, "target", "dangling-ref"),
    ({"date": "2026-12-08"}, "date", "future-date"),
    ({"date": "2027-01"}, "date", "future-date"),
    ({"date": "2024-13-01"}, "date", "bad-date"),
    ({"date": "2024/12/31"}, "date", "bad-date"),
    ({"date": "2025-02-30"}, "date", "bad-date"),
    ({"recorded": "2024-12"}, "recorded", "bad-date"),
    ({"published": "2024-12-30"}, "published", "bad-date"),  # a source before its event
    ({"url": "javascript:alert(1)"}, "url", "bad-url"),
    ({"url": "data:text/html,<script>alert(1)</script>"}, "url", "bad-url"),
    ({"url": "www.news.cn/x.html"}, "url", "bad-url"),
    ({"url": 'https://example.cn/"onmouseover="x'}, "url", "bad-url"),
    ({"url": ""}, "url", "required"),
    ({"publisher": ""}, "publisher", "required"),
    ({"stage": "通车"}, "stage", "unknown-key"),
    ({"summary": "很" * 61}, "summary", "long-summary"),
])
def test_each_bad_event_is_refused_with_its_line_and_column(inputs_copy, cells, column, code):
    with_events(inputs_copy, [changed(**cells)])
    assert problems(inputs_copy) == [(2, COLUMN[column], code)]


def test_the_same_event_twice_is_refused_at_the_second(inputs_copy):
    again = changed(url="https://www.people.com.cn/y.html", publisher="人民网")
    with_events(inputs_copy, [GOOD, again])
    assert problems(inputs_copy) == [(3, COLUMN["date"], "duplicate-event")]


def test_an_earlier_stage_after_opening_needs_a_reason(inputs_copy):
    later = changed(date="2025-06", stage="开工", summary="二期工程开工")
    with_events(inputs_copy, [GOOD, later])
    assert problems(inputs_copy) == [(3, COLUMN["stage"], "stage-regression")]
    with_events(inputs_copy, [GOOD, changed(date="2025-06", stage="开工", summary="二期工程开工",
                                            reason="二期工程另行开工")])
    assert problems(inputs_copy) == []
    earlier = changed(date="2020-09-16", stage="开工", summary="全线开工")  # before the opening: no step back
    with_events(inputs_copy, [GOOD, earlier])
    assert problems(inputs_copy) == []


def test_the_latest_event_sets_the_stage_and_what_the_maps_draw(inputs_copy):
    started = changed(date="2020-09-16", stage="开工", summary="全线开工")
    with_events(inputs_copy, [started, GOOD])
    atlas = gather(inputs_copy, TODAY)
    jdy = atlas.features.loc["hsr-jining-datong-yuanping"]
    assert (jdy["stage"], jdy["stage_date"], jdy["phase"], jdy["stage_source"]) == \
        ("全线开通", "2024-12-31", "built", "progress")
    other = atlas.features.loc["hsr-hohhot-ordos"]  # no event: the documents' words, labelled as theirs
    assert (other["stage"], other["stage_source"], other["phase"]) == ("", "documents", "planned")
    with_events(inputs_copy, [started, GOOD, changed(date="2025-03", stage="暂缓", summary="部分班次停运")])
    paused = gather(inputs_copy, TODAY).features.loc["hsr-jining-datong-yuanping"]
    assert (paused["stage"], paused["phase"]) == ("暂缓", "built")  # a pause keeps the phase reached


def test_a_measure_deadline_state_never_reads_no_record_as_not_done(inputs_copy):
    with_events(inputs_copy, [GOOD])
    measures = gather(inputs_copy, TODAY).measures.set_index("id")
    assert measures.loc["bt24-04", "deadline_state"] == "unrecorded"  # 2024-12, nothing recorded on it
    assert measures.loc["bt24-02", "deadline_state"] == "open"  # 2026-12: not yet due
    done = changed(date="2025-03-01", target="bt24-04", stage="完成", summary="平台上线")
    with_events(inputs_copy, [GOOD, done])
    measures = gather(inputs_copy, TODAY).measures.set_index("id")
    assert (measures.loc["bt24-04", "deadline_state"], measures.loc["bt24-04", "done"]) == ("late", "2025-03-01")
    with_events(inputs_copy, [GOOD, changed(date="2024-11", target="bt24-04", stage="完成", summary="平台上线")])
    assert gather(inputs_copy, TODAY).measures.set_index("id").loc["bt24-04", "deadline_state"] == "on-time"
    from build_atlas.vocabulary.schema import DEADLINE_STATES

    unrecorded = next(s for s in DEADLINE_STATES if s.key == "unrecorded")
    assert "尚无完成记录" in unrecorded.zh and "未完成" not in unrecorded.zh


def test_real_events_cover_enough_projects_and_every_source_is_a_web_page():
    atlas = gather(ROOT, TODAY)
    events = atlas.progress.drop_duplicates("line")
    assert len(events) >= 25
    assert atlas.progress["target"].isin(atlas.features.index).sum() and \
        atlas.progress.loc[atlas.progress["target"].isin(atlas.features.index), "target"].nunique() >= 15
    assert events["url"].str.match(r"^https?://").all()
    for fid, stage, when in (("hsr-jining-datong-yuanping", "全线开通", "2024-12-31"),
                             ("hsr-baotou-yinchuan", "全线开通", "2025-12-23")):
        f = atlas.features.loc[fid]
        assert (f["stage"], f["stage_date"], f["phase"]) == (stage, when, "built")


# --- what readers see -------------------------------------------------------------------------------------------

@pytest.mark.site
def test_the_jdy_page_shows_its_opening_with_a_source_link(built_site):
    from lxml import html

    page = html.fromstring((built_site / "projects/hsr-jining-datong-yuanping.html").read_bytes())
    facts = page.xpath('//dl[contains(@class, "project-facts")]')[0].text_content()
    assert "全线开通（2024年12月31日）" in facts
    events = page.xpath('//li[@class="timeline__event"]')
    assert events and "2024年12月31日" in events[0].text_content() and "全线开通" in events[0].text_content()
    assert events[0].xpath('.//p[@class="timeline__source"]/a/@href')[0].startswith("http")
    dates = page.xpath('//ol[@class="timeline"]//time/@datetime')
    assert dates == sorted(dates, reverse=True)  # newest first
    assert page.xpath('//li[@class="timeline__document"]')  # the documents' words in the same timeline


@pytest.mark.site
def test_maps_draw_opened_lines_as_built_and_the_legend_explains_the_phases(built_site):
    import re

    city = (built_site / "maps/city-ulanqab.html").read_text(encoding="utf-8")
    city = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m[1], 16)), city).replace('\\"', '"')  # JSON strings
    assert 'data-phase="built"' in city and 'data-phase="construction"' in city
    for name in ("已建成", "在建", "规划"):
        assert name in city
    layers = "".join(p.read_text(encoding="utf-8") for p in (built_site / "maps").glob("features-rail-*.js"))
    jdy = re.search(r'\{[^{}]*"id":"hsr-jining-datong-yuanping"[^{}]*\}', layers)[0]
    assert '"phase":"built"' in jdy and "全线开通（2024年12月31日）" in jdy


@pytest.mark.site
def test_the_feed_is_atom_that_a_feed_reader_reads_entry_by_entry(built_site):
    parsed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) >= 25
    for entry in parsed.entries:
        assert entry.id and entry.title and entry.summary and entry.link and entry.updated_parsed
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)
    assert any("集宁至大同至原平高铁" in entry.title for entry in parsed.entries)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home and "feed.xml" in home
    assert "feed.xml" in (built_site / "changes.html").read_text(encoding="utf-8")


SIZES = {"phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True),
         "desktop": dict(viewport={"width": 1440, "height": 900})}


def local_only(route) -> None:
    url = route.request.url
    route.continue_() if url.startswith(("http://127.0.0.1", "data:", "blob:")) else route.abort()


# The page's layout shift so far (the sum Lighthouse's CLS counts, shifts after an input aside)
LAYOUT_SHIFT_JS = """() => new Promise(done => {
    let sum = 0;
    new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) sum += e.value; }))
        .observe({type: "layout-shift", buffered: true});
    setTimeout(() => done(sum), 200);
})"""


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_the_dashboard_charts_draw_with_no_script_error(site_url, browser, size):
    context = browser.new_context(**SIZES[size])
    tab = context.new_page()
    errors, loaded = [], []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("response", lambda response: loaded.append(len(response.body())) if response.ok else None)
    tab.route("**/*", local_only)
    try:
        tab.goto(site_url + "tracing.html", wait_until="networkidle")
        tab.locator("figure.atlas-chart--drawn canvas").nth(2).wait_for()
        canvases = tab.evaluate("""() => [...document.querySelectorAll('figure.atlas-chart canvas')].map(c => {
            const box = c.getBoundingClientRect(); return [box.width, box.height, document.documentElement.clientWidth];
        })""")
        wide = tab.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        shifted = tab.evaluate(LAYOUT_SHIFT_JS)
    finally:
        context.close()
    assert errors == []
    assert shifted < 0.01  # each chart's room is kept before it is drawn: the tables below it do not move
    assert len(canvases) == 3 and all(w > 200 and h > 100 and w <= page_width for w, h, page_width in canvases)
    assert not wide  # nothing makes the page scroll sideways
    assert sum(loaded) < 1_000_000  # first visit, uncompressed


@pytest.mark.browser
def test_the_dashboard_tables_show_without_javascript(site_url, browser):
    context = browser.new_context(java_script_enabled=False, **SIZES["phone"])
    tab = context.new_page()
    tab.route("**/*", local_only)
    try:
        tab.goto(site_url + "tracing.html", wait_until="load")
        tables = tab.locator("figure.atlas-chart table")
        shown = [tables.nth(i).is_visible() for i in range(tables.count())]
        rows = [tables.nth(i).locator("tbody tr").count() for i in range(tables.count())]
        captions = tab.locator("figure.atlas-chart figcaption").all_inner_texts()
        canvases = tab.locator("figure.atlas-chart canvas").count()
        rooms = tab.locator(".atlas-chart__drawing").evaluate_all("els => els.map(e => e.offsetHeight)")
    finally:
        context.close()
    assert shown == [True, True, True] and all(rows) and canvases == 0
    assert rooms == [0, 0, 0]  # no empty room kept for charts that cannot be drawn
    assert all(caption.endswith("。") for caption in captions)  # one sentence saying what each chart shows


@pytest.mark.browser
def test_the_dashboard_charts_draw_from_disk_with_no_network(built_site, browser):
    context = browser.new_context(**SIZES["phone"])
    tab = context.new_page()
    errors, outside = [], []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file://", "data:", "blob:"))
              else (outside.append(route.request.url), route.abort()))
    try:
        tab.goto((built_site / "tracing.html").as_uri(), wait_until="load")
        tab.locator("figure.atlas-chart--drawn canvas").nth(2).wait_for()
    finally:
        context.close()
    assert errors == [] and outside == []


@pytest.mark.browser
def test_the_legend_check_boxes_hide_every_project_of_their_phase(site_url, browser):
    from build_atlas.vocabulary.schema import KINDS

    colours = [kind.color for kind in KINDS]
    context = browser.new_context(**SIZES["phone"])
    tab = context.new_page()
    tab.route("**/*", local_only)
    visible = """(colours) => [...document.querySelectorAll('path.leaflet-interactive')].filter(p =>
        p.style.display !== 'none'
        && (colours.includes(p.getAttribute('stroke')) || colours.includes(p.getAttribute('fill')))).length"""
    try:
        tab.goto(site_url + "maps/city-baotou.html", wait_until="networkidle")
        before = tab.evaluate(visible, colours)
        tab.locator(".atlas-legend summary").tap()
        boxes = tab.locator(".atlas-legend input[data-phase]")
        for index in range(boxes.count()):
            boxes.nth(index).tap()
        after = tab.evaluate(visible, colours)
        boxes.nth(0).tap()
        built_only = tab.evaluate(visible, colours)
    finally:
        context.close()
    assert before > 20 and after == 0 and 0 < built_only < before  # multi-site projects' points included
