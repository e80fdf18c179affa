"""The site search: an index built from the atlas's data (not scraped from pages) for Material's search.

Every measure is a result of its own (a section of its document page, linked to its clause), every project and
city/theme page one result, with the words readers type: both scripts (simplified ⇄ traditional), years with 年,
and the aliases of geodata/aliases.csv. Pages fetch the index only when the reader first opens search. Each edition
has its index: this module makes the Chinese edition's records, search_en the English edition's.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..cache import artifacts
from ..inputs.model import Atlas
from ..vocabulary import routes
from ..vocabulary.dataset import deadline_label
from ..vocabulary.schema import CITIES, DEADLINE_STATES, FEATURE_STATUSES, KINDS, MEASURE_STATUSES, THEMES, by_key
from .county_pages import area_zh
from .search_en import english_records
from .search_words import HAN, alias_words, county_tallies, county_words, other_script, segment, words_of_counties

CITY, THEME, KIND, STATUS = by_key(CITIES), by_key(THEMES), by_key(KINDS), by_key(FEATURE_STATUSES)
MEASURE_STATUS, DEADLINE_STATE = by_key(MEASURE_STATUSES), by_key(DEADLINE_STATES)
YEAR = re.compile(r"(20\d\d)\s*年")
# Extra fields beside Material's title (×1000) and text (×1): `aka` holds names (aliases, the other script of the
# title) and `units` a measure's responsible units, both ranked like a title; `also` holds the other script of the
# text, the projects named, year words (2025年底) and the English names and titles, ranked like text; `place` holds
# a city's or county's names (土默特左旗, 土左旗), ranked ten times a title: a reader who types a place's name finds
# its page first, then what lies there (a project titled 土左旗至毛岱一级公路 matched the query in its title and its
# aliases, and came first). Only title and text are shown: a Chinese page's results read in Chinese alone, and a
# reader who types an English name there (Baotou-Yinchuan) still finds the project, in Chinese.
FIELDS = {"aka": {"boost": 1000.0}, "units": {"boost": 1000.0}, "also": {"boost": 1.0}, "place": {"boost": 10000.0}}

# Words of the atlas that jieba's own dictionary splits or does not know. Only whole, atomic names belong here:
# a compound such as 包头至银川高铁 would become one token, and a search for 高铁 or 银川 would then miss it.
SEARCH_TERMS = (
    "呼包鄂乌", "呼包鄂", "呼包鄂榆", "中欧班列", "稀土", "高铁", "城际铁路", "养老", "口岸", "保税区", "一体化",
    "城市群", "呼和浩特新机场", "黄河几字弯", "沿黄", "大青山", "大黑河", "小黑河", "哈素海", "岱海", "察汗淖尔",
    "库布其", "毛乌素", "敕勒川", "沙尔沁", "宝日花", "包日汗图", "白云鄂博", "和林格尔", "盛乐", "毕克齐", "协力气",
    "杨树坝", "甘其毛都", "满都拉", "二连浩特", "七苏木", "集宁", "康巴什", "东胜", "托克托", "准格尔", "伊金霍洛",
    "乌审", "鄂托克", "苏里格", "大牛地", "棋盘井", "上海庙", "杀虎口", "老牛湾", "土城子", "大窑", "阿尔寨",
    "昆都仑", "卓资", "武川", "固阳", "察右前旗", "察右中旗", "察右后旗", "土左旗", "土右旗", "达茂旗", "乌兰巴托",
    "京呼", "协同发展",
)
PAGES = {  # generated list pages: what a reader finds them by (their lists are found as measures and projects)
    routes.HOME: ("呼包鄂乌一体化政策图集", "首页：五份政策文件的举措、规划项目总图与按城市、主题的入口。"),
    routes.PROJECTS: ("规划项目", "五份文件点名的全部规划项目，按铁路、公路、航空、生态、物流与口岸等分组。"),
    routes.TRACING: ("落实追踪", "自治区举措在各市文件中的落实情况，以及各项举措的完成时限。"),
    routes.CHANGES: ("更新记录", "图集数据的历次更新。"),
    routes.DATA: ("数据下载", "举措表、规划项目表、地名表等全部数据的下载与字段说明。"),
}


def jieba_terms(atlas: Atlas) -> list[str]:
    """The search segmenter's user dictionary: the county-level units (with their short names of three characters
    or more), the cities, SEARCH_TERMS and the aliases."""
    terms = set(SEARCH_TERMS) | set(atlas.counties["name_zh"]) | set(atlas.aliases["alias"])
    terms |= {short for short in atlas.by_county.counties["short"] if len(short) >= 3}
    terms |= {CITY[c].zh for c in CITY} | {CITY[c].zh.removesuffix("市") for c in CITY}
    return sorted(term for term in terms if HAN.fullmatch(term))


def write_jieba_dict(atlas: Atlas, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{term} 50000 nz\n" for term in jieba_terms(atlas)), encoding="utf-8")
    return path


def forget_segments() -> None:
    """Forget the words cut so far: call when jieba's dictionary changes (the plugin does, on each build's words)."""
    segment.cache_clear()
    _PROJECTS.clear()
    _MEASURES.clear()


def year_words(texts: list[str], deadline: str) -> list[str]:
    """2025年, 2025年底, 2025年末 … for every year a measure names or is due in."""
    years = {y for text in texts for y in YEAR.findall(text)}
    words = []
    if re.fullmatch(r"20\d\d-\d\d", deadline):
        year, month = deadline.split("-")
        years.add(year)
        words.append(f"{year}年{int(month)}月")
    return sorted({f"{y}{suffix}" for y in years for suffix in ("年", "年底", "年末", "年内")}) + words


def record(location: str, title: str, text: str, *, aka: list[str] = (), also: list[str] = (),
           words: list[str] = (), units: list[str] = (), place: list[str] = ()) -> dict:
    """One index entry; title and text are shown as HTML by the theme, so data is escaped on its way in.
    `words` are indexed whole (one token each), the rest is cut into words; `place`: a place page's names."""
    names = [n for n in dict.fromkeys([other_script(title), *aka]) if n]
    extra = [e for e in (other_script(text), *also) if e]
    entry = {"location": location, "title": segment(html.escape(title)), "text": segment(html.escape(text)),
             "aka": " ".join(segment(html.escape(n)) for n in names),
             "also": " ".join([segment(html.escape(" ".join(extra))), *map(html.escape, words)]).strip()}
    if units:
        entry["units"] = " ".join(segment(html.escape(u)) for u in units)
    if place:
        entry["place"] = " ".join(segment(html.escape(n)) for n in dict.fromkeys(place))
    return entry


