"""Stage 2, the documents' words: a statement's quote names its project; a project that a clause names as the
host, starting area, backbone or far end of something else is only mentioned there; and a date a clause states for
its own works or targets (确保2023年建成投用, 到2025年…) is recorded in geodata/stated_deadlines.csv with the words that
state it.

validate.check runs these rules; their codes are listed in rules.RULES. The names are compared in simplified
characters, with the short forms of schema.NAME_FORMS and of geodata/aliases.csv.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from opencc_purepy import OpenCC

from ..errors import Problem
from ..vocabulary.schema import CITIES, NAME_FORMS, by_key
from .load import Inputs, Row

TO_SIMPLIFIED = OpenCC("t2s")
BRACKETED = re.compile(r"（[^（）]*）")
WHITESPACE = re.compile(r"\s+")
STATEMENTS = "geodata/statements.csv"
STATED = "geodata/stated_deadlines.csv"
MIN_PIECE = 2  # a name may be read in pieces (清水河县、固阳县等通用机场 names 固阳县通用机场), none shorter than this
# Where a clause puts a project it only mentions, read around the name within one clause (no ，。； in between):
# 依托X打造…, 以X(、Y)为起步区/核心…, 连接X的…, 与X…联通, …至X / X至….
SEGMENT = re.compile(r"[^，。；,;]*$")
HOST_BEFORE = re.compile(r"依托(?:[^，。；,;]*、)?$")
FRAME_BEFORE = re.compile(r"以(?:[^，。；,;]*、)?$")
FRAME_AFTER = re.compile(r"^(?:[、和及等][^，。；,;]*?)?为(?:核心|中心|起步区|抓手|骨干|纽带|构架|载体|支撑)")
LINK_BEFORE = re.compile(r"连接(?:[^，。；,;]*[、和])?$")
PARTNER_BEFORE = re.compile(r"与(?:[^，。；,;]*、)?$")
PARTNER_AFTER = re.compile(r"^[^，。；,;]*?(?:联通|连通|衔接|对接|接驳)")
# A date a clause states for itself, in simplified characters: 确保2023年…, 到2025年…, 2024年底前…, 年内通车,
# 用5年左右时间… (not 2022年北京冬奥会, nor 在2年内建成投产的 of a reward's condition).
STATES_DATE = re.compile(r"(?:确保|力争|到|于|在)20\d\d年|20\d\d年(?:底|末|前|内|上半年|下半年)"
                         r"|(?<![\d一二两三四五六七八九十])年内(?:建成|通车|投用|投运|完成|开工)|用\d+年(?:左右)?时间")
WRITTEN_YEAR = re.compile(r"(20\d\d)年")
WRITTEN_MONTH = re.compile(r"(20\d\d)年(\d{1,2})月")
THIS_YEAR = re.compile(r"年内|当年|今年|本年")
YEARS_ON = re.compile(r"(?:用|今后|未来)(\d+)年")


def plain(text: str) -> str:
    """Simplified characters, no spaces, full-width brackets, each NAME_FORMS long form written short."""
    text = TO_SIMPLIFIED.convert(WHITESPACE.sub("", text)).replace("(", "（").replace(")", "）")
    for form in NAME_FORMS:
        text = text.replace(form.long, form.short)
    return text


def project_names(name_zh: str, aliases: list[tuple[str, str]], places: list[tuple[str, str]],
                  own_city: str = "") -> list[str]:
    """The ways a clause may write a project's name: its name (the bracketed part left out or kept), each of its
    aliases and their full forms; with a place written short or in full (土左旗/土默特左旗); and, in a clause of one
    city, without that city's name (a Hohhot document's 地铁1号线). Longest first."""
    names = {name_zh, BRACKETED.sub("", name_zh), name_zh.replace("（", "").replace("）", "")}
    names |= {name for pair in aliases for name in pair}
    names |= {other for name in list(names) for other in place_forms(name, places)}
    if own_city:
        names |= {name.replace(own_city, "").replace(own_city.removesuffix("市"), "") for name in names}
    out = {plain(name) for name in names}
    return sorted((name for name in out if len(name) >= MIN_PIECE), key=len, reverse=True)


def place_forms(name: str, places: list[tuple[str, str]]) -> set[str]:
    """The name with one of its places written the other way, short or in full (土默特左旗 ↔ 土左旗)."""
    return {name.replace(target, alias) if target in name else name.replace(alias, target)
            for alias, target in places if target in name or alias in name}


def pieces_from(name: str, quote: str, start: int) -> int | None:
    """Where in `quote` the name ends, read from `start` in order in pieces of MIN_PIECE characters or more."""
    if not name:
        return start
    for size in range(len(name), MIN_PIECE - 1, -1):
        at = quote.find(name[:size], start)
        while at >= 0:
            end = pieces_from(name[size:], quote, at + size)
            if end is not None:
                return end
            at = quote.find(name[:size], at + 1)
    return None


def find_name(name: str, quote: str) -> tuple[int, int] | None:
    """The shortest span of `quote` (both plain) that writes `name`, whole or in pieces, or None."""
    if (at := quote.find(name)) >= 0:
        return at, at + len(name)
    spans = []
    for size in range(len(name) - 1, MIN_PIECE - 1, -1):
        at = quote.find(name[:size])
        while at >= 0:
            if (end := pieces_from(name[size:], quote, at + size)) is not None:
                spans.append((at, end))
            at = quote.find(name[:size], at + 1)
    return min(spans, key=lambda span: (span[1] - span[0], span[0])) if spans else None


def named_at(names: list[str], quote: str) -> tuple[int, int] | None:
    """Where the quote names the project: the span of the first (longest) of its names it writes."""
    text = plain(quote)
    return next((span for name in names if (span := find_name(name, text))), None)


def written_whole(names: list[str], quote: str) -> tuple[int, int] | None:
    """The span of the first of the names the quote writes in one piece (a name read in pieces, as in 依托呼和浩特
    新机场片区…打造城市副中心, has no single place to judge), or None."""
    text = plain(quote)
    return next(((at, at + len(name)) for name in names if (at := text.find(name)) >= 0), None)


def only_mentioned(quote: str, span: tuple[int, int]) -> tuple[str, str] | None:
    """Why a quote that names a project at `span` names it only as the host or end of something else (in Chinese
    and in English), or None."""
    text = plain(quote)
    before = SEGMENT.search(text[:span[0]]).group(0)
    after = text[span[1]:]
    if HOST_BEFORE.search(before):
        return "依托的对象（依托…）", "the base the clause builds on"
    if FRAME_BEFORE.search(before) and FRAME_AFTER.match(after):
        return "起步区、核心或骨干（以…为…）", "a starting area, core or backbone"
    if LINK_BEFORE.search(before) or (PARTNER_BEFORE.search(before) and PARTNER_AFTER.match(after)):
        return "连接的另一端（连接…、与…联通）", "the far end of a link"
    if before.endswith("至") or after.startswith("至"):
        return "线路的一端（…至…）", "an end of a route"
    return None


def own_cities(inputs: Inputs) -> dict[str, str]:
    """Measure id → the one city its clause is in (a city document's city, or a measure's only city), or ''."""
    city_zh = by_key(CITIES)
    of_document = {d.get("key"): d.get("city") or "" for d in inputs.documents}
    out = {}
    for row in inputs.tables["measures.csv"]:
        cities = [c for c in row.cells["cities"].split(";") if c]
        city = of_document.get(row.cells["doc"]) or (cities[0] if len(cities) == 1 else "")
        out[row.cells["id"]] = city_zh[city].zh if city in city_zh else ""
    return out


def problem(table: str, row: Row, column: str, code: str, found: str, hint: str = "") -> Problem:
    """As rules.problem (network.py, which checks the statements, imports this module)."""
    return Problem(table, row.line, row.col(column), code, f"(列 {column}) {found}", hint)


def check_statement_names(inputs: Inputs) -> Iterator[Problem]:
    """Each quote names its project; a quote about a project does not name it only as a host or an end."""
    if not inputs.usable("measures.csv", "geodata/features.csv", "geodata/aliases.csv", STATEMENTS):
        return  # the references are judged by network.check_statements
    measures = {r.cells["id"]: r for r in inputs.tables["measures.csv"]}
    features = {r.cells["id"]: r.cells["name_zh"] for r in inputs.tables["geodata/features.csv"]}
    alias_rows = [r.cells for r in inputs.tables["geodata/aliases.csv"]]
    places = [(a["alias"], a["target"]) for a in alias_rows if not a["feature"] and a["alias"] and a["target"]]
    cities = own_cities(inputs)
    for row in inputs.tables[STATEMENTS]:
        fid, measure, quote = row.cells["feature"], measures.get(row.cells["measure"]), row.cells["quote"]
        if fid not in features or measure is None or not quote or \
                WHITESPACE.sub("", quote) not in WHITESPACE.sub("", measure.cells["text"]):
            continue  # dangling-ref, required or quote-not-in-text says what is wrong
        aliases = [(a["alias"], a["target"]) for a in alias_rows if a["feature"] == fid]
        names = project_names(features[fid], aliases, places, cities[measure.cells["id"]])
        if named_at(names, quote) is None:
            yield problem(
                STATEMENTS, row, "quote", "quote-without-name",
                f"'{quote}' 没有写出项目“{features[fid]}”的名称 / the quote does not name the project",
                "把引文扩到原文印出项目名称的地方（并列的名称可以分开，如 清水河县、固阳县等通用机场）；原文用的是"
                "简称就在 geodata/aliases.csv 为该项目加上它；原文并未点名该项目就删去这一行和举措 features 中的它"
                " / widen the quote to the name the clause prints, add the short form to geodata/aliases.csv, or"
                " unlink the project if the clause does not name it")
        elif row.cells["relation"] == "about" and (span := written_whole(names, quote)) and \
                (why := only_mentioned(quote, span)):
            yield problem(
                STATEMENTS, row, "relation", "host-as-about",
                f"引文只把“{features[fid]}”写作{why[0]}，却标为 about / the quote names the project only as {why[1]}",
                "把 relation 改为 mention（只是提及，不计入项目进展）/ set relation to mention")


def written_years(quote: str) -> set[int]:
    """The years a quote prints (2023年)."""
    return {int(year) for year in WRITTEN_YEAR.findall(plain(quote))}


def stated_years(quote: str, document_year: int | None) -> set[int]:
    """The years a quote states: printed, or counted from its document's year (年内 = that year, 用5年 = 5 on)."""
    text = plain(quote)
    years = written_years(text)
    if document_year is not None:
        years |= {document_year} if THIS_YEAR.search(text) else set()
        years |= {document_year + int(n) for n in YEARS_ON.findall(text)}
    return years


