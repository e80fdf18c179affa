"""Drafting measure rows from a document's text: numbering, units and deadlines, bad input, the re-import bar."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from build_atlas.inputs.rules import ID_PATTERN
from build_atlas.tools.draft import HEADER, draft_text, to_csv
from build_atlas.tools.draft.check import BAR_CLAUSES, BAR_UNITS, run
from build_atlas.tools.draft.classify import THEME_KEYWORDS
from build_atlas.tools.draft.units import normalise_deadline, parse_tail, split_tail

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "tests/fixtures/draft"  # one text per published layout, with the rows it must give beside it

REGISTRY = """
- key: region-2030
  file: region-2030.txt
  level: region
  issuer: 内蒙古自治区人民政府
  number: 内政发〔2030〕9号
  date: "2030-01-10"
- key: baotou-2030
  file: baotou-2030.txt
  level: city
  city: baotou
  issuer: 包头市人民政府
  number: ""
  date: "2030-03-01"
- key: tiny
  file: tiny.txt
  level: region
  issuer: 内蒙古自治区人民政府
  date: "2030"
"""
MEASURES = [
    {"id": "rg30-01", "doc": "region-2030", "clause": "（一）",
     "text": "建设呼和浩特至包头高铁，打造1小时铁路经济圈。"},
    {"id": "rg30-02", "doc": "region-2030", "clause": "（二）",
     "text": "共建养老服务信息平台，推进四市养老机构连锁化发展。"},
]
COUNTIES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": None, "properties": {"adcode": code, "name_zh": name, "city": city}}
    for code, name, city in (("150122", "托克托县", "hohhot"), ("150221", "土默特右旗", "baotou"),
                             ("150621", "达拉特旗", "ordos"), ("150925", "凉城县", "ulanqab"))]}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A tiny project: a registry, two measures, four counties, one gazetteer place, two features."""
    (tmp_path / "docs/documents").mkdir(parents=True)
    (tmp_path / "docs/documents/documents.yml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "geodata/boundaries").mkdir(parents=True)
    (tmp_path / "geodata/boundaries/counties.geojson").write_text(json.dumps(COUNTIES), encoding="utf-8")
    (tmp_path / "geodata/gazetteer.csv").write_text(
        "id,name_zh,name_en,lon,lat,adcode,source,precision_m\n"
        "xieliqi,协力气,Xieliqi,110.9,40.6,150221,manual:test,5000\n", encoding="utf-8")
    (tmp_path / "geodata/features.csv").write_text(
        "id,kind,name_zh,name_en,cities,geometry,precision,note\n"
        "hsr-hohhot-baotou,hsr,呼和浩特至包头高铁,Hohhot–Baotou HSR,hohhot;baotou,line,schematic,\n"
        "airport-hohhot-new,airport,呼和浩特新机场,Hohhot new airport,hohhot,point,schematic,\n", encoding="utf-8")
    with open(tmp_path / "measures.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows({**dict.fromkeys(HEADER, ""), **m} for m in MEASURES)
    return tmp_path


def rows_of(project: Path, text: str, key: str = "region-2030", measures: list | None = None):
    return draft_text(text, key, project, measures=measures if measures is not None else []).rows


def pick(rows, *columns):
    return [tuple(row[c] for c in columns) for row in rows]


# --- numbering schemes -------------------------------------------------------------------------------------------

def test_paren_clauses_under_part_headings_with_units_taken_out(project):
    text = """关于推动发展的若干举措
一、基础设施
（一）打造1小时铁路经济圈，实施呼和浩特至包头高铁项目。（责任单位：自治区发展改革委、财政厅，四市人民政府）
（二）完善公路网，加快建设国省干线。（责任单位：自治区交通运输厅）
二、组织保障
（三）强化统筹指导，每年召开领导小组会议。（责任单位：领导小组办公室）
本通知自印发之日起施行。
2030年1月10日
"""
    rows = rows_of(project, text)
    assert pick(rows, "clause", "section", "units") == [
        ("（一）", "一、基础设施", "自治区发展改革委;财政厅;四市人民政府"),
        ("（二）", "一、基础设施", "自治区交通运输厅"),
        ("（三）", "二、组织保障", "领导小组办公室"),
    ]
    assert rows[0]["text"] == "打造1小时铁路经济圈，实施呼和浩特至包头高铁项目。"
    assert rows[2]["text"] == "强化统筹指导，每年召开领导小组会议。"  # the closing lines are not part of it
    assert rows[0]["title"] == "打造1小时铁路经济圈"


def test_the_english_title_is_left_empty_for_staff_and_the_report_says_so(project):
    text = "一、基础设施\n（一）打造1小时铁路经济圈，实施呼和浩特至包头高铁项目。（责任单位：自治区发展改革委）\n"
    draft = draft_text(text, "region-2030", project, measures=[])
    assert [(row["title"], row["title_en"]) for row in draft.rows] == [("打造1小时铁路经济圈", "")]
    assert "title_en 列留空，请审核时补写英文标题（未补写也能生成网站，校验会逐行提醒）" \
           " / title_en is left empty: write the English titles in review" in draft.notes
    assert list(csv.DictReader(io.StringIO(to_csv(draft.rows))))[0]["title_en"] == ""


def test_half_width_paren_clauses_with_deadline_field(project):
    text = """一、增强基础设施
(一)打造1小时铁路经济圈,推动呼和浩特至包头高铁项目前期工作。(责任单位:市发改委;完成时限:持续推进)
(二)完善2小时公路经济圈。(责任单位:市交通运输局;完成时限:2026年12月)
"""
    assert pick(rows_of(project, text, "baotou-2030"), "clause", "units", "deadline") == [
        ("(一)", "市发改委", "ongoing"), ("(二)", "市交通运输局", "2026-12")]


@pytest.mark.parametrize("dot", [".", "、", "．"])
def test_arabic_clauses_under_part_headings(project, dot):
    text = f"""一、產業協作發展
1{dot}推動托克托縣工業園區開展城市間產業合作試點，共同搭建產業合作平臺。(托克托縣、清水河縣人民政府,市發展改革委等)
2{dot}對重點產業園區引進世界500強企業的，對園區和企業分別給予一定獎勵。(市工業和信息化局)
二、其他
3{dot}本政策措施實施范圍為呼和浩特市各旗縣區所轄區域。
推進協同發展意義重大。市各有關部門要按照職責分工，細化配套措施。
"""
    rows = rows_of(project, text)
    assert pick(rows, "clause", "section") == [(f"1{dot}", "一、產業協作發展"), (f"2{dot}", "一、產業協作發展"),
                                               (f"3{dot}", "二、其他")]
    assert rows[0]["units"] == "托克托縣人民政府;清水河縣人民政府;市發展改革委"
    assert rows[2]["text"] == "本政策措施實施范圍為呼和浩特市各旗縣區所轄區域。"
    assert rows[0]["title"] == "推动托克托县工业园区开展城市间产业合作试点"[:20]


def test_part_numbers_are_clauses_when_they_carry_the_text(project):
    text = """一、加快建设呼和浩特至包头高铁，打造1小时铁路经济圈，提升动车组开行效率。（责任单位：自治区发展改革委）
二、共建养老服务信息平台，推进四市养老机构品牌化、连锁化、规模化发展。（责任单位：自治区民政厅）
"""
    assert pick(rows_of(project, text), "clause", "units") == [("一、", "自治区发展改革委"), ("二、", "自治区民政厅")]


def test_chapters_sections_and_lead_phrase_paragraphs(project):
    text = """规划
目录前言第一章发展背景第一节发展基础第二章空间格局第一节优化城市功能定位第二节水利
前言
本规划是指导当前和今后一个时期一体化发展的纲领性文件。
第二章空间格局
立足四市资源环境承载能力，优化城市群内部空间结构。
第一节优化城市功能定位
依托特色资源和产业基础，优化四市城市功能布局。
呼和浩特市重点提升服务功能。发挥科教文卫资源丰富等优势，建设国家级乳业、大数据、光伏
产业基地和动物疫苗研发基地。
包头市重点发挥制造业辐射功能。发挥稀土资源富集优势。
规划建设蒙西至河北、至天津、至安徽、至河南、至南网特高压绿色电力外送通道。实施蒙西电网与华北主网异步联网工程。
第二节　统筹推进水利基础设施建设
以黄河为纽带，统筹加强防洪减灾体系建设。建设引黄入呼（三期）供水扩建工程。
"""
    rows = rows_of(project, text)
    # the opening paragraphs of a chapter and of a section are rows of their own, as in measures.csv
    assert pick(rows, "clause", "section", "title") == [
        ("第二章", "第二章 空间格局", "立足四市资源环境承载能力"),
        ("第二章第一节", "第一节 优化城市功能定位", "依托特色资源和产业基础"),
        ("第二章第一节", "第一节 优化城市功能定位", "呼和浩特市重点提升服务功能"),
        ("第二章第一节", "第一节 优化城市功能定位", "包头市重点发挥制造业辐射功能"),
        ("第二章第二节", "第二节 统筹推进水利基础设施建设", "以黄河为纽带"),
    ]
    assert rows[2]["text"].endswith("建设国家级乳业、大数据、光伏产业基地和动物疫苗研发基地。")  # a page break joined
    # a paragraph without a lead phrase joins the one before it
    assert rows[3]["text"].endswith("发挥稀土资源富集优势。规划建设蒙西至河北、至天津、至安徽、至河南、"
                                    "至南网特高压绿色电力外送通道。实施蒙西电网与华北主网异步联网工程。")
    assert [row["id"] for row in rows] == ["region-2030-0200-01", "region-2030-0201-01", "region-2030-0201-02",
                                           "region-2030-0201-03", "region-2030-0202-01"]


def test_annex_table_of_short_lines_gives_one_row_per_item(project):
    text = """（一）建设“世界乳都”。创建国家级乳业知识产权运营中心、内蒙古农业大学乳业学院，加快建设奶牛繁育基地。
（二）打造“中国云谷”。出台支持和林格尔数据中心集群发展的若干意见，建设国家算力枢纽节点。
 附件

重点支持事项清单

\t序号
\t支  持  事  项
\t责 任 单 位
\t完成时限

\t1
\t创建国家级乳业知识产权运营中心、内蒙古农业大学乳业学院
\t自治区市场监管局、教育厅
\t2025年底前

\t2
\t出台《支持和林格尔数据中心集群发展的若干意见》
\t自治区党委组织部、
科技厅
\t持续推进

\t说明：每项任务均涉及呼和浩特市。
"""
    rows = rows_of(project, text)
    assert pick(rows, "clause", "section", "units", "deadline") == [
        ("（一）", "", "", ""), ("（二）", "", "", ""),
        ("附件 1", "重点支持事项清单", "自治区市场监管局;教育厅", "2025-12"),
        ("附件 2", "重点支持事项清单", "自治区党委组织部;科技厅", "ongoing"),
    ]
    assert rows[1]["text"].endswith("建设国家算力枢纽节点。")  # the annex heading ends the last clause
    assert rows[2]["text"] == "创建国家级乳业知识产权运营中心、内蒙古农业大学乳业学院"
    assert [row["implements"] for row in rows[2:]] == [rows[0]["id"], rows[1]["id"]]  # the clause each carries out


# --- units and deadlines -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("bracket", "units"), [
    ("（责任单位：自治区发展改革委、财政厅，中国铁路呼和浩特局集团有限公司）",
     ["自治区发展改革委", "财政厅", "中国铁路呼和浩特局集团有限公司"]),
    ("（责任单位：自治区发展改革委，四市人民政府按职责分工负责，下同。以下各项任务均涉及四市，不再列出）",
     ["自治区发展改革委", "四市人民政府（按职责分工负责）"]),  # a division of duties is a role, kept
    ("(托克托縣、清水河縣人民政府,市發展改革委、區域經濟合作局等)",
     ["托克托縣人民政府", "清水河縣人民政府", "市發展改革委", "區域經濟合作局"]),
    ("(市自然資源局,市有關部門配合)", ["市自然資源局", "市有關部門（配合）"]),
    ("(市各有關部門按照職責分別牽頭)", ["市各有關部門（按照職責分別牽頭）"]),
    ("（牵头单位：市发改委；配合单位：市财政局、市商务局）", ["市发改委", "市财政局（配合）", "市商务局（配合）"]),
    ("(市商務局、呼和浩特經濟技術開發區、和林格爾新區管委會)",
     ["市商務局", "呼和浩特經濟技術開發區管委會", "和林格爾新區管委會"]),  # a zone's unit is its 管委會
    ("（责任单位：呼和浩特市、包头市公安局）", ["呼和浩特市公安局", "包头市公安局"]),
])
def test_units_are_split_distributed_and_keep_their_roles(bracket, units):
    body, content = split_tail("推进协同发展。" + bracket)
    assert body == "推进协同发展。"
    assert parse_tail(content).units == units


