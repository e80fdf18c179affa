"""Search as a reader uses it: the words people type find the measure or project they mean, in the top three, served
on 127.0.0.1 and opened from disk; results carry clean text; aliases.csv is validated like every table."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from build_atlas.errors import AtlasError
from build_atlas.inputs.model import gather

# (query, pattern of a result that must be among the first three shown, what kind of query it is)
# A result is a page (an article) or a measure/section under it; paths are relative to the site, with #anchor.
QUERIES = [
    ("马铃薯", r"documents/plan-2021\.html#pl21-(0401-01|0501-04|0502-05)",
     "phrase: the measure itself, not only its document"),
    ("协同发展", r"documents/[a-z0-9-]+\.html#(r23-15|bt24-15|pl21-0502-01)", "phrase: a measure titled with it"),
    ("呼包鄂协同发展", r"documents/hohhot-2019\.html(#hh19-\d+)?", "simplified query, traditional 2019 document"),
    ("馬鈴薯", r"documents/plan-2021\.html#pl21-(0401-01|0501-04|0502-05)", "traditional query, simplified text"),
    ("協同發展", r"documents/[a-z0-9-]+\.html#(hh19-(22|34|46)|r23-15|bt24-15|pl21-0502-01)", "traditional query"),
    ("首都机场", r"documents/hohhot-2019\.html#hh19-09", "simplified query finds 首都機場"),
    ("市交通运输局", r"documents/(baotou-2024\.html#bt24-02|hohhot-2019\.html#hh19-1[01])", "responsible unit"),
    ("呼和浩特新机场", r"projects/airport-hohhot-new\.html", "project: the airport above roads to it"),
    ("高铁", r"projects/hsr-[a-z0-9-]+\.html", "project kind"),
    ("口岸", r"projects/(logistics-mandula-port|road-ganqimaodu-link|road-mandula-link)\.html", "project kind"),
    ("中欧班列", r"projects/logistics-ulanqab-cr-express-hub\.html", "project"),
    ("稀土", r"projects/industry-baotou-rare-earth-zone\.html", "project"),
    ("大青山", r"projects/eco-daqingshan\.html", "place / project"),
    ("黄河", r"projects/park-(yellow-river-ncp|jiziwan-national-park)\.html", "place"),
    ("养老", r"documents/plan-2021\.html#pl21-0803-03", "phrase in a measure title"),
    ("鄂尔多斯", r"cities/ordos\.html", "city"),
    ("2025年", r"documents/plan-2021\.html#pl21-0204-2025", "year with 年"),
    ("2025年底", r"documents/plan-2021\.html#pl21-0204-2025", "year with 年底"),
    ("2024年底", r"documents/[a-z0-9-]+\.html#[a-z0-9-]+", "deadline 2024-12"),
    ("包银高铁", r"projects/hsr-baotou-yinchuan\.html", "abbreviation"),
    ("呼包高铁", r"projects/hsr-hohhot-baotou\.html", "abbreviation"),
    ("呼鄂城际", r"projects/hsr-hohhot-ordos\.html", "abbreviation"),
    ("集大原高铁", r"projects/hsr-jining-datong-yuanping\.html", "abbreviation"),
    ("张呼高铁", r"projects/hsr-beijing-hohhot\.html", "abbreviation"),
    ("综保区", r"projects/logistics-(hohhot|ordos)-ftz\.html", "abbreviation"),
    ("盛乐机场", r"projects/airport-hohhot-new\.html", "short name"),
    ("呼市", r"cities/hohhot\.html", "place abbreviation"),
    ("土左旗", r"counties/tumed-left-banner\.html", "county abbreviation: its county's page"),
    ("伊旗", r"counties/ejin-horo-banner\.html", "county abbreviation: its county's page"),
    ("准旗", r"counties/jungar-banner\.html", "county abbreviation: its county's page"),
    ("察右前旗", r"counties/chahar-right-front-banner\.html", "county abbreviation: its county's page"),
    ("达拉特旗", r"counties/dalad-banner\.html", "county name: its page"),
    ("和林", r"(projects/industry-horinger-[a-z-]+\.html|documents/nzf-2023-23\.html#r23-17)", "county short name"),
    ("Baotou-Yinchuan", r"projects/hsr-baotou-yinchuan\.html", "English project name"),
    ("Mandula port", r"projects/logistics-mandula-port\.html", "English project name"),
    ("呼市新机场", r"projects/airport-hohhot-new\.html", "abbreviation: a city's and a project's short names"),
    ("乌大张合作区", r"projects/zone-wu-da-zhang\.html", "abbreviation"),
    ("乌兰察布 大数据", r"projects/industry-(north-bigdata-base|data-processing-bases|jining-bigdata-park)\.html",
     "several words: the Ulanqab data centres, not 乌大张 (大) or the city page"),
    ("黄河 生态",
     r"projects/tourism-jiziwan-belt\.html|documents/(plan-2021\.html#pl21-0700-01|nzf-2023-23\.html#r23-13)",
     "several words"),
    ("已到期", r"documents/[a-z0-9-]+\.html#[a-z0-9-]+", "a card's deadline state: the measures due"),
    ("关于本图集", r"about\.html", "the about page by its name"),
]
OPEN_SEARCH = """async (query) => {
  const box = document.querySelector('input.md-search__input');
  box.focus();
  box.value = query;
  box.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true}));
}"""
RESULTS_READY = """(query) => {
  const meta = document.querySelector('.md-search-result__meta');
  const list = document.querySelector('.md-search-result__list');
  return document.querySelector('input.md-search__input').value === query
    && (list.children.length > 0 || /没有|No matching/.test(meta.textContent));
}"""
SHOWN = """() => [...document.querySelectorAll('.md-search-result__item')].flatMap(item =>
  [...item.querySelectorAll(':scope > a.md-search-result__link')].map(a => ({
    href: a.href, title: (a.querySelector('h1, h2') || a).textContent.trim(), text: a.textContent})))"""


# the plan's three measures that name 马铃薯 (potatoes): search must reach a measure itself, not only its document
POTATO_MEASURES = {f"documents/plan-2021.html#pl21-{m}" for m in ("0401-01", "0501-04", "0502-05")}


def run_query(page, root_url: str, query: str, start: str | None = "about.html") -> list[dict]:
    """The results shown for a query typed into the header box, in order (articles and their visible sections),
    each with its path relative to the site root (with #anchor, without Material's ?h=); `start`: the page to open
    first (None: the page as it is)."""
    if start is not None:
        page.goto(root_url + start, wait_until="load")
    page.evaluate(OPEN_SEARCH, query)
    page.wait_for_function(RESULTS_READY, arg=query)
    page.wait_for_timeout(150)  # let the last keyup's results land
    shown = page.evaluate(SHOWN)
    for result in shown:
        parts = urlsplit(result["href"])
        path = parts._replace(query="", fragment="").geturl().removeprefix(root_url)
        result["path"] = path + (f"#{parts.fragment}" if parts.fragment else "")
    return shown


CLEARED = "() => document.querySelector('.md-search-result__list').children.length === 0"


@contextmanager
def box_on(browser, site_url: str, start: str, root: str = ""):
    """One page (`start`) with the search open for every query asked of it: the index is loaded once (a page a query
    spent most of its second loading it). Requests outside 127.0.0.1 are blocked. Paths are relative to
    site_url + `root` (an edition's top)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    tab.goto(site_url + start, wait_until="load")

    def ask(query: str) -> list[dict]:
        tab.evaluate(OPEN_SEARCH, "")  # the last query's results go first, so that none is taken for this one's
        tab.wait_for_function(CLEARED)
        return run_query(tab, site_url + root, query, start=None)

    ask.page = tab
    try:
        yield ask
    finally:
        context.close()


@pytest.fixture(scope="module")
def search_box(browser, site_url):
    with box_on(browser, site_url, "about.html") as ask:
        yield ask


def top_paths(shown: list[dict], n: int = 3) -> list[str]:
    return list(dict.fromkeys(r["path"] for r in shown))[:n]


# What a result shows of itself: its title and text, without the words of the query it lacks (the reader's own).
SHOWN_OF_ITSELF = """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
  .map(a => {
  const copy = a.cloneNode(true);
  copy.querySelectorAll('.md-search-result__terms').forEach(terms => terms.remove());
  return copy.textContent;})"""


@pytest.fixture(scope="module")
def english_names(built_site) -> list[str]:
    """The data's English names and titles, and the vocabulary's English labels, that a Chinese page must not show."""
    from build_atlas.inputs.model import gather as gather_atlas
    from build_atlas.vocabulary.schema import CITIES, KINDS, THEMES

    atlas = gather_atlas(built_site.parent)
    names = [*atlas.features["name_en"], *atlas.by_county.counties["name_en"], *atlas.measures["title_en"],
             *atlas.documents["short_en"], *(term.en for term in (*CITIES, *THEMES, *KINDS))]
    return sorted({name for name in names if name.strip()})


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected", "kind"), QUERIES, ids=[q for q, *_ in QUERIES])
def test_query_shows_the_expected_result_in_the_top_three(search_box, english_names, query, expected, kind):
    shown = search_box(query)
    top = top_paths(shown)
    assert any(re.fullmatch(expected, path) for path in top), (kind, top)
    text = " ".join(r["text"] for r in shown)
    assert "\u200b" not in text, "a zero-width space in what the reader sees and copies"
    assert "<iframe" not in text and "嵌入代码" not in text, "embed code in a result"
    assert "途经/所在城市" not in text, "a table header in a result"
    own = " ".join(search_box.page.evaluate(SHOWN_OF_ITSELF))
    assert not [name for name in english_names if name in own], "English in a Chinese page's results"


MISSING = """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')].map(a =>
  [...a.querySelectorAll('.md-search-result__terms del, .md-search-result__terms s')].map(d => d.textContent))"""


@pytest.mark.browser
@pytest.mark.parametrize(("query", "word"), [("集二铁路", "集二"), ("马铃薯产业", "马铃薯")])
def test_a_query_of_several_words_marks_as_missing_only_the_words_a_result_lacks(search_box, query, word):
    """Under each result the theme strikes out the query's words that the result lacks (缺少). Every word of the query
    but its last used to be struck out under every result, the best match included."""
    shown = search_box(query)
    missing = search_box.page.evaluate(MISSING)
    # the first result that holds the word (a rare word such as 产业化 in a long title may rank above it)
    index = next(i for i, result in enumerate(shown) if word in result["title"])
    assert index < 5 and word not in missing[index], (shown[index]["title"], missing[index])
    assert not any(f"{word}*" in terms for terms in missing), missing


# --- a query of several words, its 缺少 labels, and typing it ----------------------------------------------------

def fold(text: str) -> str:
    """Text as the ranking compares it: no markup, spaces or zero-width spaces, lower case."""
    return re.sub(r"[\s\u200b\"+*~^:]", "", re.sub(r"<[^>]*>", "", text)).replace("–", "-").replace("—", "-").lower()


@pytest.fixture(scope="module")
def index_docs(built_site) -> dict[str, dict]:
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return {doc["location"]: doc for doc in docs}


def holds(doc: dict, word: str) -> bool:
    """Whether a result holds a word anywhere in its record: shown, in the other script or as an alias (hidden)."""
    return fold(word) in "\n".join(fold(str(value)) for key, value in doc.items() if key != "location")


GROUPS = """() => [...document.querySelectorAll('.md-search-result__item')].map(item =>
  [...item.querySelectorAll(':scope > a.md-search-result__link')].map(a => {
    const url = new URL(a.href); return url.pathname.slice(1) + url.hash;}))"""


@pytest.mark.browser
@pytest.mark.parametrize("query", ["乌兰察布 大数据", "黄河 生态", "呼市 大数据", "馬鈴薯 产业", "烏蘭察布 大數據"])
def test_a_query_of_several_words_ranks_the_results_holding_all_of_them_first(search_box, index_docs, query):
    """Results are pages with their sections shown under them: a result holds the words when one of its shown entries
    does. Those holding every word come first, then the rest (乌兰察布 大数据 put the city page first, and 乌大张
    and 大窑, by their 大, third and fourth)."""
    search_box(query)
    groups = search_box.page.evaluate(GROUPS)
    every = [any(all(holds(index_docs[path], w) for w in query.split()) for path in group) for group in groups]
    assert every and every[0], groups[:3]
    assert every == sorted(every, reverse=True), f"a result lacking a word above one holding all: {every}"


def visible_forms(word: str, aliases: list[tuple[str, str]]) -> set[str]:
    """A word in both scripts, and with its alias or full form (geodata/aliases.csv): how a result may print it."""
    from build_atlas.inputs.texts import TO_SIMPLIFIED, TO_TRADITIONAL

    simple = TO_SIMPLIFIED.convert(word)
    forms = {word, simple, TO_TRADITIONAL.convert(word)}
    forms |= {target for alias, target in aliases if alias == simple}
    forms |= {alias for alias, target in aliases if target == simple}
    return {fold(form) for form in forms}


@pytest.mark.browser
@pytest.mark.parametrize("query", ["呼市 大数据", "呼市新机场", "呼市 机场", "烏蘭察布 大數據", "馬鈴薯 产业",
                                   "乌兰察布 大数据", "協同發展 呼和浩特"])
def test_no_result_is_labelled_missing_a_word_it_prints_in_another_form(search_box, index_docs, root, query):
    """缺少 lists the query's words a result lacks. It listed 呼市 under results printing 呼和浩特市: 8 of the first
    10 for 呼市新机场, 6 of 10 for 呼市 大数据."""
    import csv

    with (root / ALIASES).open(encoding="utf-8") as table:
        aliases = [(row["alias"], row["target"]) for row in csv.DictReader(table)]
    shown = search_box(query)
    missing = search_box.page.evaluate(MISSING)
    assert len(missing) == len(shown)
    wrong = []
    for result, words in zip(shown, missing, strict=True):
        doc = index_docs[result["path"]]
        printed = fold(doc["title"]) + "\n" + fold(doc["text"])
        wrong += [(result["path"], w) for w in words if any(f in printed for f in visible_forms(w, aliases))]
    assert not wrong, wrong


@pytest.mark.browser
def test_the_about_pages_instructions_are_not_results_for_readers_words(search_box):
    """已到期 found the about page's account of how progress is recorded first; it now finds the measures whose
    cards say 已到期. The about page is still found by its name."""
    shown = search_box("已到期")
    assert shown and not [r["path"] for r in shown if r["path"].startswith("about.html")]
    assert all(re.fullmatch(r"documents/[a-z0-9-]+\.html(#[a-z0-9-]+)?", r["path"]) for r in shown[:5]), shown[:5]
    for query in ("如何收录新文件", "站内检索支持中文分词"):
        assert not [r for r in search_box(query) if r["path"].startswith("about.html#")], query


META = "() => document.querySelector('.md-search-result__meta').textContent.trim()"
PLACEHOLDER = "键入以开始搜索"
SEARCHED = """() => !['键入以开始搜索', '正在初始化搜索引擎']
  .includes(document.querySelector('.md-search-result__meta').textContent.trim())"""
# An input method as Chromium drives it: the box holds the reader's letters while a character is composed (keydown
# and keyup of key 229 flagged isComposing), then the character. A candidate picked with the mouse sends no key
# after compositionend, so nothing but the composition and input events says that the box changed.
COMPOSE = """async ([query, pause]) => {
  const box = document.querySelector('input.md-search__input');
  const sleep = ms => new Promise(done => setTimeout(done, ms));
  const fire = (type, init) => box.dispatchEvent(new (type.startsWith('key') ? KeyboardEvent
    : type.startsWith('composition') ? CompositionEvent : InputEvent)(type, {bubbles: true, ...init}));
  box.focus();
  for (const ch of query) {
    const before = box.value;
    if (/[\\x20-\\x7e]/.test(ch)) {
      fire('keydown', {key: ch}); box.value = before + ch;
      fire('input', {data: ch, inputType: 'insertText'}); fire('keyup', {key: ch});
    } else {
      fire('compositionstart', {data: ''});
      for (const letters of ['p', 'pi']) {
        fire('keydown', {key: 'Process', keyCode: 229, isComposing: true});
        box.value = before + letters;
        fire('compositionupdate', {data: letters});
        fire('input', {data: letters, inputType: 'insertCompositionText', isComposing: true});
        fire('keyup', {key: 'Process', keyCode: 229, isComposing: true});
        await sleep(pause);
      }
      box.value = before + ch;
      fire('compositionupdate', {data: ch});
      fire('input', {data: ch, inputType: 'insertCompositionText', isComposing: true});
      fire('compositionend', {data: ch});
    }
    await sleep(pause);
  }
}"""
SETTLED = """([meta, paths]) => document.querySelector('.md-search-result__meta').textContent.trim() === meta
  && JSON.stringify([...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
    .map(a => a.getAttribute('href'))) === JSON.stringify(paths)"""
SHOWN_HREFS = """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
  .map(a => a.getAttribute('href'))"""
TYPED_QUERIES = [q for q, *_ in QUERIES] + ["呼市 大数据", "馬鈴薯 产业"]


def type_query(tab, query: str, how: str) -> list[str]:
    """Type a query into the emptied box: with Playwright's keyboard (a CJK character arrives as text, with no key),
    or an input method's events character by character. Returns the characters after which 键入以开始搜索 (or
    正在初始化) stayed although the box held text."""
    tab.evaluate(OPEN_SEARCH, "")
    tab.wait_for_function(CLEARED)
    tab.locator("input.md-search__input").focus()
    if how == "keyboard":
        tab.keyboard.type(query, delay=40)
        return []
    stuck = []
    for i, character in enumerate(query):
        tab.evaluate(COMPOSE, [character, 10])
        try:
            tab.wait_for_function(SEARCHED, timeout=1500)
        except PlaywrightTimeout:
            stuck.append(query[:i + 1])
    return stuck


@pytest.mark.browser
@pytest.mark.parametrize("how", ["keyboard", "input method"])
def test_a_query_typed_one_character_at_a_time_shows_what_it_shows_filled_at_once(search_box, how):
    """Material read the box on keyup only: characters typed without a key left 键入以开始搜索 or an earlier
    query's results under a full box, and an input method's letters were searched in place of its characters."""
    tab, wrong = search_box.page, []
    for query in TYPED_QUERIES:
        search_box(query)
        filled = [tab.evaluate(META), tab.evaluate(SHOWN_HREFS)]
        stuck = type_query(tab, query, how)
        try:
            tab.wait_for_function(SETTLED, arg=filled, timeout=3000)
            tab.wait_for_timeout(100)  # and nothing later replaces them
        except PlaywrightTimeout:
            pass  # the comparison below says what differs
        typed = [tab.evaluate(META), tab.evaluate(SHOWN_HREFS)]
        if typed != filled or stuck:
            wrong.append((query, filled[0], typed[0], stuck))
        if len(wrong) == 5:
            break  # enough to show the fault, without waiting out every query
    assert not wrong, wrong


# --- the English edition's search ------------------------------------------------------------------------------

EN = "en/"
DATA_CENTRES = (r"projects/industry-(horinger-dc-cluster|mobile-dc|north-bigdata-base|east-data-west-compute-centre)"
                r"\.html"
                r"|documents/(nzf-2023-23\.html(#r23-17)?|nzf-2023-1\.html(#hs23-a0[59])?)")
# (query, pattern that each of the first `n` results shown must match, n, what kind of query it is); paths are
# relative to en/, where the English pages and their index live. A measure's document stands above it in the list.
ENGLISH_QUERIES = [
    ("Baotou Yinchuan", r"projects/hsr-baotou-yinchuan\.html", 1, "project: its English name without the dash"),
    ("Baotou-Yinchuan", r"projects/hsr-baotou-yinchuan\.html", 1, "project: with a hyphen for the dash"),
    ("Baotou to Yinchuan", r"projects/hsr-baotou-yinchuan\.html", 1, "project: a stop word between the words"),
    ("airport", r"projects/airport-[a-z-]+\.html", 5, "a kind of project: the airports first"),
    ("data centre", DATA_CENTRES, 3, "British spelling, as the data spells it"),
    ("data center", DATA_CENTRES, 3, "American spelling"),
    ("data centers", DATA_CENTRES, 3, "American spelling, plural (stemmed)"),
    ("HSR", r"projects/hsr-[a-z-]+\.html", 5, "abbreviation of high-speed railway"),
    ("railroad", r"projects/(hsr|rail)-[a-z-]+\.html", 3, "American word for railway"),
    ("Hohhot", r"cities/hohhot\.html", 1, "city"),
    ("Ordos", r"cities/ordos\.html", 1, "city whose name the stemmer cuts (ordo)"),
    ("Tumed Left", r"counties/tumed-left-banner\.html", 1, "county by the start of its name"),
    ("Digital economy", r"themes/digital\.html", 1, "theme"),
    ("Regional measures", r"documents/nzf-2023-23\.html", 1, "document by its short title"),
    ("one-hour rail economic circle", r"documents/(nzf-2023-23|baotou-2024)\.html(#r23-01|#bt24-01)?", 3,
     "measure by its English title"),
    ("Yanan", r"projects/hsr-ordos-yulin-yanan\.html", 1, "a name typed without its apostrophe (Yan'an)"),
    ("包银高铁", r"projects/hsr-baotou-yinchuan\.html", 1, "a Chinese alias, pasted"),
    ("马铃薯", r"projects/agri-potato-research-institute\.html|documents/plan-2021\.html(#pl21-(0401-01|0501-04))?",
     3, "a Chinese word of a project's name and the measures' text"),
]
# Each result's Chinese that is not marked as Chinese (lang="zh"), beside the query's words it lacks (the reader's).
UNMARKED_CHINESE = """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
  .map(a => {
    const copy = a.cloneNode(true);
    copy.querySelectorAll('[lang="zh"], .md-search-result__terms').forEach(e => e.remove());
    return copy.textContent.match(/[\\u3400-\\u9fff]+/g) || [];})"""


@pytest.fixture(scope="module")
def english_box(browser, site_url):
    """The search on an English page two folders down (its index is found from the edition's top, not the page's)."""
    with box_on(browser, site_url, EN + "cities/hohhot.html", root=EN) as ask:
        yield ask


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected", "n", "kind"), ENGLISH_QUERIES, ids=[q for q, *_ in ENGLISH_QUERIES])
def test_english_query_shows_the_expected_results_first(english_box, site_url, query, expected, n, kind):
    shown = english_box(query)
    top = top_paths(shown, n)
    assert len(top) == n and all(re.fullmatch(expected, path) for path in top), (kind, top_paths(shown, 5))
    assert all(r["href"].startswith(site_url + EN) for r in shown), "a result outside the English edition"
    assert "\u200b" not in " ".join(r["text"] for r in shown)
    unmarked = english_box.page.evaluate(UNMARKED_CHINESE)
    assert not any(unmarked), f"Chinese not marked as such in an English result: {unmarked}"


@pytest.mark.browser
@pytest.mark.parametrize(("query", "form"), [("parks", "park"), ("Togtoh park", "parks"), ("centres", "centre"),
                                             ("railways", "railway"), ("center", "centre")])
def test_english_query_finds_the_other_forms_of_its_words(english_box, query, form):
    """The English index is stemmed, and so is the reader's query (parks finds park, park finds parks), and either
    spelling finds the other; a result holding only another form of the word is not labelled as missing it."""
    shown = english_box(query)
    titles = [r["title"].lower() for r in shown]
    assert [t for t in titles if re.search(rf"\b{form}\b", t) and not re.search(rf"\b{query.split()[-1]}\b", t)], \
        titles[:10]
    missing = english_box.page.evaluate(MISSING)
    assert not any(missing[:10]), missing[:10]


@pytest.mark.browser
def test_an_english_query_typed_one_key_at_a_time_shows_what_it_shows_filled_at_once(english_box):
    """Typed, a query passes through parts of words (Baotou Yinc, data cent) whose stems are not its words' stems:
    what the full query shows is what filling the box at once shows."""
    tab, wrong = english_box.page, []
    for query in ("Baotou Yinchuan", "data center", "parks", "Togtoh park", "high-speed railways"):
        english_box(query)
        filled = [tab.evaluate(META), tab.evaluate(SHOWN_HREFS)]
        type_query(tab, query, "keyboard")
        try:
            tab.wait_for_function(SETTLED, arg=filled, timeout=3000)
        except PlaywrightTimeout:
            wrong.append((query, filled[0], tab.evaluate(META)))
    assert not wrong, wrong


@pytest.mark.browser
def test_english_pages_fetch_the_english_index_and_say_so(site_url, page):
    """The theme finds the index from its `base`: an English page's is en/, so it fetches en/search/, and its
    results link to English pages; the dialog is named in English."""
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    shown = run_query(page, site_url + EN, "Baotou Yinchuan", start="projects/hsr-baotou-yinchuan.html")
    assert "/en/search/search_index.json" in requested and "/search/search_index.json" not in requested
    assert top_paths(shown, 1) == ["projects/hsr-baotou-yinchuan.html"]
    assert page.get_attribute(".md-search", "aria-label") == "Search the atlas"
    page.goto(site_url + "about.html")
    assert page.get_attribute(".md-search", "aria-label") == "站内搜索"


@pytest.mark.browser
def test_english_search_works_opened_from_disk(built_site, browser):
    """From file://, an English page reads the English index's script (en/search/search_index.js)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file://", "data:", "blob:"))
                  else (outside.append(r.request.url), r.abort()))
    try:
        tab = context.new_page()
        # a page without a map: a map read from disk asks for its tiles, which this test does not look at
        shown = run_query(tab, (built_site / EN).as_uri() + "/", "data center", start="tracing.html")
    finally:
        context.close()
    assert top_paths(shown, 1) == ["projects/industry-horinger-dc-cluster.html"], top_paths(shown, 5)
    assert outside == []


def test_english_index_has_a_result_for_every_page_and_measure(built_site):
    """The English index holds the Chinese one's results (the same addresses, under en/), in English; its
    Chinese is marked as such."""
    english = json.loads((built_site / EN / "search/search_index.json").read_text(encoding="utf-8"))
    chinese = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))
    generated = {doc["location"] for doc in chinese["docs"] if not doc["location"].startswith("about.html")}
    assert generated <= {doc["location"] for doc in english["docs"]}
    assert english["config"]["lang"] == ["en"] and "stemmer" in english["config"]["pipeline"]
    for doc in (doc for doc in english["docs"] if doc["location"] in generated):
        shown = re.sub(r'<span lang="zh">.*?</span>', "", doc["title"] + " " + doc["text"])
        assert not re.search(r"[\u3400-\u9fff]", shown), doc["location"]


def test_chinese_index_shows_no_english(built_site, english_names):
    """A Chinese page's results show Chinese only: the English names are in fields not shown (a reader who types
    one still finds the result: Baotou-Yinchuan in QUERIES)."""
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    shown = {doc["location"]: (doc["title"] + " " + doc["text"]).replace("\u200b", "") for doc in docs}
    assert not [(where, name) for where, text in shown.items() for name in english_names if name in text]
    hidden = " ".join(doc.get("also", "") for doc in docs).replace("\u200b", "")
    assert "Baotou–Yinchuan high-speed railway" in hidden


def test_query_table_is_large_enough_and_covers_every_kind():
    kinds = " ".join(kind for *_, kind in QUERIES)
    assert len(QUERIES) >= 25
    for word in ("phrase", "project", "unit", "abbreviation", "year", "traditional", "English", "city"):
        assert word in kinds, word



@pytest.mark.browser
def test_no_page_fetches_the_search_index_or_worker_until_search_is_opened(site_url, page):
    requested = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    for path in ("index.html", "cities/hohhot.html", "documents/plan-2021.html", "projects/hsr-baotou-yinchuan.html"):
        page.goto(site_url + path, wait_until="networkidle")
    assert [p for p in requested if "search" in p and not p.endswith("atlas-search.js")] == []
    shown = run_query(page, site_url, "马铃薯")
    assert any(p.endswith("search/search_index.json") for p in requested)
    assert any(r["path"] in POTATO_MEASURES for r in shown)


def test_index_holds_content_only(built_site):
    from build_atlas.inputs.model import gather as gather_atlas

    index = (built_site / "search/search_index.json").read_text(encoding="utf-8").replace("\u200b", "")
    for junk in ("&lt;iframe", "<iframe", "嵌入代码", "途经/所在城市", "下载本图", "绘制说明"):
        assert junk not in index, junk
    atlas = gather_atlas(built_site.parent)
    notes = [n for n in atlas.features["note"] if len(n) > 30]
    assert notes and not [n for n in notes if n in index], "maintainers' drawing notes are not content"
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = [d["location"] for d in docs]
    assert len(set(locations)) == len(locations)
    assert {f"documents/{m['doc']}.html#{m['id']}" for _, m in atlas.measures.iterrows()} <= set(locations)
    assert {f"projects/{fid}.html" for fid in atlas.features.index} <= set(locations)


# --- aliases.csv: validated like every table -------------------------------------------------------------------

ALIASES = "geodata/aliases.csv"


def test_alias_mistakes_are_each_reported_with_line_column_and_code(project):
    path = project / ALIASES
    lines = path.read_text(encoding="utf-8").splitlines()
    added = ["包银高铁,包头至银川铁路,hsr-baotou-yinchuan",  # the alias is already on line 2
             "呼和高铁,呼和浩特至和林高铁,hsr-no-such-line",  # a project that does not exist
             "乌市,乌鲁木齐市,",  # a full form the atlas never uses
             "托县,,"]  # 托县 is listed above; its full form is missing
    path.write_text("\n".join(lines + added) + "\n", encoding="utf-8")
    first = len(lines) + 1
    托县 = next(i for i, line in enumerate(lines, start=1) if line.startswith("托县,"))
    with pytest.raises(AtlasError) as caught:
        gather(project)
    found = [(p.file, p.line, p.column, p.code) for p in caught.value.problems]
    assert sorted(found) == sorted([
        (ALIASES, first + 3, 2, "required"),
        (ALIASES, first + 1, 3, "dangling-ref"),
        (ALIASES, first, 1, "duplicate-alias"),
        (ALIASES, first + 3, 1, "duplicate-alias"),
        (ALIASES, first + 2, 2, "unknown-target"),
    ])
    duplicates = [str(p) for p in caught.value.problems if p.code == "duplicate-alias"]
    assert "第 2 行" in duplicates[0] and f"第 {托县} 行" in duplicates[1]


def test_an_alias_added_by_staff_reaches_the_search_index(project):
    from build_atlas.outputs import search

    with (project / ALIASES).open("a", encoding="utf-8") as table:
        table.write("托清园区,托克托—清水河—准格尔工业园区,industry-tuo-qing-zhun-parks\n")
    atlas = gather(project)
    page = "projects/industry-tuo-qing-zhun-parks.html"
    record = next(r for r in search.atlas_records(atlas) if r["location"] == page)
    assert "托清园区" in record["aka"].replace("\u200b", "")


def test_aliases_table_is_documented_for_staff(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "geodata/aliases.csv" in readme
    from build_atlas.vocabulary.schema import TABLES

    assert [c.name for c in TABLES[ALIASES]] == ["alias", "target", "feature"]


def test_theme_script_changes_apply_once_and_stop_the_build_when_the_theme_changes(tmp_path):
    import shutil

    import material
    from mkdocs.exceptions import PluginError

    from build_atlas.outputs import search

    scripts = tmp_path / "assets/javascripts"
    shutil.copytree(Path(material.__file__).parent / "templates/assets/javascripts", scripts,
                    ignore=shutil.ignore_patterns("*.map", "lunr"))
    search.patch_theme_scripts(tmp_path)
    patched = {p: p.read_text(encoding="utf-8") for p in scripts.rglob("*.min.js")}
    search.patch_theme_scripts(tmp_path)  # a rebuild that kept the files changes nothing
    assert {p: p.read_text(encoding="utf-8") for p in patched} == patched
    assert all(new in "".join(patched.values()) for _, _, new, _ in search.PATCHES)
    bundle = next(scripts.glob("bundle.*.min.js"))
    bundle.write_text("/* another theme version */", encoding="utf-8")
    with pytest.raises(PluginError, match="PATCHES"):
        search.patch_theme_scripts(tmp_path)