def county_records(atlas: Atlas) -> list[dict]:
    """A county page's result: found by its name, its short name and its aliases, ranked as a name."""
    index, out = atlas.by_county, []
    words = county_words(atlas)
    tallies = county_tallies(atlas)
    for code, county in index.counties.iterrows():
        projects, measures = tallies[code]
        seat = f"政府驻地{county['seat_zh']}，" if county["seat_zh"] else ""
        text = (f"{CITY[county['city']].zh}下辖，{seat}面积约 {area_zh(county['area_km2'])} 平方公里。"
                f"经过或位于这里的规划项目 {projects} 个，有关的举措 {measures} 项。")
        out.append(record(routes.html(routes.county(county["key"])), county["name_zh"], text, aka=words[code][1:],
                          also=alias_words(atlas, text, []), place=[*words[code], county["name_en"]]))
    return out


def measure_record(atlas: Atlas, m: dict) -> dict:
    docs = atlas.documents
    meta = [f"出处：{docs.loc[m['doc'], 'short']} {m['clause']}"]
    if m["units"]:
        meta.append("责任单位：" + "、".join(m["units"]))
    if m["deadline"]:
        meta.append(f"完成时限：{deadline_label(m['deadline'])}")
    names = [atlas.features.loc[f, "name_zh"] for f in m["features"]]
    body = f"{m['text']}（{'；'.join(meta)}）"
    also = [m["section"], m["title_en"], *names,
            *alias_words(atlas, " ".join([m["title"], m["text"], *m["units"]]), m["features"]),
            *words_of_counties(atlas, atlas.by_county.of_measure(m["id"]))]
    units = [*m["units"], *(other_script(u) for u in m["units"])]
    return record(routes.measure(m['doc'], m['id']), f"{m['clause']} {m['title']}", body, also=also,
                  words=year_words([m["text"], m["title"]], m["deadline"]) + state_words(m.get("deadline_state", "")),
                  units=[u for u in units if u])


