"""The two editions (issue 31): Chinese pages in Chinese only, English pages in English with the Chinese they quote
marked as Chinese, and each page's counterpart in the other edition one click away (the language switch).

They read the built site's HTML with lxml, not a browser: every page of both editions in a few seconds.
"""

from __future__ import annotations

import functools
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jinja2 import nodes
from lxml import html
from mkdocs.utils import yaml_load

from build_atlas.inputs.model import gather
from build_atlas.outputs import pages, words
from build_atlas.vocabulary import routes
from build_atlas.vocabulary.dataset import clause_en, date_words

ROOT = Path(__file__).resolve().parent.parent
NOT_PAGES = {"maps", "exports", "assets", "data", "search", "documents/assets"}  # files, not readers' pages
# Not read as text: code (the embed snippet, field names), and the language switch (中文 · English), which names
# each edition in its own language
UNREAD = "//script | //style | //svg | //noscript | //template | //code | //pre | //kbd | //samp"
SWITCH = "//*[contains(concat(' ', @class, ' '), ' md-select ')] | //a[@hreflang and @lang]"  # the 404 page's link
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")  # what screen readers and tooltips say
# Latin words a Chinese page may show besides the data's: names of the file formats, encodings, coordinate systems,
# licences, data sources and programs the atlas offers or names, and the unit of a print's resolution
NAMES = {"PNG", "SVG", "HTML", "CSV", "XLSX", "Excel", "WPS", "PDF", "GeoJSON", "JSON", "ZIP", "Atom", "UTF", "GBK",
         "ASCII", "WGS", "GCJ", "MIT", "ODbL", "OpenStreetMap", "GeoNames", "AMap", "cnmaps", "dpi",
         # the data and about pages: a program, an operating system, a GIS, the package index, a standard, file sizes,
         # the boundaries' copyright holder and GB/T 7714's type code of an online database ([DB/OL])
         "Word", "Windows", "QGIS", "PyPI", "RFC", "KB", "MB", "Clarmy", "DB", "OL"}
# The pages by template, each group a test of its own
GROUPS = ("index.html", "cities/", "counties/", "themes/", "projects/index.html", "projects/", "documents/",
          "tracing.html", "changes.html", "data.html", "about.html", "404.html")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
LATIN = re.compile(r"[A-Za-z]+")


def reader_pages(site: Path, lang: str) -> list[Path]:
    """The pages of edition `lang` (not the maps, images, data files or search index)."""
    top = site / routes.edition(lang)
    found = []
    for path in sorted(top.rglob("*.html")):
        relative = path.relative_to(top).as_posix()
        if lang == routes.DEFAULT_LANGUAGE and relative.startswith(tuple(f"{e}/" for e in routes.LANGUAGES[1:])):
            continue
        if not any(relative.startswith(folder + "/") for folder in NOT_PAGES):
            found.append(path)
    return found


def parse(path: Path):
    return html.parse(str(path), parser=html.HTMLParser(encoding="utf-8")).getroot()


def readable(path: Path):
    """The page as a reader meets it: without scripts, styles, code and the language switch."""
    doc = parse(path)
    for element in doc.xpath(f"{UNREAD} | {SWITCH}"):
        element.drop_tree()
    return doc


def shown_text(doc) -> str:
    """The words a reader sees or hears: the title, the body's text and the attributes read aloud."""
    attributes = [value for name in READ_ATTRIBUTES for value in doc.xpath(f"//body//@{name}")]
    return " ".join([*doc.xpath("//head/title//text()"), *doc.xpath("//body//text()"), *attributes])


@functools.cache
def data_words() -> frozenset[str]:
    """The Latin words the atlas's Chinese data prints, names and codes as the sources write them: a road's G110, a
    5A scenic area, a plant's 25GW, 工业APP, IPv6; and the provenance mkdocs.yml sets (publisher, contact, licence)."""
    atlas = gather(ROOT)
    m, d = atlas.measures, atlas.documents
    texts = [*m["title"], *m["text"], *m["section"].fillna(""), *m["clause"], *(u for us in m["units"] for u in us),
             *atlas.features["name_zh"], *atlas.places["name_zh"], *atlas.by_county.counties["name_zh"],
             *atlas.by_county.counties["seat_zh"], *d["title"], *d["short"], *d["issuer"], *d["number"],
             *d["date_note"].fillna(""), *atlas.texts.values(),
             *atlas.progress["summary"], *atlas.progress["title"], *atlas.progress["publisher"]]
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    atlas_options = next(p["atlas"] for p in config["plugins"] if isinstance(p, dict) and "atlas" in p)
    texts += [str(atlas_options.get(key) or "") for key in ("publisher", "contact", "license")]
    texts += [urlsplit(url).hostname or "" for url in atlas.progress["url"]]  # a source's web site, named on a page
    return frozenset(word for text in texts for word in LATIN.findall(str(text)))