def states_month(quote: str, year: int, month: int) -> bool:
    """Whether a quote prints that month of that year (2024年12月, or 2024年底 for December)."""
    text = plain(quote)
    return (year, month) in {(int(y), int(m)) for y, m in WRITTEN_MONTH.findall(text)} or \
        (month == 12 and re.search(f"{year}年(?:底|末)", text) is not None)


def document_years(inputs: Inputs) -> dict[str, int | None]:
    """Document key → the year of its date (an inferred date included: the registry says so), if it has one."""
    years = {}
    for d in inputs.documents:
        match = re.match(r"(\d{4})", str(d.get("date") or ""))
        years[d.get("key")] = int(match.group(1)) if match else None
    return years


def check_stated_dates(inputs: Inputs) -> Iterator[Problem]:
    """Each stated deadline's quote is in its clause and states its date; each date a clause states is recorded."""
    if not inputs.usable("measures.csv", STATED):
        return
    measures = {r.cells["id"]: r for r in inputs.tables["measures.csv"]}
    years = document_years(inputs)
    recorded: dict[str, list[str]] = {}
    for row in inputs.tables[STATED]:
        measure, quote, deadline = measures.get(row.cells["measure"]), row.cells["quote"], row.cells["deadline"]
        if measure is None or not quote:
            continue  # dangling-ref or required says what is wrong
        recorded.setdefault(measure.cells["id"], []).append(plain(quote))
        if WHITESPACE.sub("", quote) not in WHITESPACE.sub("", measure.cells["text"]):
            yield problem(STATED, row, "quote", "quote-not-in-text",
                          "引文不在该举措原文中 / quote is not in the measure text",
                          "从该举措的 text 中逐字复制写明时限的短语 / copy the phrase that states the date verbatim")
            continue
        match = re.fullmatch(r"(20\d\d)(?:-(\d\d))?", deadline)
        if match is None:
            continue  # bad-deadline says what is wrong
        year, month = int(match.group(1)), int(match.group(2) or 0)
        stated = stated_years(quote, years.get(measure.cells["doc"]))
        if year not in stated or (month and not states_month(quote, year, month)):
            yield problem(STATED, row, "deadline", "date-not-in-quote",
                          f"'{deadline}' 不是引文“{quote}”写明的时限（引文写的是 "
                          f"{'、'.join(map(str, sorted(stated))) or '无年份'}）/ the quote does not state this date",
                          "改正 deadline，或把写明年份（月份）的原文纳入 quote；“年内”按文件年份推算"
                          " / correct the date, or quote the words that state it")
    for measure in measures.values():
        text = plain(measure.cells["text"])
        for found in STATES_DATE.finditer(text):
            if not any(found.group(0) in quote for quote in recorded.get(measure.cells["id"], [])):
                yield problem("measures.csv", measure, "text", "unrecorded-deadline",
                              f"原文写明了时限“{found.group(0)}”，{STATED} 中没有记录"
                              " / the clause states a date that is not recorded",
                              f"在 {STATED} 中加一行：{measure.cells['id']},年份（YYYY 或 YYYY-MM）,works 或"
                              f" target,含“{found.group(0)}”的原文短语 / add a row: measure,deadline,kind,quote")
