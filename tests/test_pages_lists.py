"""Lists a reader can use and project pages in readers' words (issue 12, parts 3–5).

Each theme and city page lists each measure once and says how many; the filters narrow a city page in Chromium
and the page is whole without JavaScript; a card shows an implementation status only when one is recorded; a
project page says in Chinese how it is drawn, 点 or 线 as drawn, and what each document said about it, latest
first, a passing mention setting no status; on a phone no table runs off the screen without a scroll container.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from build_atlas.vocabulary.schema import CITIES, THEMES

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LATIN_RUN = re.compile(r"[A-Za-z]{2,}[\s,.:;'()-]+[A-Za-z]{2,}")  # two Latin words in a row: an English note


class Cards(HTMLParser):
    """The measure cards of a page (their ids) and the text of elements with a given class."""

    def __init__(self, text_class: str = "") -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text_class, self.depth, self.text = text_class, 0, []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "measure" in classes:
            self.ids.append(attrs.get("id", ""))
        if self.depth:
            self.depth += 1
        elif self.text_class and self.text_class in classes:
            self.depth = 1
            self.text.append("")

    def handle_endtag(self, tag) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data) -> None:
        if self.depth:
            self.text[-1] += data


def parse(path: Path, text_class: str = "") -> Cards:
    parser = Cards(text_class)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def hohhot_measures() -> int:
    """How many measures concern Hohhot (measures.csv's cities column): its page lists each once."""
    with open(ROOT / "measures.csv", encoding="utf-8-sig", newline="") as handle:
        return sum("hohhot" in row["cities"].split(";") for row in csv.DictReader(handle))


def features() -> list[dict]:
    with open(ROOT / "geodata/features.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- each measure once, counts that match ------------------------------------------------------------------------

@pytest.mark.parametrize("theme", [t.key for t in THEMES])
def test_theme_page_states_the_count_of_its_cards_and_no_card_repeats(built_site: Path, theme: str) -> None:
    page = built_site / f"themes/{theme}.html"
    stated = int(re.search(r"本主题共 <strong>(\d+) 项举措</strong>", page.read_text(encoding="utf-8")).group(1))
    cards = parse(page).ids
    assert len(cards) == stated
    assert [i for i, n in Counter(cards).items() if n > 1] == []


@pytest.mark.parametrize("city", [c.key for c in CITIES])
def test_city_page_states_the_count_of_its_cards_and_no_card_repeats(built_site: Path, city: str) -> None:
    page = built_site / f"cities/{city}.html"
    stated = int(re.search(r"共涉及 <strong>(\d+) 项举措</strong>", page.read_text(encoding="utf-8")).group(1))
    cards = parse(page).ids
    assert len(cards) == stated and len(set(cards)) == stated


def test_a_measure_of_several_cities_carries_city_tags_on_a_theme_page(built_site: Path) -> None:
    html = (built_site / "themes/energy.html").read_text(encoding="utf-8")
    card = html[html.index('id="m-r23-16"'):]
    card = card[:card.index("measure-text")]
    assert re.findall(r'class="city-tag"[^>]*>([^<]+)<', card) == ["呼和浩特", "包头", "鄂尔多斯"]


# --- status only when recorded ------------------------------------------------------------------------------------

def test_no_card_says_its_status_is_unrecorded(built_site: Path) -> None:
    for page in [*(built_site / "cities").glob("*.html"), *(built_site / "themes").glob("*.html")]:
        assert "落实状态：未记录" not in page.read_text(encoding="utf-8"), page.name


def test_a_recorded_status_shows_on_its_card() -> None:
    from build_atlas.inputs.model import gather
    from build_atlas.outputs.dictionary import NO_DOWNLOADS
    from build_atlas.outputs.pages import render_pages
    from build_atlas.vocabulary.schema import MEASURE_STATUSES

    def rendered(statuses: dict[str, str]) -> dict[str, str]:
        atlas = gather(ROOT)  # a fresh one each time: pages keep what they derive from an atlas (Atlas.derived)
        atlas.measures["status"] = atlas.measures["id"].map(lambda mid: statuses.get(mid, ""))
        return render_pages(atlas, today=date(2026, 11, 22), site_url="", downloads=NO_DOWNLOADS, history=[])

    assert "落实状态：" not in rendered({})["themes/energy.md"]
    done = MEASURE_STATUSES[0]
    pages = rendered({"r23-16": done.key})
    card = pages["themes/energy.md"].split('id="m-r23-16"')[1].split("</div>")[0]
    assert f"落实状态：{done.zh}" in card
    assert pages["themes/energy.md"].count("落实状态：") == 1


# --- project pages in readers' words -----------------------------------------------------------------------------

def test_every_project_page_says_in_chinese_how_it_is_drawn(built_site: Path) -> None:
    for f in features():
        page = built_site / f"projects/{f['id']}.html"
        notes = parse(page, "drawing-note").text
        assert len(notes) == 1 and notes[0].startswith("绘制方式"), f["id"]
        assert not LATIN_RUN.search(notes[0]), (f["id"], notes[0])
        html = page.read_text(encoding="utf-8")
        assert "绘制说明（英文）" not in html
        if f["note"]:
            assert f["note"][:40] not in html, f["id"]  # the maintainers' note stays in the data


def test_geometry_says_point_or_line_as_drawn(built_site: Path) -> None:
    expected = {"point": "点（示意）", "line": "线（示意）", "unlocated": "未上图（位置未核实）"}
    sites = Counter(row["feature"] for row in csv.DictReader(open(ROOT / "geodata/waypoints.csv")))
    for f in features():
        html = (built_site / f"projects/{f['id']}.html").read_text(encoding="utf-8")
        label = f"点（{sites[f['id']]} 处，示意）" if f["geometry"] == "points" else expected[f["geometry"]]
        assert f"<dt>几何</dt><dd>{label}</dd>" in html, f["id"]


def test_drawing_notes_name_the_waypoints_and_the_county_seat_source() -> None:
    from build_atlas.inputs.model import gather
    from build_atlas.outputs.projects import drawing_note

    atlas = gather(ROOT)
    assert drawing_note(atlas, "hsr-hohhot-baotou") == "线位为示意：按呼和浩特、包头依次连线绘制，不是实测走向。"
    assert "托克托县政府驻地双河镇" in drawing_note(atlas, "industry-jiutai-meg")  # gazetteer source county-seat
    assert drawing_note(atlas, "park-baorihua") == "位置未核实，暂不上图。"
    assert "是文件未点名、为使线路贴近实际通道而补充的途经点" in drawing_note(atlas, "hsr-baotou-yinchuan")


def test_project_statements_are_dated_latest_first(built_site: Path) -> None:
    html = (built_site / "projects/hsr-beijing-hohhot.html").read_text(encoding="utf-8")
    facts = re.search(r"<dt>文件表述</dt><dd>(\d{4})年文件：", html)
    said = [int(y) for y in re.findall(r"<li><strong>(\d{4})年文件：", html)]
    assert said and said == sorted(said, reverse=True) and int(facts.group(1)) == said[0]


def test_a_passing_mention_sets_no_status() -> None:
    """statements.csv `relation`: `mention` rows are listed as 仅提及 and never set the status; no column = about."""
    from build_atlas.inputs.model import gather, latest_status
    from build_atlas.outputs.pages import project_context

    atlas = gather(ROOT)
    s = atlas.statements
    s["relation"] = "about"
    before = project_context(atlas, "airport-hohhot-new")
    assert before["f"]["status_zh"] == "2023年文件：前期工作"  # from r23-01, a clause about the rail link to it
    s.loc[(s["feature"] == "airport-hohhot-new") & (s["measure"] == "r23-01"), "relation"] = "mention"
    after = project_context(atlas, "airport-hohhot-new")
    assert after["f"]["status_zh"].startswith("2023年文件：实施建设")
    assert [r["about"] for r in after["statements"] if r["measure"] == "r23-01"] == [False]
    assert latest_status(s)["status"]["airport-hohhot-new"] == "construction"


# --- in the browser -----------------------------------------------------------------------------------------------

def visible_cards(page) -> int:
    return page.evaluate("[...document.querySelectorAll('.measure')].filter(c => c.offsetParent !== null).length")


@pytest.mark.browser
def test_filters_narrow_a_city_page(page, site_url: str) -> None:
    page.goto(site_url + "cities/hohhot.html")
    total = page.evaluate("document.querySelectorAll('.measure').length")
    transport = page.evaluate("document.querySelectorAll('.measure[data-theme*=\"transport\"]').length")
    page.select_option("select[name=theme]", "transport")
    assert visible_cards(page) == transport < total
    assert page.inner_text(".measure-filters output") == f"显示 {transport} 项，共 {total} 项举措"
    page.fill("input[name=unit]", "交通")
    narrowed = visible_cards(page)
    assert 0 < narrowed < transport
    assert "unit=" in page.url and "theme=transport" in page.url  # the choice can be shared
    page.click(".measure-filters button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.measure:not([hidden])').length === {total}")
    page.goto(site_url + "cities/hohhot.html?doc=nzf-2023-1")  # a shared address opens filtered
    assert visible_cards(page) == page.evaluate("document.querySelectorAll('.measure[data-doc=\"nzf-2023-1\"]').length")


@pytest.mark.browser
def test_a_long_list_starts_folded_and_prints_whole(page, site_url: str) -> None:
    page.goto(site_url + "cities/hohhot.html")
    assert visible_cards(page) == 0  # folded under headings that say how many each holds
    page.click(".measure-group__toggle >> nth=0")
    assert visible_cards(page) > 0
    page.emulate_media(media="print")
    assert visible_cards(page) == hohhot_measures()
    page.emulate_media(media="screen")
    last = page.evaluate("[...document.querySelectorAll('.measure')].pop().id")
    page.goto(site_url + f"cities/hohhot.html#{last}")  # a link to one card opens its group
    assert page.is_visible(f"#{last}")


@pytest.mark.browser
def test_without_javascript_every_card_shows_and_no_form(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "cities/hohhot.html")
    assert visible_cards(page) == hohhot_measures()
    assert not page.is_visible("form.measure-filters")
    context.close()


TABLE_PAGES = ["projects/index.html", "projects/hsr-baotou-yinchuan.html", "projects/airport-hohhot-new.html",
               "tracing.html", "data.html", "cities/hohhot.html", "index.html", "changes.html"]


@pytest.mark.browser
@pytest.mark.parametrize("path", TABLE_PAGES)
def test_no_table_overflows_a_phone_without_a_scroll_container(browser, site_url: str, path: str) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site_url + path)
    loose = page.evaluate("""() => [...document.querySelectorAll('article table')].filter(table => {
        if (table.getBoundingClientRect().right <= window.innerWidth + 1) return false;
        for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
          const scrolls = ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
          if (scrolls) return box.getBoundingClientRect().right > window.innerWidth + 1;
        }
        return true;
    }).map(table => table.innerText.slice(0, 40))""")
    context.close()
    assert loose == []


@pytest.mark.browser
def test_the_original_words_are_on_screen_on_a_phone(browser, site_url: str) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(site_url + "projects/hsr-baotou-yinchuan.html")
    cell = page.locator(".stack-table td:nth-child(5)").first
    box = cell.bounding_box()
    context.close()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
