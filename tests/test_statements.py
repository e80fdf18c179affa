"""What the documents' words say of projects and dates (issue 26): every quote names its project, a project named
only as a host or far end is a mention, and the deadlines a clause states in its text are recorded.

Fault tests edit a scratch copy of the real, valid project and assert the exact (file, line, column, code) list.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from build_atlas.inputs.quotes import named_at, only_mentioned, project_names, written_whole

from .conftest import copy_project
from .test_validation import MEASURES, STATEMENTS, Table, located, problems_of

ROOT = Path(__file__).resolve().parent.parent
ALIASES = "geodata/aliases.csv"
# Cell numbers of the documented layouts, written out so that a test does not borrow the product's.
STATEMENT_COL = {"quote": 4, "relation": 5}


def table(name: str) -> list[dict]:
    with open(ROOT / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def pristine_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("statements") / "atlas")


@pytest.fixture
def copy(pristine_copy: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine_copy, tmp_path / "atlas", symlinks=True))


# ------------------------------------------------------------------------------- a quote names its project

PLACES = [("土左旗", "土默特左旗"), ("和林", "和林格尔")]


@pytest.mark.parametrize(("name", "aliases", "own_city", "quote"), [
    ("固阳县通用机场", [], "", "布局建设清水河县、固阳县、凉城县、乌审旗等通用机场"),  # a list that shares its noun
    ("蒙西至天津特高压绿色电力外送通道", [], "", "规划建设蒙西至河北、至天津、至安徽特高压绿色电力外送通道"),
    ("包头至银川高铁", [], "", "加快实施包头至银川、鄂尔多斯至榆林至延安高速铁路"),  # 高速铁路 = 高铁
    ("呼和浩特地铁1号线", [], "呼和浩特市", "積極推進地鐵1、2號線建設"),  # a Hohhot document's own metro
    ("和林格尔新区", [], "", "和林新區智能制造產業園"),  # 和林 is short for 和林格尔 (aliases.csv)
    ("引黄入呼（三期）供水工程", [("引黄入呼三期", "引黄入呼（三期）供水工程")], "", "分期实施引黄入呼三期工程"),
    ("中国（呼和浩特）跨境电子商务综合试验区", [], "", "加快推進中國(呼和浩特)跨境電子商務綜合實驗區建設"),
])
def test_a_name_counts_whole_in_pieces_short_or_without_its_own_city(name, aliases, own_city, quote):
    assert named_at(project_names(name, aliases, PLACES, own_city), quote) is not None


@pytest.mark.parametrize(("name", "quote"), [
    ("呼和浩特新机场（盛乐国际机场）", "推进呼和浩特、鄂尔多斯航空口岸建设"),  # an air port of entry, not the airport
    ("呼和浩特地铁1号线", "优化城市地铁线网"),
    ("呼和浩特至包头高铁", "加快建设呼和浩特至包头"),  # the quote stops before the name ends
    ("呼和浩特金山国家高新区", "推进呼包鄂高新区“提质进位”"),
])
def test_a_quote_that_leaves_out_the_name_does_not_name_the_project(name, quote):
    assert named_at(project_names(name, [], PLACES), quote) is None


def test_validator_rejects_a_quote_that_does_not_name_its_project(copy):
    statements = Table(copy, STATEMENTS)
    row = statements.find(feature="hsr-hohhot-baotou", measure="pl21-0601-01")
    statements.set(row, "quote", "加快建设呼和浩特至包头").save()  # as it was: the name stopped at 包头
    assert located(problems_of(copy)) == [(STATEMENTS, statements.line(row), STATEMENT_COL["quote"],
                                           "quote-without-name")]


def test_an_alias_for_the_printed_short_form_makes_the_quote_name_the_project(copy):
    aliases = Table(copy, ALIASES)
    aliases.rows = [r for r in aliases.rows if r[0] != "引黄入呼三期"]
    aliases.save()
    statements = Table(copy, STATEMENTS)
    rows = [statements.find(feature="energy-yellow-river-to-hohhot-3", measure=m) for m in ("hs23-12", "hs23-a33")]
    assert located(problems_of(copy)) == [(STATEMENTS, statements.line(row), STATEMENT_COL["quote"],
                                           "quote-without-name") for row in rows]


def test_the_issues_examples_are_fixed():
    rows = {(r["feature"], r["measure"]): r for r in table(STATEMENTS)}
    measures = {r["id"]: r for r in table(MEASURES)}
    assert rows[("logistics-mandula-port", "pl21-0602-01")]["relation"] == "mention"
    assert ("airport-hohhot-new", "pl21-0902-02") not in rows
    assert "airport-hohhot-new" not in measures["pl21-0902-02"]["features"].split(";")
    for fid in ("rail-hohhot-metro-1", "rail-hohhot-metro-2"):  # the clauses name the network, not a line
        assert (fid, "hs23-12") not in rows and (fid, "hs23-a31") not in rows
    assert rows[("hsr-hohhot-baotou", "pl21-0601-01")]["quote"] == "加快建设呼和浩特至包头、包头至鄂尔多斯高速铁路"


# ----------------------------------------------------------------- a host or a far end is only mentioned

@pytest.mark.parametrize(("name", "quote", "why"), [
    ("满都拉口岸", "加强核心区与二连浩特、满都拉口岸设施联通、业务联动", "连接的另一端"),
    ("满都拉口岸", "优化建设连接甘其毛都口岸和满都拉口岸的高速公路、一级公路", "连接的另一端"),
    ("集宁大数据产业园", "构建以和林格尔新区、集宁大数据产业园为起步区", "起步区"),
    ("什拉乌素河", "以大黑河、昆都仑河、浑河、什拉乌素河等河流为骨干河道，统筹加强防洪减灾体系建设", "骨干"),
    ("呼和浩特白塔机场", "依托白塔机场搬迁后释放土地打造东部生态宜居片区", "依托"),
    ("呼和浩特新机场", "支持启动实施呼和浩特新机场至清水河", "一端"),
])
def test_a_host_a_starting_area_a_backbone_or_a_far_end_is_told(name, quote, why):
    names = project_names(name, [], PLACES, "呼和浩特市" if "呼和浩特" in name else "")
    assert why in only_mentioned(quote, written_whole(names, quote))[0]


@pytest.mark.parametrize(("name", "quote"), [
    ("呼和浩特航天经济开发区", "依托科研院所设立呼和浩特航天经济开发区"),  # 依托 governs the institutes
    ("库布其沙漠", "以库布其沙漠、毛乌素沙地为重点，科学推进防沙固沙治沙"),  # the focus of the works
    ("云中路新机场连接线", "加快建設云中路新機場連接線工程"),  # a link's own name
    ("呼和浩特至包头高铁", "推动呼和浩特至包头高铁及延伸线（呼和浩特至新机场段）项目前期工作"),
])
def test_a_project_the_clause_works_on_is_not_taken_for_a_host(name, quote):
    span = written_whole(project_names(name, [], PLACES), quote)
    assert span is not None and only_mentioned(quote, span) is None


@pytest.mark.parametrize(("feature", "measure"), [("logistics-mandula-port", "pl21-0602-01"),
                                                  ("eco-hunhe", "pl21-0605-01")])
def test_validator_rejects_about_for_a_project_named_only_as_host_or_far_end(copy, feature, measure):
    statements = Table(copy, STATEMENTS)
    row = statements.find(feature=feature, measure=measure)
    statements.set(row, "relation", "about").save()
    assert located(problems_of(copy)) == [(STATEMENTS, statements.line(row), STATEMENT_COL["relation"],
                                           "host-as-about")]


# ------------------------------------------------------------------------- dates the clauses' texts state

STATED = "geodata/stated_deadlines.csv"
STATED_COL = {"measure": 1, "deadline": 2, "kind": 3, "quote": 4}
MEASURE_TEXT_COL = 7


def test_every_date_a_clause_states_for_itself_is_recorded_with_its_words():
    rows = [(r["measure"], r["deadline"], r["kind"], r["quote"]) for r in table(STATED)]
    assert ("hs23-03", "2023", "works", "确保2023年建成投用") in rows  # the issue's example
    assert ("hs23-a03", "2023", "works", "确保2023年建成投用") in rows
    assert ("pl21-0204-2025", "2025", "target", "到2025年，呼包鄂乌一体化发展取得实质性进展") in rows
    assert ("hh19-09", "2019", "works", "推動京呼高鐵年內通車") in rows  # 年内: the document's year
    assert len(rows) == 6


@pytest.mark.parametrize(("row", "expected"), [
    (["hs23-99", "2023", "works", "确保2023年建成投用"], [("measure", "dangling-ref")]),
    (["hs23-03", "2023", "deadline", "确保2023年建成投用"], [("kind", "unknown-key")]),
    (["hs23-03", "2023年", "works", "确保2023年建成投用"], [("deadline", "bad-deadline")]),
    (["hs23-03", "2023", "works", "确保2024年建成投用"], [("quote", "quote-not-in-text")]),
    (["hs23-03", "2024", "works", "确保2023年建成投用"], [("deadline", "date-not-in-quote")]),
    (["hs23-03", "2023-06", "works", "确保2023年建成投用"], [("deadline", "date-not-in-quote")]),  # no month printed
    (["hh19-09", "2020", "works", "推動京呼高鐵年內通車"], [("deadline", "date-not-in-quote")]),  # 年内 = 2019
    (["hs23-02", "2028", "target", "用5年左右时间，地区生产总值突破5000亿元"], []),  # 2023 + 5
    (["hs23-03", "2023", "", "确保2023年建成投用"], [("kind", "required")]),
])
def test_validator_checks_each_stated_deadline_against_its_clause(copy, row, expected):
    stated = Table(copy, STATED)
    stated.rows.append(row)
    stated.save()
    line = stated.line(len(stated.rows) - 1)
    assert located(problems_of(copy)) == [(STATED, line, STATED_COL[column], code) for column, code in expected]


def test_validator_names_a_clause_whose_stated_date_is_not_recorded(copy):
    stated = Table(copy, STATED)
    stated.rows = [r for r in stated.rows if r[0] != "hs23-a03"]
    stated.save()
    measures = Table(copy, MEASURES)
    [problem] = problems_of(copy)
    assert (problem.file, problem.line, problem.column, problem.code) == (
        MEASURES, measures.line(measures.find(id="hs23-a03")), MEASURE_TEXT_COL, "unrecorded-deadline")
    assert "确保2023年" in problem.message


def test_the_card_shows_the_date_the_text_states_apart_from_the_printed_deadline():
    from datetime import date

    from build_atlas.inputs.model import gather
    from build_atlas.outputs import pages
    from build_atlas.outputs.dictionary import NO_DOWNLOADS

    atlas = gather(ROOT)
    assert list(atlas.stated_deadlines.columns[:4]) == ["measure", "deadline", "kind", "quote"]
    rendered = pages.render_pages(atlas, today=date(2026, 12, 7), site_url="", downloads=NO_DOWNLOADS, history=[])
    card = rendered["cities/hohhot.md"].split('id="m-hs23-03"')[1].split("</div>")[0]
    assert "<span>文中时限：2023年（原文“确保2023年建成投用”）</span>" in card and "完成时限" not in card
    card = rendered["cities/hohhot.md"].split('id="m-hh19-09"')[1].split("</div>")[0]
    assert "文中时限：2019年（原文“推動京呼高鐵年內通車”，年份按文件日期推算）" in card
    assert "文中目标：2025年" in rendered["cities/ulanqab.md"]
    data_page = rendered["data.md"]  # offered for download and in the data dictionary, like every table
    assert "(data/stated_deadlines.csv)" in data_page and "### `geodata/stated_deadlines.csv`" in data_page


# ------------------------------------------------------------------------------------------- the changelog

def test_the_changelog_shows_a_statement_on_its_project_and_a_stated_date_on_its_measure(project):
    import os
    import subprocess

    from build_atlas.inputs import changes

    statements = Table(project, STATEMENTS)
    statements.set(statements.find(feature="eco-daheihe", measure="pl21-0605-01"), "relation", "about").save()
    stated = Table(project, STATED)
    stated.rows = [r for r in stated.rows if r[0] != "hs23-a03"]
    stated.save()
    expected = [("修改举措", [("hs23-a03", ["文中时限"])]), ("修改项目", [("eco-daheihe", ["各文件的表述"])])]

    def groups(entry: dict) -> list:
        return [(g["label"], [(i["id"], i["fields"]) for i in g["rows"]]) for g in entry["groups"]]

    [preview] = [e for e in changes.history(project) if e["preview"]]
    assert groups(preview) == expected
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "Data"],
                   cwd=project, check=True, env={**os.environ, "GIT_COMMITTER_DATE": "2030-01-02T12:00:00+00:00"})
    entries = changes.history(project)
    assert entries[0]["date"] == "2030-01-02" and groups(entries[0]) == expected