def english_words_on(path: Path) -> set[str]:
    """The Latin words on a Chinese page that are neither the data's nor NAMES."""
    return set(LATIN.findall(shown_text(readable(path)))) - data_words() - NAMES


def group_of(page: str) -> str:
    return next((group for group in GROUPS if page == group or group.endswith("/") and page.startswith(group)),
                "other")


# --- Chinese pages: Chinese only ------------------------------------------------------------------------------

@pytest.mark.parametrize("group", [*GROUPS, "other"])
def test_chinese_pages_show_no_english_beyond_names(built_site, group):
    """Every Chinese page of the built site: a Latin word in what it shows is a name the data prints (G110, 5A, a
    source's web site), a name of NAMES (PNG) or the licence's; the language switch's "English" and code are not
    counted."""
    pages = [path for path in reader_pages(built_site, "zh")
             if group_of(path.relative_to(built_site).as_posix()) == group]
    assert pages or group == "other"
    found = {str(path.relative_to(built_site)): sorted(words) for path in pages if (words := english_words_on(path))}
    assert found == {}


def test_the_latin_word_check_finds_english_and_passes_names(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html lang="zh"><head><title>呼和浩特市</title></head><body><h1>呼和浩特市 Hohhot</h1>'
                    '<p>G110毕克齐至协力气 · PNG（300 dpi）</p><code>&lt;iframe src="x"&gt;</code>'
                    '<div class="md-select"><a hreflang="en">English</a></div>'
                    '<img alt="Map of Hohhot" src="x.png"></body></html>', encoding="utf-8")
    assert english_words_on(page) == {"Hohhot", "Map", "of"}


# --- English pages: English, with the Chinese marked -------------------------------------------------------------

def unmarked_chinese(path: Path) -> list[str]:
    """Chinese text in the page's main content outside any element marked lang="zh"."""
    doc = readable(path)
    found = []
    for node in doc.xpath("//*[contains(concat(' ', @class, ' '), ' md-content ')]//text()"):
        if not CJK.search(node):
            continue
        parent = node.getparent()
        owner = parent if not node.is_tail else parent.getparent()
        language = next(iter(owner.xpath("ancestor-or-self::*[@lang][1]/@lang")), "") if owner is not None else ""
        if not language.startswith("zh"):
            found.append(node.strip()[:40])
    return found


@pytest.mark.parametrize("group", [*GROUPS, "other"])
def test_english_pages_are_in_english_and_mark_every_chinese_word(built_site, group):
    pages = [path for path in reader_pages(built_site, "en")
             if group_of(path.relative_to(built_site / "en").as_posix()) == group]
    assert pages or group == "other"
    for path in pages:
        assert parse(path).get("lang") == "en", path
    found = {str(path.relative_to(built_site)): words[:5] for path in pages if (words := unmarked_chinese(path))}
    assert found == {}


def test_the_chinese_check_finds_unmarked_chinese_and_passes_marked(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html lang="en"><body><div class="md-content"><h1>Hohhot</h1><p>Source: 自治区若干举措</p>'
                    '<p><span lang="zh">打造1小时铁路经济圈</span> and <b lang="zh-Hans">包头</b></p>'
                    '<div class="md-select"><a hreflang="zh">中文</a></div></div></body></html>', encoding="utf-8")
    assert unmarked_chinese(page) == ["Source: 自治区若干举措"]


@pytest.mark.parametrize("page", ["en/cities/hohhot.html", "en/themes/transport.html",
                                  "en/counties/tumed-left-banner.html"])
def test_english_cards_head_with_the_gloss_and_keep_the_chinese_text_authoritative(built_site, page):
    doc = parse(built_site / page)
    cards = doc.xpath("//div[contains(concat(' ', @class, ' '), ' measure ')]")
    assert cards
    assert len(doc.xpath("//p[@class='gloss-note']")) == 1  # said once per page
    for card in cards:
        strong = card.xpath(".//p[@class='measure-title']/strong")[0]
        heading = strong.text_content().strip()
        assert heading and (not CJK.search(heading) or strong.xpath("./span[@lang='zh']"))  # a title_en, or the Chinese
        text = card.xpath(".//p[@class='measure-text']")[0]  # its label is the stylesheet's (see the browser test)
        quoted = " ".join(text.xpath("./span[@lang='zh']//text()"))
        assert CJK.search(quoted) and text.text_content() == quoted


