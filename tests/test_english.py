"""The English edition's document, tracing, changes, data and about pages, its frame (footer, 404, Open Graph), and the
Chinese pages they answer: English headings and words from the data's English and the vocabulary's `.en`, the Chinese
original marked as the authoritative text, the Chinese shown (marked) where the English is missing, and no English on
the Chinese pages of the same templates."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from build_atlas.inputs.model import gather
from build_atlas.inputs.rules import RULES
from build_atlas.outputs import dictionary, pages
from build_atlas.vocabulary import routes

from .conftest import BUILD_DATE, ROOT

DATE = BUILD_DATE.isoformat()
MINE = [routes.TRACING, routes.CHANGES, routes.DATA, *(routes.document(key) for key in
                                                       ("nzf-2023-23", "baotou-2024", "plan-2021", "hohhot-2019",
                                                        "nzf-2023-1"))]
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def atlas():
    return gather(ROOT, BUILD_DATE)


def render(atlas, lang: str, history: list | None = None) -> dict[str, str]:
    plan = pages.page_plan(atlas, today=BUILD_DATE, site_url="", downloads=dictionary.NO_DOWNLOADS,
                           history=history or [], lang=lang)
    return {routes.unlocalized(path): plan[path]() for path in plan if routes.unlocalized(path) in MINE}


@pytest.fixture(scope="module")
def english(atlas) -> dict[str, str]:
    return render(atlas, "en")


@pytest.fixture(scope="module")
def chinese(atlas) -> dict[str, str]:
    return render(atlas, "zh")


class Unmarked(HTMLParser):
    """The Chinese text of a page that no element marked lang="zh" holds (the page itself is in English)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.langs: list[str | None] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in self.VOID:
            self.langs.append(dict(attrs).get("lang") or (self.langs[-1] if self.langs else None))

    def handle_endtag(self, tag) -> None:
        if tag not in self.VOID and self.langs:
            self.langs.pop()

    def handle_data(self, data) -> None:
        if CJK.search(data) and (self.langs[-1] if self.langs else None) != "zh":
            self.found.append(data.strip())


def unmarked_chinese(text: str) -> list[str]:
    """Chinese outside lang="zh" in a page's Markdown (a heading marked `{: lang="zh" }` counts as marked; code
    spans hold file and field names)."""
    text = re.sub(r'^#+ .*\{: lang="zh" \}$', "", re.sub(r"`[^`]*`", "", text), flags=re.M)
    parser = Unmarked()
    parser.feed(text)
    return parser.found


# --- document pages --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["nzf-2023-23", "plan-2021", "hohhot-2019", "nzf-2023-1"])
def test_an_english_document_page_has_english_headings_and_the_chinese_original_marked_authoritative(english, atlas,
                                                                                                      key):
    page = english[routes.document(key)]
    d = atlas.documents.loc[key]
    assert page.startswith("---\ndescription: ")
    assert f"# {pages.md(d['short_en'])}\n" in page
    for label in ("Title", "Issued by", "Document number", "Date", "What it is", "Official copy", "Measures"):
        assert f"<tr><th>{label}</th>" in page, label
    assert str(escape(d["issuer_en"])) in page and str(escape(d["structure_en"])) in page
    assert "## The original text (Chinese) { #original }" in page
    assert "The Chinese original is the authoritative text" in page and "not official" in page
    assert unmarked_chinese(page.split("\n---\n", 1)[1]) == []  # the original's every word is marked Chinese


@pytest.mark.parametrize("key", ["nzf-2023-23", "baotou-2024", "plan-2021", "hohhot-2019", "nzf-2023-1"])
def test_each_clause_keeps_its_anchor_and_has_its_english_title_as_a_gloss(english, chinese, atlas, key):
    ids = re.findall(r'\bid="([a-z0-9.-]+)"', chinese[routes.document(key)])
    assert ids and re.findall(r'\bid="([a-z0-9.-]+)"', english[routes.document(key)]) == ids
    measures = atlas.measures[atlas.measures["doc"] == key]
    assert set(measures["id"]) <= set(ids)
    page = english[routes.document(key)]
    for m in measures.itertuples():
        if f'<div class="clause" id="{m.id}">' in page:  # the annex's items are rows of its table
            head = page.split(f'<div class="clause" id="{m.id}">', 1)[1].split("</p>", 1)[0]
            assert f'<strong lang="zh">{escape(m.title)}</strong> <span class="gloss">{escape(m.title_en)}</span>' \
                in head, m.id
        else:
            assert f'<tr id="{m.id}">' in page and f'title="{escape(m.title_en)}" lang="en"' in page, m.id


def test_the_chinese_document_page_shows_no_english_title(chinese, atlas):
    page = chinese[routes.document("nzf-2023-23")]
    assert atlas.documents.loc["nzf-2023-23", "title_en"] not in page
    assert 'class="en"' not in page and 'lang="en"' not in page


# --- the Chinese where the English is missing ---------------------------------------------------------------------