def test_a_trailing_bracket_that_names_no_units_stays_in_the_text():
    assert split_tail("申报综合保税区（B型）") == ("申报综合保税区（B型）", None)
    assert split_tail("建设引黄入呼工程（三期）") == ("建设引黄入呼工程（三期）", None)


@pytest.mark.parametrize(("printed", "value"), [
    ("2024年12月", "2024-12"), ("2024年底前", "2024-12"), ("2024年年底", "2024-12"), ("2025年", "2025-12"),
    ("2024年6月底前", "2024-06"), ("2025年上半年", "2025-06"), ("2025年第三季度", "2025-09"),
    ("持续推进", "ongoing"), ("持續推進", "ongoing"), ("长期坚持", "long-term"), ("長期堅持", "long-term"),
    ("2024—2025年", "2025-12"), ("适时", ""),
])
def test_deadlines_are_normalised_to_the_schema(printed, value):
    assert normalise_deadline(printed) == value


def test_a_deadline_that_cannot_be_read_is_left_empty_with_a_note(project):
    text = "(一)打造铁路经济圈。(责任单位:市发改委;完成时限:适时启动)\n(二)完善公路网。(责任单位:市交通运输局)\n"
    draft = draft_text(text, "baotou-2030", project, measures=[])
    assert draft.rows[0]["deadline"] == ""
    assert any("适时启动" in note and "第 1 行" in note for note in draft.notes)