def state_words(state: str) -> list[str]:
    """The words of what a measure's card says of its deadline (已到期，尚无完成记录 → 已到期, 尚无完成记录), in
    both scripts: a reader who types 已到期 or 逾期完成 finds the measures whose cards say so."""
    words = DEADLINE_STATE[state].zh.split("，") if state else []
    return list(dict.fromkeys(w for word in words for w in (word, other_script(word)) if w))


def project_record(atlas: Atlas, fid: str, f: dict, quotes: list[str]) -> dict:
    """A project's result (`f`: its row, `quotes`: its statements' quotes by date and measure)."""
    status = f"文件表述：{STATUS[f['status']].zh}。" if f["status"] else ""
    cities = "、".join(CITY[c].zh for c in f["cities"]) or "位置未核实"
    quoted = "；".join(dict.fromkeys(f"“{q}”" for q in quotes))
    text = f"{KIND[f['kind']].zh} · {cities}。{status}文件表述：{quoted}。"
    aka = alias_words(atlas, f["name_zh"], [fid], named=False)
    also = [w for w in alias_words(atlas, f"{f['name_zh']} {text}", []) if w not in aka]  # 呼市 for 呼和浩特市
    return record(routes.html(routes.project(fid)), f["name_zh"], text, aka=aka,
                  also=[*also, *words_of_counties(atlas, atlas.by_county.of_feature(fid)), f["name_en"]])


def place_records(atlas: Atlas) -> list[dict]:
    out = []
    for c in CITIES:
        counties = atlas.counties[atlas.counties["city"] == c.key].sort_values("adcode")["name_zh"]
        text = (f"涉及本市的举措 {len(atlas.measures_of_city(c.key))} 项，规划项目 "
                f"{len(atlas.features_of_city(c.key))} 个。下辖：{'、'.join(counties)}。")
        names = [c.zh.removesuffix("市"), *alias_words(atlas, c.zh, [], named=False)]
        out.append(record(routes.html(routes.city(c.key)), c.zh, text, aka=names, place=[c.zh, *names, c.en]))
    out += county_records(atlas)
    for t in THEMES:
        text = f"{t.note}。举措 {len(atlas.measures_of_theme(t.key))} 项，规划项目 " \
               f"{len(atlas.features_of_theme(t.key))} 个。"
        out.append(record(routes.html(routes.theme(t.key)), t.zh, text, aka=[t.en], also=alias_words(atlas, text, [])))
    return out


def atlas_records(atlas: Atlas) -> list[dict]:
    """Every result the atlas's data makes, each page's entry before its sections (the theme relies on it)."""
    docs = [record(routes.html(page), title, text) for page, (title, text) in PAGES.items()]
    docs += place_records(atlas)
    aliases = atlas.aliases.to_csv()
    for key, d in atlas.documents.iterrows():
        about = f"{d['title']}。{d['issuer']}{'，' + d['number'] if d['number'] else ''}，{d['date']}。"
        docs.append(record(routes.html(routes.document(key)), d["short"], about, aka=[d["title"]]))
        for m in atlas.measures[atlas.measures["doc"] == key].to_dict("records"):
            names = [atlas.features.loc[f, "name_zh"] for f in m["features"]]
            counties = words_of_counties(atlas, atlas.by_county.of_measure(m["id"]))
            # a preview rebuild makes again only the results of the measures whose record or words changed
            memo = hashlib.sha256(repr((m, d["short"], names, aliases, counties)).encode()).hexdigest()
            if memo not in _MEASURES:
                _MEASURES[memo] = measure_record(atlas, m)
            docs.append(_MEASURES[memo])
    return docs + project_records(atlas)


_PROJECTS: dict[str, dict] = {}
_MEASURES: dict[str, dict] = {}