def test_a_measure_without_english_shows_its_chinese_title_marked_as_chinese_never_an_empty_element(atlas):
    bare = gather(ROOT, BUILD_DATE)
    row = bare.measures.index[bare.measures["id"] == "r23-05"][0]
    title = bare.measures.loc[row, "title"]
    bare.measures.loc[row, "title_en"] = ""
    bare.documents.loc["nzf-2023-23", ["short_en", "issuer_en"]] = ""
    made = render(bare, "en")
    document = made[routes.document("nzf-2023-23")]
    head = document.split('<div class="clause" id="r23-05">', 1)[1].split("</p>", 1)[0]
    assert f'<strong lang="zh">{title}</strong>' in head and "gloss" not in head
    assert "# 自治区若干举措（2023） {: lang=\"zh\" }" in document
    assert '<tr><th>Issued by</th><td><span lang="zh">内蒙古自治区人民政府</span>' in document
    tracing = made[routes.TRACING]
    assert f'<span lang="zh">{pages.md(title)}</span>](documents/nzf-2023-23.md#r23-05)' in tracing
    for page in made.values():
        assert not re.search(r"<(span|strong|td|a)\b[^>]*>\s*</\1>", page)
        assert not re.search(r"\b(None|nan|NaN)\b", page)


# --- tracing, changes, data ---------------------------------------------------------------------------------------

def test_tracing_in_english_names_cities_kinds_phases_and_quarters_by_the_vocabulary(english, chinese):
    page = english[routes.TRACING]
    for words in ("# Implementation tracking", "## Projects by city", "## Projects by kind", "## Deadlines",
                  "## Latest progress", "Hohhot</a></th>", "High-speed &amp; intercity rail", "Built / open",
                  "Under construction", "Planned", "Not yet due", "Q4 2024", "| Measure | Due | Progress |"):
        assert words in page, words
    assert unmarked_chinese(page) == []
    assert "../assets/atlas-charts.js" in page  # raw HTML: the shared files from en/ are one folder up
    assert "各市项目进展" in chinese[routes.TRACING] and "Projects by city" not in chinese[routes.TRACING]


def test_changes_in_english_summarise_each_day_and_show_staff_notes_in_chinese(atlas):
    history = [{"date": "2026-11-22", "preview": False, "summary": "新增举措 1 项；修改项目 1 项。",
                "notes": ["补充包头市工作方案的完成时限。"],
                "groups": [{"label": "新增举措", "verb": "新增", "table": "measures.csv",
                            "rows": [{"id": "r23-01", "name": "打造1小时铁路经济圈", "name_en": "", "targets": [],
                                      "doc": "nzf-2023-23", "clause": "（一）", "fields": [], "columns": [],
                                      "event": None}]},
                           {"label": "修改项目", "verb": "修改", "table": "geodata/features.csv",
                            "rows": [{"id": "hsr-baotou-yinchuan", "name": "包头至银川高铁", "name_en": "",
                                      "targets": [], "doc": "", "clause": "", "fields": ["名称"],
                                      "columns": ["name_zh"], "event": None}]}]}]
    page = render(atlas, "en", history)[routes.CHANGES]
    assert "## 22 November 2026 { #2026-11-22 }" in page
    assert "1 measure added; 1 project changed." in page
    assert '<p class="admonition-title">Note from the atlas\'s staff (in Chinese)</p>' \
           '<p lang="zh">补充包头市工作方案的完成时限。</p>' in page
    assert '<a href="documents/nzf-2023-23.html#r23-01">Regional measures (2023), item (1): Build a one-hour rail ' \
           'economic circle</a>' in page
    assert ">Baotou–Yinchuan high-speed railway</a>: changed the name</li>" in page
    assert unmarked_chinese(page) == []


def test_the_english_data_page_describes_every_download_in_english(english, chinese):
    page = english[routes.DATA]
    for words in ("# Data", "## All the data", "## The files", "## Terms of use", "## Data dictionary", "### Codes",
                  "## Validation rules", "**Measures**:", "Stable unique ASCII id, never reused.",
                  '| Cities (`cities`) | <code>hohhot</code> | Hohhot<br><span lang="zh">呼和浩特市</span> |',
                  '<code lang="zh">前期工作</code>',
                  "file must be UTF\\-8", "Administrative boundaries"):
        assert words in page, words
    assert unmarked_chinese(page) == []
    zh = chinese[routes.DATA]
    assert "file must be UTF" not in zh and 'class="en"' not in zh
    assert "| 城市（`cities`） | `hohhot` | 呼和浩特市 |" in zh


def test_every_rule_has_a_chinese_and_an_english_half():
    for code, text in RULES.items():
        zh, en = dictionary.rule_text(text), dictionary.rule_text(text, "en")
        assert CJK.search(zh) and en and not CJK.search(en), code


# --- the about page's provenance ------------------------------------------------------------------------------------