# --- the guessed columns -------------------------------------------------------------------------------------------

def test_cities_follow_the_readme_rule(project):
    text = """（一）支持呼包鄂协同发展，推进托克托县工业园区建设。（责任单位：甲局）
（二）推进协力气至凉城县公路建设。（责任单位：乙局）
（三）完善四市政务数据共享主题库。（责任单位：丙局）
（四）完善区域投诉信息公开机制。（责任单位：丁局）
"""
    assert [row["cities"] for row in rows_of(project, text)] == [
        "hohhot;baotou;ordos", "baotou;ulanqab", "hohhot;baotou;ordos;ulanqab", "hohhot;baotou;ordos;ulanqab"]
    text = "(一)完善区域投诉信息公开机制。(责任单位:市市场监管局)\n(二)支持达拉特旗公交。(责任单位:市交通局)\n"
    city_doc = rows_of(project, text, "baotou-2030")
    assert [row["cities"] for row in city_doc] == ["baotou", "baotou;ordos"]


def test_a_city_plan_proposes_the_regional_measure_it_carries_out(project):
    text = """为落实《关于推动一体化发展若干举措的通知》(内政发〔2030〕9号)，制定本方案。
(一)共建养老服务信息平台，促进我市养老机构连锁化发展。(责任单位:市民政局;完成时限:2030年12月)
(二)推动呼和浩特至包头高铁项目前期工作，融入1小时铁路经济圈。(责任单位:市发改委;完成时限:持续推进)
"""
    rows = rows_of(project, text, "baotou-2030", measures=MEASURES)
    assert [row["implements"] for row in rows] == ["rg30-02", "rg30-01"]
    assert rows[1]["features"] == "hsr-hohhot-baotou"
    assert [row["id"] for row in rows] == ["baotou-2030-01", "baotou-2030-02"]
    assert all(row["status"] == "" and ID_PATTERN.match(row["id"]) for row in rows)