def project_records(atlas: Atlas) -> list[dict]:
    """The projects' results, by kind and id; a preview rebuild makes again only those of the projects whose row,
    statements or aliases changed (pandas look-ups per project took ~0.7 s of every rebuild after a project edit)."""
    rows = atlas.features.drop(columns=["geometry", "line"], errors="ignore").to_dict("index")
    quotes: dict[str, list[str]] = {}
    for statement in atlas.statements.sort_values(["date", "measure"]).itertuples():
        quotes.setdefault(statement.feature, []).append(statement.quote)
    aliases = atlas.aliases.to_csv()
    out = []
    for fid in sorted(rows, key=lambda fid: (rows[fid]["kind"], fid)):
        counties = words_of_counties(atlas, atlas.by_county.of_feature(fid))
        memo = hashlib.sha256(repr((fid, rows[fid], quotes.get(fid, []), aliases, counties)).encode()).hexdigest()
        if memo not in _PROJECTS:
            _PROJECTS[memo] = project_record(atlas, fid, rows[fid], quotes.get(fid, []))
        out.append(_PROJECTS[memo])
    return out


def records_key(atlas: Atlas, lang: str = routes.DEFAULT_LANGUAGE) -> str:
    """A digest of everything an edition's records read: the tables it searches, and the code and vocabulary that
    shape the records (the user dictionary is made from the same tables)."""
    index = atlas.by_county  # which counties each project (by its geometry) and measure concerns, and their seats
    frames = (atlas.measures, atlas.features.drop(columns="geometry"), atlas.statements, atlas.aliases,
              atlas.documents, atlas.counties.drop(columns="geometry"), index.counties, index.projects,
              index.measures)
    code = Path(__file__) if lang == routes.DEFAULT_LANGUAGE else Path(__file__).with_name("search_en.py")
    return artifacts.digest(artifacts.code_digest(code), *(frame.to_csv() for frame in frames))


def edition_records(atlas: Atlas, lang: str) -> list[dict]:
    """The records of edition `lang`'s generated pages."""
    return atlas_records(atlas) if lang == routes.DEFAULT_LANGUAGE else english_records(atlas)


def cached_records(atlas: Atlas, cache: artifacts.ArtifactCache, lang: str = routes.DEFAULT_LANGUAGE) -> list[dict]:
    """An edition's records, kept in the artifact cache under records_key: a build whose data did not change
    segments nothing (jieba was about half of what a warm build did beside MkDocs)."""
    name = "records" if lang == routes.DEFAULT_LANGUAGE else f"records-{lang}"
    text = cache.get("search", name, records_key(atlas, lang),
                     lambda: json.dumps(edition_records(atlas, lang), ensure_ascii=False, separators=(",", ":")))
    return json.loads(text)


INDEX = "search/search_index.json"  # where the theme's search plugin writes its index, in either edition's build
# The English index: lunr's English stemmer and stop words (the worker stems the reader's words to match, RANK_JS).
# No trimmer, which strips every Han character (the index holds Chinese for readers who paste it): the separator
# takes punctuation away instead, and the zero-width spaces between the Chinese words.
ENGLISH_CONFIG = {"lang": ["en"], "pipeline": ["stemmer", "stopWordFilter"],
                  "separator": r"[\s\u200b\-\u2013\u2014/,.;:!?()\[\]&\"'\u2018\u2019\u201c\u201d\u00b7"
                               r"\u3001\u3002\uff08\uff09\uff0c\uff1a\uff1b]+"}


def write_index(site_dir: Path, atlas: Atlas, generated: set[str], kept: list[dict] | None = None,
                cache: artifacts.ArtifactCache | None = None, lang: str = routes.DEFAULT_LANGUAGE) -> None:
    """Replace the theme's index of the generated pages with the atlas's records; hand-written pages keep theirs
    (`kept`: their entries, when the theme's index holds only the pages a preview rebuilt).
    Written as UTF-8 (MkDocs writes every Chinese character as a 6-byte \\u escape). The English edition's index
    goes to en/search/, its locations relative to en/, with a script for pages read from disk (as the theme's
    offline plugin makes for the root's)."""
    index = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    pages = {routes.html(name) for name in generated}
    if kept is None:
        kept = [doc for doc in index["docs"] if doc["location"].split("#")[0] not in pages]
    index["config"]["fields"].update(FIELDS)
    if lang != routes.DEFAULT_LANGUAGE:
        edition = routes.edition(lang)
        index["config"].update(ENGLISH_CONFIG)
        kept = [{**doc, "location": doc["location"].removeprefix(edition)} for doc in kept
                if doc["location"].startswith(edition)]
    records = cached_records(atlas, cache, lang) if cache is not None else edition_records(atlas, lang)
    index["docs"] = records + kept
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path = site_dir / routes.edition(lang) / INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if lang != routes.DEFAULT_LANGUAGE:
        path.with_suffix(".js").write_text(f"var __index = {text}", encoding="utf-8")