def test_an_english_card_cites_its_clause_and_dates_in_english(built_site):
    doc = parse(built_site / "en/cities/baotou.html")
    for quoted in doc.xpath("//p[@class='measure-meta']//*[@lang='zh']"):  # units, quotes: Chinese as printed
        quoted.drop_tree()
    metas = [" ".join(meta.text_content().split()) for meta in doc.xpath("//p[@class='measure-meta']")]
    assert any("Source: Baotou work plan (2024), item (1)" in meta for meta in metas)
    assert any(re.search(r"Deadline: (January|February|March|April|May|June|July|August|September|October|November"
                         r"|December) 20\d\d", meta) for meta in metas)
    assert not any(re.search(r"\d年", meta) for meta in metas)


def test_english_dates_and_clause_numbers():
    assert [date_words(value, "en") for value in ("2025", "2024-10", "2024-12-31")] == [
        "2025", "October 2024", "31 December 2024"]
    assert [clause_en(c) for c in ("第六章第一节", "第二章", "（十三）", "(二十一)", "附件 31", "29.", "其他")] == [
        "chapter 6, section 1", "chapter 2", "item (13)", "item (21)", "annex item 31", "item 29", "其他"]


def test_every_phrase_of_the_shared_macros_has_its_english():
    env = pages.environment()
    source = env.loader.get_source(env, "macros.md.j2")[0]
    calls = [call for call in env.parse(source).find_all(nodes.Call)
             if isinstance(call.node, nodes.Name) and call.node.name == "_"]
    phrases = {const.value for call in calls for const in [call.args[0], *call.args[0].find_all(nodes.Const)]
               if isinstance(const, nodes.Const) and isinstance(const.value, str)}
    assert len(phrases) > 30
    assert sorted(phrases - set(words.ENGLISH)) == []


# --- each page's counterpart, one click away ---------------------------------------------------------------

def switch_targets(path: Path, site: Path) -> dict[str, str]:
    """The language switch's links on a page: {language: the page they land on, relative to the site}."""
    doc = parse(path)
    folder = posixpath.dirname(path.relative_to(site).as_posix())
    return {link.get("hreflang"): posixpath.normpath(posixpath.join(folder, link.get("href")))
            for link in doc.xpath("//a[contains(concat(' ', @class, ' '), ' md-select__link ')]")}


def test_every_page_has_its_counterpart_and_the_switch_lands_on_it(built_site):
    wrong = []
    for lang in routes.LANGUAGES:
        for path in reader_pages(built_site, lang):
            page = path.relative_to(built_site / routes.edition(lang)).as_posix()
            if page == "404.html":  # stands alone, without the theme (and its switch): served for any address
                continue
            expected = {other: routes.edition(other) + page for other in routes.LANGUAGES}
            if not all((built_site / target).is_file() for target in expected.values()):
                wrong.append((lang, page, "no counterpart"))
            elif switch_targets(path, built_site) != expected:
                wrong.append((lang, page, switch_targets(path, built_site)))
    assert wrong == []


# --- the scripts speak the page's language -------------------------------------------------------------------

@pytest.mark.browser
def test_english_filters_and_folding_speak_english(page, site_url):
    page.goto(site_url + "en/cities/hohhot.html")
    # each card's Chinese text is labelled as the authoritative one, in English; a Chinese card has no label
    label = "getComputedStyle(document.querySelector('.measure-text'), '::before').content"
    assert page.evaluate(label) == '"Original text (Chinese, authoritative): "'
    total = page.evaluate("document.querySelectorAll('.measure').length")
    assert page.inner_text(".measure-filters output") == f"{total} measures"
    assert page.inner_text(".measure-group__toggle >> nth=0") == "Expand"  # a long list starts folded
    transport = page.evaluate("document.querySelectorAll('.measure[data-theme*=\"transport\"]').length")
    page.select_option("select[name=theme]", "transport")
    assert page.inner_text(".measure-filters output") == f"Showing {transport} of {total} measures"
    assert re.fullmatch(r"\d+ of \d+", page.inner_text(".measure-group .group-count >> nth=0"))
    page.fill("input[name=unit]", "交通")  # units keep their Chinese names: an English card's are read too
    assert 0 < page.evaluate("document.querySelectorAll('.measure:not([hidden])').length") < transport
    # the project table's county filter reads the English names its cells print
    page.select_option("form.table-filter select[name=county]", "Tumed Left Banner")
    rows = page.evaluate("[...document.querySelectorAll('.row-blocks tbody tr:not([hidden]) [data-county]')]"
                         ".map(cell => cell.textContent)")
    assert rows and all("Tumed Left Banner" in cell.split(", ") for cell in rows)
    assert re.fullmatch(rf"Showing {len(rows)} of \d+ projects", page.inner_text("form.table-filter output"))
    page.goto(site_url + "cities/hohhot.html")
    assert page.evaluate(label) == "none"  # the Chinese edition's cards need no label