def test_features_are_found_by_alias_when_the_alias_table_exists(project):
    text = "（一）加快建设呼市新机场，完善周边路网。（责任单位：甲局）\n（二）推进白塔机场搬迁。（责任单位：乙局）\n"
    assert rows_of(project, text)[0]["features"] == ""  # no aliases.csv: tolerated
    (project / "geodata/aliases.csv").write_text("feature,alias\nairport-hohhot-new,呼市新机场\n", encoding="utf-8")
    assert rows_of(project, text)[0]["features"] == "airport-hohhot-new"


def test_themes_come_from_the_keyword_table_which_the_readme_lists(project):
    rows = rows_of(project, "（一）建设呼和浩特至包头高铁，完善城际铁路网。（责任单位：甲）\n"
                            "（二）共建养老服务信息平台，推进医疗资源共享。（责任单位：乙）\n")
    assert [row["themes"] for row in rows] == ["transport", "public-services;digital"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for theme, words in THEME_KEYWORDS.items():
        line = next((line for line in readme.splitlines() if line.startswith(f"| `{theme}`")), "")
        assert all(word in line for word in words), theme


# --- input as staff paste it ---------------------------------------------------------------------------------------

def test_debris_from_web_word_and_pdf_is_ignored(project):
    text = """内蒙古自治区人民政府公报
【打印】【关闭】
分享到：
一、基础设施
（一）[bookmark: _GoBack]打造1小时铁路经济圈，实施包头至银川
高铁项目，推进 2030 年建成投用。（责任单位：自治区发展改革委）
- 1 -
内蒙古自治区人民政府公报
（二）完善公路网。（责任单位：自治区交通运输厅）
第 2 页 共 3 页
内蒙古自治区人民政府公报
（三）推进城际公交。（责任单位：四市人民政府）
上一篇：关于某事的通知
0 条
"""
    rows = rows_of(project, text)
    assert [row["text"] for row in rows] == [
        "打造1小时铁路经济圈，实施包头至银川高铁项目，推进2030年建成投用。", "完善公路网。", "推进城际公交。"]


def test_a_text_without_numbering_gives_its_paragraphs_and_says_so(project):
    draft = draft_text("各地要加强组织领导。\n要细化配套措施，\n加大支持力度。\n", "tiny", project, measures=[])
    assert pick(draft.rows, "clause", "text") == [("第1段", "各地要加强组织领导。"),
                                                  ("第2段", "要细化配套措施，加大支持力度。")]
    assert any("未识别出条款编号" in note for note in draft.notes)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "build_atlas", *args], cwd=ROOT, capture_output=True, text=True)