def test_the_provenance_section_speaks_the_about_pages_language():
    extra = {"publisher": "某某编制组", "contact": "atlas@example.org", "license": "CC BY 4.0",
             "license_url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
             "map_approval": "蒙S（2026）001号", "data_date": DATE}
    text = pages.render_provenance(extra, site_url="https://example.org/atlas/", lang="en")
    for words in ("## Publisher and contact", "## Terms of use {: #terms }", "## How to cite", "## About the maps",
                  "Article 5 of the Copyright Law", "(https://creativecommons.org/licenses/by/4.0/deed.en)",
                  '<span lang="zh">某某编制组</span>',
                  '**Map approval number**: <span lang="zh">蒙S（2026）001号</span>',
                  "https://example.org/atlas/."):
        assert words in text, words
    assert unmarked_chinese(text) == []
    assert "## 发布者与联系方式" in pages.render_provenance(extra, site_url="")


# --- the built site -------------------------------------------------------------------------------------------------

def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def visible(page: str) -> str:
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_english_pages_are_english_with_an_english_frame(built_site):
    for path in [routes.html(routes.localized(p, "en")) for p in [*MINE, routes.ABOUT]]:
        page = read(built_site, path)
        assert '<html lang="en"' in page, path
        assert '<meta property="og:locale" content="en_US">' in page, path
        footer = visible(re.search(r'<div class="md-copyright atlas-footer">.*?</div>', page, re.S).group(0))
        for words in ("Published by", f"Data as of {DATE}", "CC BY 4.0", "Terms of use and how to cite"):
            assert words in footer, (path, words)
        assert 'title="Hohhot–Baotou–Ordos–Ulanqab Integration Policy Atlas: progress and data updates (in Chinese)"' \
               in page, path
    about = read(built_site, "en/about.html")
    assert "<h1" in about and "About the atlas" in visible(about) and "Publisher and contact" in visible(about)


def test_the_chinese_pages_keep_a_chinese_frame(built_site):
    page = read(built_site, "documents/nzf-2023-23.html")
    assert '<meta property="og:locale" content="zh_CN">' in page and "实际进展与数据更新" in page
    assert "Published by" not in page and "Terms of use" not in visible(page)


def test_each_edition_has_its_404_page_and_the_shared_files_keep_the_chinese_name(built_site):
    zh, en = read(built_site, routes.not_found("zh")), read(built_site, routes.not_found("en"))
    assert '<html lang="zh">' in zh and "找不到这个页面" in zh and 'hreflang="en"' in zh
    assert '<html lang="en">' in en and "Page not found" in en and "找不到" not in en
    assert 'href="/en/about.html"' in en and 'href="/about.html"' in zh
    assert "<title>呼包鄂乌一体化政策图集：实际进展与数据更新</title>" in read(built_site, routes.FEED)
    assert json.loads(read(built_site, routes.table("datapackage.json")))["title"] == "呼包鄂乌一体化政策图集：数据"


def test_every_link_of_the_english_pages_reaches_a_file_and_its_anchor(built_site):
    broken = []
    for path in [routes.html(routes.localized(p, "en")) for p in [*MINE, routes.ABOUT]]:
        page = read(built_site, path)
        for url in re.findall(r'\b(?:href|src)="([^"#:]+)(?:#[^"]*)?"', page):
            if not (built_site / path).parent.joinpath(html.unescape(url)).resolve().exists():
                broken.append((path, url))
        for target, anchor in re.findall(r'\bhref="([^"#:]+\.html)#([^"]+)"', page):
            ids = re.findall(r'\bid="([^"]+)"', read(built_site, str(Path(path).parent / target)))
            if anchor not in ids:
                broken.append((path, f"{target}#{anchor}"))
    assert broken == []


def test_the_english_document_pages_link_measures_to_the_same_anchors(built_site):
    chinese_ids = set(re.findall(r'\bid="([a-z0-9.-]+)"', read(built_site, "documents/plan-2021.html")))
    english_ids = set(re.findall(r'\bid="([a-z0-9.-]+)"', read(built_site, "en/documents/plan-2021.html")))
    measure_ids = {m for m in gather(ROOT, date.fromisoformat(DATE)).measures.query("doc == 'plan-2021'")["id"]}
    assert measure_ids <= chinese_ids and measure_ids <= english_ids


ENGLISH_AXE_PAGES = [routes.html(routes.localized(p, "en")) for p in
                     (routes.document("plan-2021"), routes.document("hohhot-2019"), routes.document("nzf-2023-1"),
                      routes.TRACING, routes.CHANGES, routes.DATA, routes.ABOUT)]


@pytest.mark.browser
@pytest.mark.parametrize("path", ENGLISH_AXE_PAGES)
def test_the_english_pages_have_no_serious_or_critical_axe_violation(site_url, browser, path):
    from .conftest import RENDER_ALL_CSS
    from .test_browser import AXE, AXE_JS, AXE_THEME_EXCEPTIONS, SIZES

    context = browser.new_context(**SIZES["phone"])
    tab = context.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    try:
        tab.goto(site_url + path, wait_until="load")
        tab.add_style_tag(content=RENDER_ALL_CSS)
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(AXE_JS, AXE_THEME_EXCEPTIONS)
    finally:
        context.close()
    assert violations == []