# Ranking, in the worker: a result holding more of the reader's words (what the query holds between spaces) ranks
# above one holding fewer, whatever lunr's score: lunr finds a result by any piece of any word, so 乌兰察布 大数据
# put 乌大张 (大) above the Ulanqab data centres. "Holds" reads every field, so a word found in the other script or as
# an alias counts (the index holds both). Within a tier, a result whose name (title, alias or place name) is the
# whole query ranks ×8, one holding it in its title ×4, in its text ×2 (Material ranks by words alone, so 城乡发展
# could outrank a measure titled 协同发展). The tier is the score's whole part, so that the theme's Enter key, which
# opens the result of the highest score, opens the first one shown. Hyphens, dashes and apostrophes are left out of
# the comparison, as spaces are: Baotou Yinchuan is the name Baotou–Yinchuan, Yanan is Yan'an. The English index's
# names hold spaces, so its names are one a line.
# The English index is stemmed (ENGLISH_CONFIG), but Material gives every word of the query a trailing * and lunr
# does not stem such a word, so parks* missed park: the worker stems the reader's words itself (atlasStemmed), and
# a result holds a word when one of its words has the word's stem. English stop words between words are left out
# of the query and of the count (Baotou to Yinchuan); the last word is kept, as it may be the start of another.
RANK_JS = r"""const atlasNorm = s => (s || "").replace(/<[^>]*>/g, "")
  .replace(/[\s\u200b"+*~^:'\u2019\u2013\u2014-]/g, "").toLowerCase();
let atlasEnglish = false;
const atlasStemOf = new Map(), atlasTexts = new Map(), atlasStems = new Map();
const atlasStem = word => lunr.stemmer(new lunr.Token(word)).toString();
function atlasStemmed(query) {
  atlasStemOf.clear();
  if (!atlasEnglish) return query;
  const terms = query.split(" "), out = [];
  terms.forEach((term, i) => {
    const word = /^([a-z]+)\*$/i.exec(term);
    if (!word) return out.push(term);
    const low = word[1].toLowerCase(), stem = atlasStem(low);
    if (i < terms.length - 1 && !lunr.stopWordFilter(low)) return;
    atlasStemOf.set(stem, low);
    out.push(`${stem}*`);
  });
  return out.length ? out.join(" ") : query;
}
function atlasHolds(doc, word) {
  let text = atlasTexts.get(doc.location);
  const fields = () => [doc.title, doc.text, doc.aka, doc.also, doc.units, doc.place];
  if (text === undefined) {
    text = fields().map(atlasNorm).join("\n");
    atlasTexts.set(doc.location, text);
  }
  if (text.includes(word) || !atlasEnglish || !/^[a-z]+$/.test(word)) return text.includes(word);
  let stems = atlasStems.get(doc.location);
  if (stems === undefined) {
    stems = "\n" + fields().join(" ").replace(/<[^>]*>/g, " ").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
      .map(atlasStem).join("\n");
    atlasStems.set(doc.location, stems);
  }
  return stems.includes("\n" + atlasStem(word));
}
function atlasWords(query) {
  const words = [...new Set(query.split(/[\s,;\uff0c\u3001\uff1b]+/).filter(w => !w.startsWith("-")).map(atlasNorm)
    .filter(Boolean))];
  const content = atlasEnglish ? words.filter(w => lunr.stopWordFilter(w)) : words;
  return content.length ? content : words;
}
function atlasRank(doc, query) {
  const q = atlasNorm(query);
  const title = atlasNorm(doc.title), names = [title.replace(/\uff08[^\uff09]*\uff09|\([^)]*\)/g, ""),
    ...[doc.aka, doc.units, doc.place].join("\n").replace(/\u200b/g, "").split(atlasEnglish ? /\n/ : /\s+/)
      .map(atlasNorm)];
  if (names.includes(q)) return 8;
  if (title.includes(q) || atlasNorm(doc.aka).includes(q)) return 4;
  return atlasNorm(doc.text).includes(q) || atlasNorm(doc.also).includes(q) ? 2 : 1;
}
function atlasScore(score, doc, query) {
  if (!doc || !atlasNorm(query)) return score;
  const held = atlasWords(query).filter(w => atlasHolds(doc, w)).length, s = score * atlasRank(doc, query);
  return held + s / (s + 1);
}
// Material lists under a result the query's pieces that none of its index words begins with (缺少): 呼市 under a
// result printing 呼和浩特市. A piece is missing only when the result holds it nowhere (inside a longer word counts),
// and a reader's word the result holds whole stands for its pieces. A stem the worker made (centr) is listed as the
// reader's word (centre); the stems of the words a result holds are marked found, so that the page opened from it
// highlights park in parks.
function atlasTerms(terms, doc, query) {
  if (!doc) return terms;
  const words = atlasWords(query).filter(w => atlasHolds(doc, w)), out = {};
  for (const w of words) {
    out[w] = true;
    if (atlasEnglish && /^[a-z]+$/.test(w)) out[atlasStem(w)] = true;
  }
  for (const [term, found] of Object.entries(terms)) {
    const word = atlasStemOf.get(term) || term;
    if (!words.some(w => w.includes(word)) && !(term in out)) out[word] = found || atlasHolds(doc, word);
  }
  return out;
}
"""
# The search worker (40 KB) is started when search is first used, not on every page.
LAZY_WORKER_JS = """function atlasLazyWorker(url) {
  let worker; const listeners = [];
  const started = () => worker || (worker = new Worker(url), listeners.forEach(a => worker.addEventListener(...a)),
    worker);
  return {addEventListener: (...a) => worker ? worker.addEventListener(...a) : listeners.push(a),
          removeEventListener: (...a) => worker && worker.removeEventListener(...a),
          postMessage: message => started().postMessage(message)};
}
"""
# (file glob under assets/javascripts, what Material 9.8 ships, what the atlas needs, code the change calls);
# each must occur exactly once.
PATCHES = [
    # the query segmenter looks for index tokens in query[i:j] for j < query.length, never the whole query, so
    # 稀土 was searched as 稀* and 大青山 as 大*: let j reach the end
    ("workers/search.*.min.js", "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)", ""),
    # a Han run of the query is cut into index tokens joined by "* ", and the query transform then gives every term
    # its trailing "*": all but the last word became 集二** and were listed under every result as missing (缺少),
    # and no result counted them as found. Join with a space: each word gets one "*", as the query's last does.
    ("workers/search.*.min.js", 'this.index.invertedIndex)].join("* ")', 'this.index.invertedIndex)].join(" ")', ""),
    ("workers/search.*.min.js", "search(e){if(e=e.replace(", "search(e){let atlasQuery=e;if(e=e.replace(", ""),
    # the English index is stemmed: the worker stems the reader's words (RANK_JS), once it knows the index's language
    ("workers/search.*.min.js", "constructor({config:e,docs:r,options:n}){let i=Oe(",
     'constructor({config:e,docs:r,options:n}){atlasEnglish=e.lang.length===1&&e.lang[0]==="en";let i=Oe(', ""),
    ("workers/search.*.min.js", "e=ce(e),!e)return{items:[]}", "e=atlasStemmed(ce(e)),!e)return{items:[]}", ""),
    ("workers/search.*.min.js", "score:a*(1+K(g,2)),terms:f",
     "score:atlasScore(a*(1+K(g,2)),this.map.get(o),atlasQuery),terms:atlasTerms(f,this.map.get(o),atlasQuery)",
     RANK_JS),
    # served pages fetched the whole index on load; fetch it when the reader first opens search, as file:// does
    ("bundle.*.min.js", 'L($(location.protocol!=="file:"),Je("search"))', 'L($(!1),Je("search"))', ""),
    ("bundle.*.min.js", "function Mn(e,t=new Worker(e)){", "function Mn(e,t=atlasLazyWorker(e)){", LAZY_WORKER_JS),
    # the query was read on keyup only: a character typed without a key (Chinese from an input method, a paste, a
    # phone's keyboard) was not searched until the next key, and a box holding text could show 键入以开始搜索 or the
    # last query's results. Read it on every input as well, and after an input method's composition, not within it
    # (the box then holds the reader's pinyin, not words).
    ("bundle.*.min.js", 'n=L(t.pipe(Re(zt)),h(e,"keyup"),o)',
     'n=L(t.pipe(Re(zt)),L(h(e,"keyup"),h(e,"input"),h(e,"compositionend")).pipe(g(a=>!a.isComposing)),o)', ""),
    # …and search.highlight subscribed to the index on every page: only on a page opened from a result (?h=)
    ("bundle.*.min.js", 'z([t,r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")))])',
     'r.pipe(Q(we()),g(o=>!!o.searchParams.get("h")),b(o=>z([t,$(o)])))', ""),
    # The language switch: Material fetches sitemap.xml beside every <link rel=alternate> to find the current page in
    # the other edition when the reader switches. Each page's switch already links to its counterpart (the i18n
    # plugin), and these links are pages, so each load asked for two sitemaps that do not exist (404s): fetch none.
    ("bundle.*.min.js", 'e.pipe(b(()=>M("link[rel=alternate]")),', "e.pipe(b(()=>[]),", ""),
]