def test_gbk_input_is_read_and_the_output_has_the_measures_header(tmp_path):
    source = (ROOT / "docs/documents/baotou-2024.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(source.encode("gb18030"))
    (tmp_path / "utf8.txt").write_text(source, encoding="utf-8")
    gbk, utf8 = run_cli("draft", str(tmp_path / "gbk.txt"), "--doc", "baotou-2024"), \
        run_cli("draft", str(tmp_path / "utf8.txt"), "--doc", "baotou-2024")
    assert gbk.returncode == 0 and "GBK" in gbk.stderr
    assert gbk.stdout == utf8.stdout
    rows = list(csv.DictReader(io.StringIO(gbk.stdout)))
    assert gbk.stdout.splitlines()[0] == (ROOT / "measures.csv").read_text(encoding="utf-8").splitlines()[0]
    assert len(rows) == 22 and rows[1]["deadline"] == "2026-12"


def test_an_undecodable_file_is_a_located_error_and_measures_csv_is_never_written(tmp_path):
    before = hashlib.sha256((ROOT / "measures.csv").read_bytes()).hexdigest()
    (tmp_path / "bad.txt").write_bytes("（一）第一条。\n（二）第二".encode() + b"\xff\xfe\x80 \n")
    result = run_cli("draft", str(tmp_path / "bad.txt"), "--doc", "baotou-2024")
    assert result.returncode == 1 and result.stdout == ""
    assert re.search(r"bad\.txt:2:6: \[encoding\]", result.stderr) and "未生成草稿" in result.stderr
    run_cli("draft", str(ROOT / "docs/documents/nzf-2023-23.txt"), "--doc", "nzf-2023-23")
    assert hashlib.sha256((ROOT / "measures.csv").read_bytes()).hexdigest() == before


def test_drafted_text_is_verbatim_from_the_source(project):
    source = (ROOT / "docs/documents/hohhot-2019.txt").read_text(encoding="utf-8")
    squeezed = re.sub(r"\s+", "", source)
    rows = draft_text(source, "hohhot-2019", ROOT, measures=[]).rows
    assert len(rows) == 48 and all(re.sub(r"\s+", "", row["text"]) in squeezed for row in rows)
    assert list(csv.reader(io.StringIO(to_csv(rows))))[0] == HEADER


# --- documents as portals publish them -----------------------------------------------------------------------------

def drafted_layout(project: Path, name: str):
    text = (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8")
    return draft_text(text, "portal-2030", project, measures=[])


@pytest.mark.parametrize("name", sorted(path.stem for path in LAYOUTS.glob("*.txt")))
def test_each_published_layout_gives_the_rows_a_careful_reader_writes(project, name):
    expected = yaml.safe_load((LAYOUTS / f"{name}.yml").read_text(encoding="utf-8"))
    draft = drafted_layout(project, name)
    rows = [(r["clause"], r["section"], r["title"], r["text"][:len(want[3])], r["units"])
            for r, want in zip(draft.rows, expected["rows"], strict=False)]
    assert (len(draft.rows), rows) == (len(expected["rows"]), [tuple(want) for want in expected["rows"]])
    if "ids" in expected:
        assert [row["id"] for row in draft.rows] == expected["ids"]
    left_out: dict[str, list[int]] = {}
    for item in draft.left_out:
        left_out.setdefault(item.code, []).append(item.line)
    assert left_out == expected["left_out"]
    assert [line.number for line in draft.unplaced] == expected["unplaced"]
    assert draft.proposal == expected["proposal"]
    assert any(note.startswith(f"版式：{expected['layout']} / layout:") for note in draft.notes)


def test_a_portal_copy_keeps_headings_out_of_the_text_and_the_preamble_out_of_the_rows(project):
    draft = drafted_layout(project, "notice-one-paragraph-a-line")
    assert [(row["clause"], row["text"][:7]) for row in draft.rows[:2]] == [("一、", "以协同发展为主"),
                                                                          ("二、", "到2032年,")]
    assert not any(word in row["text"] for row in draft.rows for word in ("印发给你们", "各盟行政公署", "此件公开发布"))


def test_the_report_names_the_layout_the_lines_left_out_and_the_paragraphs_placed_nowhere(project):
    notes = drafted_layout(project, "portal-page-blank-lines").notes
    assert "版式：政府网站页面，前有印发通知，段与段之间空一行 / layout: a portal page, after its issuing notice, " \
           "paragraphs separated by blank lines" in notes
    assert "已略去，不作为条款（共 23 行）/ left out of the rows:" in notes
    for line in ("  第 1–5 行 网站导航 / site navigation：无障碍浏览|长者模式",
                 "  第 6 行 当前位置 / breadcrumb：当前位置：首页>政务公开>政府文件>市政府文件",
                 "  第 8–11、15 行 信息公开元数据 / metadata block：索引号：11150600MB0000000X/2…",
                 "  第 19 行 印发通知 / issuing sentence：现将《鄂尔多斯市融入呼包鄂乌一体化行动方案（20…",
                 "  第 43–46 行 网页或 PDF 残留 / page debris：【打印本页】【关闭窗口】",
                 "未归入任何一行的段落 1 处，请确认是否应为条款 / paragraphs placed in no row:",
                 "  第 31 行：为全面融入呼包鄂乌一体化发展，制定本行动方案。",
                 "  number: 鄂府发〔2030〕8号", '  date: "2030-05-12"'):
        assert line in notes, line


def test_a_registered_document_is_told_only_where_the_page_says_otherwise(project):
    text = (LAYOUTS / "notice-one-paragraph-a-line.txt").read_text(encoding="utf-8")
    text = text.replace("内政发〔2030〕12号", "内政发〔2030〕9号")  # as registered
    notes = draft_text(text, "region-2030", project, measures=[]).notes
    heading = "读自页面和印发通知，建议写入 documents.yml（请核对）/ proposed for documents.yml:"
    proposed = notes[notes.index(heading) + 1:]
    assert proposed == ["  title: 《呼包鄂乌城际协作示范区建设》实施方案",
                        '  date: "2030-03-18"    # 已登记 / registered: 2030-01-10', "  script: simplified"]


def test_the_command_prints_the_report_on_stderr_and_only_rows_on_stdout():
    result = run_cli("draft", str(LAYOUTS / "html-traditional.txt"), "--doc", "portal-2030")
    assert result.returncode == 0
    assert "版式：政府网站页面，每段一行" in result.stderr and "script: traditional" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["clause"] for row in rows] == ["1.", "2.", "3."] and "<" not in result.stdout


# --- the re-import bar ---------------------------------------------------------------------------------------------

def test_redrafting_the_five_documents_meets_the_bar():
    results = run(ROOT)
    assert len(results) == 5
    for r in results:
        assert r.clauses >= BAR_CLAUSES * r.curated, r.key
        assert r.units + r.units_old_format >= BAR_UNITS * r.curated, r.key
        assert r.deadlines == r.printed_deadlines, r.key
