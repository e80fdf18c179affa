"""The data held to the documents' words (issue 13): the whole plan, units as printed, statuses that follow the
verb table, cities of places that span several cities, and the named projects of the network.

References are read from the source texts independently of how the rows were made.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from opencc_purepy import OpenCC

from build_atlas.vocabulary.schema import VERBS, Verb

from .conftest import copy_project
from .test_validation import COL, MEASURES, STATEMENTS, Table, located, problems_of

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "documents"
TO_SIMPLIFIED = OpenCC("t2s")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def table(name: str) -> list[dict]:
    with open(ROOT / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def measures() -> list[dict]:
    return table("measures.csv")


def plan_paragraphs() -> list[tuple[str, str]]:
    """(chapter/section, paragraph) for every paragraph of chapters 3-10 of the plan. A line that does not end a
    sentence continues on the next line (a page break split it); the one paragraph a page break split after a full
    stop (规划建设蒙西至河北…, §6.4) is a paragraph of its own here, and must share its row with the one before."""
    lines = (SOURCES / "plan-2021.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("第三章") and i > 20)
    paragraphs: list[list[str]] = []
    chapter = section = ""
    joinable = False
    for line in (raw.strip() for raw in lines[start:]):
        if not line:
            continue
        if m := re.match(r"^第([一二三四五六七八九十]+)章", line):
            chapter, section, joinable = m.group(1), "", False
            continue
        if m := re.match(r"^第([一二三四五六七八九十]+)节", line):
            section, joinable = m.group(1), False
            continue
        if joinable:
            paragraphs[-1][1] += line
        else:
            paragraphs.append([f"第{chapter}章" + (f"第{section}节" if section else ""), line])
        joinable = not re.search(r"[。”；！？]$", line)
    return [(where, squeeze(text)) for where, text in paragraphs]


def test_the_plan_reader_finds_every_chapter_and_section_of_chapters_3_to_10():
    places = {where for where, _ in plan_paragraphs()}
    chapters = {f"第{n}章" for n in "三四五六七八九十"}
    assert chapters <= places
    assert {"第四章第一节", "第四章第二节", "第六章第五节", "第十章第一节", "第十章第四节"} <= places
    assert len(plan_paragraphs()) == 94


def test_every_paragraph_of_plan_chapters_3_to_10_lies_in_exactly_one_row(measures):
    plan = [row for row in measures if row["doc"] == "plan-2021"]
    wrong = []
    for where, paragraph in plan_paragraphs():
        holders = [row["id"] for row in plan if paragraph in squeeze(row["text"])]
        if len(holders) != 1:
            wrong.append((where, paragraph[:20], holders))
        elif not next(r for r in plan if r["id"] == holders[0])["clause"].startswith(where):
            wrong.append((where, paragraph[:20], "clause"))
    assert wrong == []


def test_the_seven_sections_without_lead_phrases_have_rows_of_their_own(measures):
    clauses = {row["clause"]: row["id"] for row in measures if row["doc"] == "plan-2021"}
    for clause in ("第四章第一节", "第四章第二节", "第六章第五节", "第十章第一节", "第十章第二节", "第十章第三节",
                   "第十章第四节"):
        assert re.fullmatch(r"pl21-\d{4}-\d{2}", clauses[clause]), clause


# ------------------------------------------------------------------------------------------------ units

def test_units_printed_with_a_shared_suffix_are_written_out_and_roles_kept(measures):
    units = {row["id"]: row["units"].split(";") for row in measures}
    assert units["hh19-01"][:2] == ["托克托縣人民政府", "清水河縣人民政府"]
    assert units["hh19-07"][:2] == ["和林縣人民政府", "清水河縣人民政府"]
    assert units["hh19-36"] == ["市自然資源局", "市有關部門（配合）"]
    assert units["hh19-45"] == ["市各有關部門（按照職責分別牽頭）"]
    assert "四市人民政府（按职责分工负责）" in units["r23-01"]


def test_every_role_the_documents_print_in_a_trailer_is_kept_in_brackets(measures):
    """Every 配合/牵头/负责 inside a printed responsibility trailer shows up in brackets in some unit."""
    kept = "".join(row["units"] for row in measures)
    for key in ("hohhot-2019", "nzf-2023-23"):
        text = (SOURCES / f"{key}.txt").read_text(encoding="utf-8")
        trailers = re.findall(r"[（(](?:责任单位：)?([^（）()]*?(?:配合|牽頭|牵头|分工负责))", text)
        assert trailers, key
        for trailer in trailers:
            role = re.search(r"(市有關部門配合|按照職責分別牽頭|按职责分工负责)$", trailer).group(1)
            assert f"（{role.removeprefix('市有關部門')}）" in kept, trailer


# --------------------------------------------------------------------------- the validator enforces the rules

@pytest.fixture(scope="module")
def pristine_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("rules") / "atlas")


@pytest.fixture
def copy(pristine_copy: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine_copy, tmp_path / "atlas", symlinks=True))


@pytest.mark.parametrize("units", ["托克托縣;清水河縣人民政府", "市自然資源局;市有關部門配合",
                                   "市自然資源局、市有關部門", "市有關部門（配合"])
def test_validator_rejects_units_split_wrongly_or_a_role_outside_brackets(copy, units):
    table = Table(copy, MEASURES)
    row = table.find(id="hh19-01")
    table.set(row, "units", units).save()
    assert located(problems_of(copy)) == [(MEASURES, table.line(row), COL[MEASURES]["units"], "bad-unit")]


# ------------------------------------------------------------------------------------------- statements

def verb_of(quote: str) -> Verb | None:
    text = TO_SIMPLIFIED.convert(squeeze(quote))
    for verb in VERBS:
        if re.search(".*?".join(re.escape(part) for part in verb.phrase.split("…")), text):
            return verb
    return None


def test_the_verb_table_decides_the_cases_the_issue_names():
    cases = {"高质量打造乌兰察布七苏木国家进口贸易促进创新示范区": "construction",
             "依托呼和浩特新机场片区、和林格尔新区打造城市副中心": "construction",
             "深化呼和浩特新机场空港物流园区等重点物流园区建设": "construction",
             "深化准格尔—托克托—清水河工业园区产业合作试点": "operating",
             "推动呼和浩特至包头高铁及延伸线（呼和浩特至新机场段）项目前期工作": "preliminary",
             "规划建设呼和浩特至鄂尔多斯城际铁路": "proposed", "加快建设呼和浩特至包头": "construction",
             "加大岱海等重点湖泊生态环境保护修复力度": "protection", "打造大青山前坡生态绿带": "construction",
             "推動中環協鑫五期25GW單晶硅等項目建設": "construction", "優化城市地鐵線網": "operating"}
    assert {quote: verb_of(quote).status for quote in cases} == cases
    assert verb_of("和林格爾新區所轄區域") is None


def test_every_statement_follows_the_verb_table_or_says_why():
    departures = []
    for row in table("geodata/statements.csv"):
        verb = verb_of(row["quote"])
        assert verb is not None, row
        if verb.status != row["status"]:
            departures.append((row["feature"], row["measure"]))
            assert len(row["reason"]) > 10, row
    assert len(departures) <= 5  # a departure is the exception


def test_statements_say_whether_the_clause_is_about_the_project(measures):
    rows = {(r["feature"], r["measure"]): r for r in table("geodata/statements.csv")}
    assert {r["relation"] for r in rows.values()} == {"about", "mention"}
    # the new airport is only the end of the rail extension, and the host of roads, parks and a sub-centre
    for measure in ("r23-01", "pl21-0602-02", "hs23-08", "hs23-a28", "hs23-11", "hs23-13"):
        assert rows[("airport-hohhot-new", measure)]["relation"] == "mention", measure
    assert rows[("airport-hohhot-new", "pl21-0601-03")]["relation"] == "about"
    assert rows[("logistics-qisumu-import-zone", "r23-19")]["status"] == "construction"


def test_a_projects_latest_status_comes_from_clauses_about_it_only():
    from build_atlas.inputs.model import gather

    atlas = gather(ROOT)
    assert atlas.features.loc["airport-hohhot-new", "status"] == "construction"
    assert atlas.features.loc["hsr-hohhot-new-airport", "status"] == "preliminary"


@pytest.mark.parametrize(("status", "reason", "expected"), [
    ("operating", "", [("status", "status-verb")]),  # the quote says 实施: construction
    ("operating", "说明理由 / a reason given", []),
    ("construction", "", []),
])
def test_validator_rejects_a_status_that_contradicts_its_verb_unless_a_reason_is_given(copy, status, reason, expected):
    table = Table(copy, STATEMENTS)
    row = table.find(feature="hsr-baotou-yinchuan", measure="r23-01")
    table.set(row, "status", status).set(row, "reason", reason).save()
    columns = {"status": 3, "quote": 4}
    assert located(problems_of(copy)) == [(STATEMENTS, table.line(row), columns[c], code) for c, code in expected]


def test_validator_rejects_a_quote_without_a_verb(copy):
    table = Table(copy, STATEMENTS)
    row = table.find(feature="hsr-baotou-yinchuan", measure="r23-01")
    table.set(row, "quote", "包头至银川高铁").save()
    assert located(problems_of(copy)) == [(STATEMENTS, table.line(row), 4, "no-verb")]


# ---------------------------------------------------------------------- cities of places spanning cities

def test_a_clause_about_a_project_concerns_every_city_the_project_lies_in(measures):
    features = {row["id"]: set(filter(None, row["cities"].split(";"))) for row in table("geodata/features.csv")}
    by_id = {row["id"]: set(row["cities"].split(";")) for row in measures}
    missing = [(row["measure"], row["feature"], sorted(features[row["feature"]] - by_id[row["measure"]]))
               for row in table("geodata/statements.csv")
               if row["relation"] == "about" and not features[row["feature"]] <= by_id[row["measure"]]]
    assert missing == []
    assert by_id["r23-14"] >= {"hohhot", "baotou", "ulanqab"}  # 大青山 lies in Baotou as well
    assert by_id["bt24-14"] >= {"hohhot", "baotou", "ulanqab"}


def test_validator_rejects_a_clause_whose_cities_miss_a_city_of_a_place_it_is_about(copy):
    table_ = Table(copy, MEASURES)
    row = table_.find(id="r23-14")
    table_.set(row, "cities", "hohhot;ulanqab").save()
    [problem] = problems_of(copy)
    assert (problem.file, problem.line, problem.column, problem.code) == (
        MEASURES, table_.line(row), COL[MEASURES]["cities"], "missing-city")
    assert "包头市" in problem.message and "大青山" in problem.message


def test_a_mention_adds_no_city(copy):
    statements = Table(copy, STATEMENTS)
    statements.set(statements.find(feature="eco-daqingshan", measure="r23-14"), "relation", "mention").save()
    measures_ = Table(copy, MEASURES)
    row = measures_.find(id="r23-14")
    measures_.set(row, "cities", "hohhot;ulanqab").save()
    assert located(problems_of(copy)) == []


# ------------------------------------------------------------------------------------ the named projects

NEW_PROJECTS = [  # (words of the printed name, feature id, kind, cities as drawn; "" = unlocated)
    ("蒙西至河北特高压", "power-uhv-mengxi-hebei", "power", ""),
    ("蒙西至南网特高压", "power-uhv-mengxi-csg", "power", ""),
    ("异步联网", "power-mengxi-north-china-async", "power", ""),
    ("呼包鄂坚强局部电网", "power-hbe-strong-grid", "power", "hohhot;baotou;ordos"),
    ("病险水库", "water-risky-reservoirs", "water", "baotou;ordos"),
    ("蓄滞洪区", "water-flood-detention", "water", "ordos"),
    ("十大孔兑", "water-shida-kongdui", "water", "ordos"),
    ("引黄入呼", "energy-yellow-river-to-hohhot-3", "water", "hohhot"),
    ("千万千瓦级新能源基地", "energy-new-energy-bases", "energy", "baotou;ordos;ulanqab"),
    ("呼包鄂国家自主创新示范区", "zone-hbe-innovation-demo", "zone", "hohhot;baotou;ordos"),
    ("蒙西（包头—鄂尔多斯）产业转型升级示范区", "zone-mengxi-transformation", "zone", "baotou;ordos"),
    ("七苏木国家进口贸易促进创新示范区", "logistics-qisumu-import-zone", "zone", "ulanqab"),
    ("和林格尔新区", "industry-horinger-new-area", "zone", "hohhot"),
    ("跨境电子商务综合试验区", "zone-hohhot-cbec", "zone", "hohhot"),
    ("乌大张", "zone-wu-da-zhang", "zone", "ulanqab"),
    ("土默川平原", "agri-tumochuan-plain", "agri", "hohhot"),
    ("百万亩经济林", "agri-qingshuihe-economic-forest", "agri", "hohhot"),
    ("林果基地", "agri-horinger-fruit-base", "agri", "hohhot"),
    ("昭君文化旅游区", "tourism-zhaojun-culture", "tourism", "hohhot"),
    ("黄河大峡谷国家5A级", "tourism-yellow-river-gorge-5a", "tourism", "hohhot;ordos"),
    ("马鬃山", "tourism-mazongshan-ski", "tourism", "hohhot"),
    ("大青山全国红色旅游", "tourism-daqingshan-red", "tourism", "hohhot;baotou;ulanqab"),
    ("地铁1号线", "rail-hohhot-metro-1", "metro", "hohhot"),
    ("地铁2号线", "rail-hohhot-metro-2", "metro", "hohhot"),
]


@pytest.mark.parametrize(("words", "fid", "kind", "cities"), NEW_PROJECTS, ids=[p[1] for p in NEW_PROJECTS])
def test_the_named_projects_exist_with_their_kinds_and_cities(words, fid, kind, cities):
    feature = next(row for row in table("geodata/features.csv") if row["id"] == fid)
    assert words in feature["name_zh"]
    assert (feature["kind"], feature["cities"]) == (kind, cities)
    assert (feature["geometry"] == "unlocated") == (cities == "")


def test_a_project_at_several_sites_is_drawn_at_each():
    from build_atlas.inputs.model import gather

    atlas = gather(ROOT)
    sites = {fid: len(atlas.features.loc[fid, "geometry"].geoms)
             for fid in ("water-risky-reservoirs", "zone-hbe-innovation-demo", "industry-tuo-qing-zhun-parks")}
    assert sites == {"water-risky-reservoirs": 2, "zone-hbe-innovation-demo": 3, "industry-tuo-qing-zhun-parks": 3}


def test_every_new_kind_is_used_and_every_gazetteer_place_says_where_it_comes_from():
    kinds = {row["kind"] for row in table("geodata/features.csv")}
    assert {"metro", "power", "water", "zone", "agri", "tourism"} <= kinds
    for row in table("geodata/gazetteer.csv"):
        assert re.fullmatch(r"geonames:\d+|county-seat:\d{6}.*|manual:.+", row["source"]), row["id"]
        assert float(row["precision_m"]) > 0, row["id"]


# ------------------------------------------------------------------------------- READMEs match the files

def test_the_geodata_readme_counts_match_the_tables():
    readme = re.sub(r"\s+", " ", (ROOT / "geodata" / "README.md").read_text(encoding="utf-8"))
    features, places = table("geodata/features.csv"), table("geodata/gazetteer.csv")
    kinds = re.search(r"\*\*kind\*\*(.*?) features", readme).group(1)
    stated = {key: int(n) for key, n in re.findall(r"`([a-z-]+)` (\d+)", kinds)}
    assert stated == {kind: sum(f["kind"] == kind for f in features) for kind in {f["kind"] for f in features}}
    assert f"— {len(features)} features, {sum(f['geometry'] == 'unlocated' for f in features)} of them" in readme
    for geometry in ("point", "line", "points"):
        assert f"`{geometry}` {sum(f['geometry'] == geometry for f in features)}" in readme
    assert f"({len(places)} places; {sum(not p['adcode'] for p in places)} outside" in readme
    for source in ("geonames", "county-seat", "manual"):
        count = sum(p["source"].startswith(source + ":") for p in places)
        assert re.search(rf"`{source}:<[a-z ]+>` \({count}[):]", readme), source


def test_the_project_page_marks_a_mention_as_not_counting():
    from build_atlas.inputs.model import gather
    from build_atlas.outputs.pages import project_context

    context = project_context(gather(ROOT), "airport-hohhot-new")
    rows = {row["measure"]: row for row in context["statements"]}
    assert not rows["r23-01"]["about"]  # the page prints 仅提及 for it
    assert rows["pl21-0601-03"]["about"] and rows["pl21-0601-03"]["status_zh"] == "实施建设"


# ------------------------------------------------------------------- named items found missing (issue 26)

NAMED_ITEMS = [  # (words the documents print, feature id) for each named item that had no project and no alias
    ("中蒙博览会永久性国际会展中心", "ps-hohhot-expo-venue"),
    ("中国—蒙古国博览会永久会址", "ps-hohhot-expo-venue"),
    ("乌兰恰特群众艺术馆", "ps-inner-mongolia-mass-art-centre"),
    ("马文化展示交流中心", "ps-horse-culture-centre"),
    ("呼和塔拉文化传媒交流中心", "ps-hohhot-tala-media-centre"),
    ("十五年一贯制蒙古族学校", "ps-mongolian-15-year-school"),
    ("内蒙古公共实训中心", "ps-public-training-centre"),
    ("呼和浩特职业学院", "ps-hohhot-vocational-college"),
    ("蒙中医院医养结合", "ps-hohhot-mongolian-chinese-medicine-hospital"),
    ("呼和浩特第一医院", "ps-hohhot-first-hospital"),
    ("内蒙古敕勒川医院", "ps-chilechuan-hospital"),
    ("国家区域医疗中心", "ps-national-regional-medical-centre"),
    ("内蒙古医科大学附属中医蒙医医院", "ps-chinese-mongolian-medicine-hospital"),
    ("中职园区", "ps-hohhot-vocational-school-park"),
    ("内蒙古农业大学乳业学院", "ps-dairy-college"),
    ("省级区域医疗中心", "ps-provincial-medical-centres"),
    ("重大疫情救治基地", "ps-central-epidemic-treatment-base"),
    ("京蒙“人才社区”", "ps-hohhot-talent-community"),
    ("国家北方能源总部基地", "industry-north-energy-hq-base"),
    ("光伏材料产业基地", "industry-hohhot-pv-materials-base"),
    ("稀土新材料产业基地", "industry-baotou-rare-earth-materials-base"),
    ("煤基等新材料产业基地", "industry-ordos-coal-materials-base"),
    ("石墨新材料产业基地", "industry-ulanqab-graphite-base"),
    ("大数据清洗加工基地", "industry-data-processing-bases"),
    ("国家技术标准创新基地（乳业）", "industry-dairy-standard-base"),
    ("国家级乳业知识产权运营中心", "industry-dairy-ip-centre"),
    ("国家草种业技术创新中心", "industry-grass-seed-innovation-centre"),
    ("草业技术创新中心", "industry-grass-innovation-centre"),
    ("内蒙古实验室", "industry-inner-mongolia-labs"),
    ("草原家畜生殖调控与繁育国家重点实验室", "industry-grassland-livestock-key-lab"),
    ("氢硅产业应用与安全技术创新中心", "industry-hydrogen-silicon-centre"),
    ("制剂中心", "industry-pharma-preparation-centre"),
    ("和林格尔人才科创中心", "industry-horinger-talent-centre"),
    ("分布式电力发电与智慧城市电子信息系统研发及产业化基地", "industry-distributed-power-smartcity-base"),
    ("内蒙古乳业技术研究院", "industry-dairy-research-institute"),
    ("旅蒙云商小镇", "zone-lvmeng-cloud-commerce-town"),
    ("伊利健康谷", "industry-yili-health-valley"),
    ("内蒙古枢纽节点", "industry-horinger-dc-cluster"),
]


@pytest.mark.parametrize(("words", "fid"), NAMED_ITEMS, ids=[w for w, _ in NAMED_ITEMS])
def test_each_named_item_is_a_project_or_an_alias_of_one_and_its_clause_names_it(measures, words, fid):
    from build_atlas.inputs.texts import TO_SIMPLIFIED

    feature = next(row for row in table("geodata/features.csv") if row["id"] == fid)
    aliases = [row["alias"] for row in table("geodata/aliases.csv") if row["feature"] == fid]
    assert any(words in name for name in [feature["name_zh"], *aliases]) or \
        any(words in TO_SIMPLIFIED.convert(s["quote"]) for s in table("geodata/statements.csv") if s["feature"] == fid)
    texts = {m["id"]: TO_SIMPLIFIED.convert(m["text"]) for m in measures}
    assert any(words in texts[s["measure"]] for s in table("geodata/statements.csv") if s["feature"] == fid)


def test_a_public_service_building_is_drawn_only_at_a_published_address():
    """Never at a city's or county's point: a hospital or school drawn there would look placed when it is not."""
    places = {row["id"]: row for row in table("geodata/gazetteer.csv")}
    kinds = {row["id"]: row["kind"] for row in table("geodata/features.csv")}
    drawn_at = [(w["feature"], places[w["place"]]["source"]) for w in table("geodata/waypoints.csv")
                if kinds[w["feature"]] == "public-service"]
    assert drawn_at and all(source.startswith("manual:") and "位于" in source for _, source in drawn_at)