def patch_theme_scripts(site_dir: Path) -> None:
    scripts = site_dir / "assets/javascripts"
    for pattern, old, new, prelude in PATCHES:
        files = sorted(scripts.glob(pattern))
        if not files:
            raise PluginError(f"Material's {pattern} not found; review PATCHES in build_atlas/outputs/search.py")
        for path in files:
            code = path.read_text(encoding="utf-8")
            if old not in code and new in code:
                continue  # already patched (a rebuild that kept the theme's files)
            if code.count(old) != 1:
                raise PluginError(f"{path.name}: Material's search code changed; review PATCHES in "
                                  "build_atlas/outputs/search.py against the new version")
            path.write_text(prelude + code.replace(old, new), encoding="utf-8")


SOURCE_MAP = re.compile(r"\n?(?://# sourceMappingURL=[^\n]*\.map|/\*# sourceMappingURL=[^\n]*\.map \*/)\n?$")
LANGUAGE_SCRIPTS = {"ja": ["tinyseg.js"], "th": ["wordcut.js"], "hi": ["wordcut.js"]}  # as Material's worker loads


def prune_theme_scripts(site_dir: Path, languages: list[str]) -> list[str]:
    """Remove what the theme ships that no reader's browser loads: source maps (for debugging Material itself; 1.3
    MB) and the search languages not configured (a 677 KB Thai word list among them). Returns the removed paths.
    Material's search worker loads lunr.stemmer.support, one script per configured language, lunr.multi when there
    are several, and tinyseg (ja) or wordcut (th, hi); nothing else in assets/javascripts/lunr/ is asked for."""
    scripts, removed = site_dir / "assets/javascripts", []
    keep = {"min/lunr.stemmer.support.min.js", *(f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"),
            *(name for lang in languages for name in LANGUAGE_SCRIPTS.get(lang, []))}
    if len(languages) > 1:
        keep.add("min/lunr.multi.min.js")
    for path in sorted((scripts / "lunr").rglob("*.js")):
        if path.relative_to(scripts / "lunr").as_posix() not in keep:
            path.unlink()
            removed.append(path.relative_to(site_dir).as_posix())
    theme = [scripts, site_dir / "assets/stylesheets"]
    for path in sorted(p for folder in theme for p in folder.rglob("*.map")):
        path.unlink()
        removed.append(path.relative_to(site_dir).as_posix())
    for path in sorted(p for folder in theme for pattern in ("*.min.js", "*.min.css") for p in folder.rglob(pattern)):
        code = path.read_text(encoding="utf-8")
        if SOURCE_MAP.search(code):
            path.write_text(SOURCE_MAP.sub("\n", code), encoding="utf-8")
    return removed
