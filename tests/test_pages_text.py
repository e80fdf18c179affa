"""Pages the public can trust (issue 12): clean source texts that stay verbatim, a changelog of data changes only,
provenance on every page, the annex as a table, a 404 that works below a sub-path, text downloads that decode, and
no serious or critical axe-core violation at desktop and phone sizes."""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import socketserver
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest

from build_atlas.inputs import changes, texts
from build_atlas.inputs.load import read_inputs
from build_atlas.inputs.model import gather
from build_atlas.inputs.rules import squeeze
from build_atlas.inputs.validate import check
from build_atlas.outputs import dictionary, pages
from build_atlas.vocabulary.schema import TABLES

from .conftest import BUILD_DATE

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs/documents"
DATE = BUILD_DATE.isoformat()


def original(key: str) -> str:
    return (DOCS / f"{key}.txt").read_text(encoding="utf-8")


def cleaned(key: str) -> str:
    return texts.clean(key, original(key)).text


# --- 1. the display normalisation, one test per kind of debris --------------------------------------------------

def test_word_bookmark_marker_is_removed():
    assert "[bookmark: _GoBack]" in original("nzf-2023-23")
    assert "bookmark" not in cleaned("nzf-2023-23")
    assert "各盟行政公署、市人民政府，自治区各委" in cleaned("nzf-2023-23")


def test_portal_header_line_is_removed():
    assert "发布日期:2021-11-09来源：自治区人民政府办公厅" in original("plan-2021")
    assert "发布日期" not in cleaned("plan-2021")


def test_run_together_table_of_contents_is_removed():
    text = cleaned("plan-2021")
    assert "目录前言" not in text and "第一节优化创新空间布局第二节" not in text
    assert text.count("第十章推进规划实施") == 1  # the chapter heading stays, its contents-line twin goes
    assert text.splitlines().index("前言") < text.splitlines().index("第一章发展背景")


def test_stray_page_count_line_is_removed():
    assert "0 条" in original("baotou-2024")
    assert "0 条" not in cleaned("baotou-2024") and not cleaned("baotou-2024").rstrip().endswith("0条")


@pytest.mark.parametrize("key", sorted(texts.CLEANING))
def test_no_blank_or_whitespace_only_lines_remain(key):
    lines = cleaned(key).splitlines()
    assert lines and all(line.strip() == line and line for line in lines)


@pytest.mark.parametrize("key, word, broken", [
    ("plan-2021", "改革创新和对外开放", "改革创\n"), ("plan-2021", "光伏产业基地", "光伏\n"),
    ("plan-2021", "转移支付等配套政策", "转移支\n"), ("nzf-2023-1", "自治区财政厅、自然资源厅、生态环境厅", "自然\n"),
    ("nzf-2023-1", "自治区发展改革委、中国铁路呼和浩特局集团有限公司", "改革委、\n"),
])
def test_words_split_by_line_breaks_are_rejoined(key, word, broken):
    assert broken in original(key) and word not in original(key)
    assert word in cleaned(key) and broken not in cleaned(key)


@pytest.mark.parametrize("key, stray, tidy", [
    ("plan-2021", "“十三五 ”", "“十三五”"), ("plan-2021", "（ B型）", "（B型）"),
    ("plan-2021", "到 2035年", "到2035年"),
    ("nzf-2023-1", "支  持  事  项", "支持事项"), ("nzf-2023-1", "大数据中心 、", "大数据中心、"),
])
def test_stray_spaces_are_removed(key, stray, tidy):
    assert stray in original(key)
    assert stray not in cleaned(key) and tidy in cleaned(key)


def test_spaces_between_latin_words_are_kept():
    assert texts.tidy_spaces("建设 IPv6 规模 Open Data 平台")[0] == "建设IPv6规模Open Data平台"


@pytest.mark.parametrize("key", sorted(texts.CLEANING))
def test_cleaning_removes_only_whitespace_and_the_declared_debris(key):
    result = texts.clean(key, original(key))
    rest = squeeze(original(key))
    for debris in result.dropped:
        at = rest.find(squeeze(debris))
        assert at >= 0, debris
        rest = rest[:at] + rest[at + len(squeeze(debris)):]
    assert rest == squeeze(result.text)


def test_every_document_has_declared_rules():
    keys = {d["key"] for d in read_inputs(ROOT)[0].documents}
    assert keys == set(texts.CLEANING)


def test_validator_still_proves_measures_verbatim_against_the_cleaned_text():
    inputs, problems = read_inputs(ROOT)
    assert problems == [] and check(inputs, date.today()) == []
    quoted = {r.cells["measure"] for name in ("geodata/statements.csv", "geodata/stated_deadlines.csv")
              for r in inputs.tables[name]}  # their quotes would fail too
    row = next(r for r in inputs.tables["measures.csv"]
               if r.cells["doc"] == "plan-2021" and r.cells["id"] not in quoted)
    row.cells["text"] = "目录前言第一章发展背景"  # debris is not a clause, although it is in the file
    found = [(p.line, p.code) for p in check(inputs, date.today())]
    assert found == [(row.line, "text-not-in-source")]


def test_annex_is_read_as_sixty_rows_of_three_cells():
    start, end, rows = texts.table_rows("nzf-2023-1", cleaned("nzf-2023-1").splitlines())
    assert len(rows) == 60 and [r[0] for r in rows] == [str(n) for n in range(1, 61)]
    assert rows[54][2] == "自治区能源局、发展改革委"  # its cell was split over an empty tab cell
    assert all(len(r) == 3 and all(r) for r in rows)


# --- 2. the changelog -------------------------------------------------------------------------------------------

def test_every_tracked_column_has_a_chinese_field_name():
    for name in changes.TRACKED:
        for column in TABLES[name]:
            assert re.fullmatch(r"[\u4e00-\u9fff]+", changes.FIELD_NAMES.get(column.name, "")), column.name


def git(root: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout


def test_changelog_shows_data_changes_and_public_notes_never_commit_messages(project):
    measures = project / "measures.csv"
    text = measures.read_text(encoding="utf-8")
    measures.write_text(text.replace("打造1小时铁路经济圈", "打造一小时铁路经济圈", 1), encoding="utf-8")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam",
        "Validator: every rule runs even when a row fails to parse; ruff clean",
        env={"GIT_COMMITTER_DATE": "2030-01-02T12:00:00+00:00"})  # a day of its own
    day = git(project, "log", "-1", "--format=%cs").strip()
    (project / "docs/releases.yml").write_text(f"- date: {day}\n  note: 更正自治区若干举措第一项的标题。\n",
                                               encoding="utf-8")
    entries = changes.history(project)
    assert entries[0]["date"] == day and entries[0]["notes"] == ["更正自治区若干举措第一项的标题。"]
    assert [(g["label"], [(i["id"], i["fields"]) for i in g["rows"]]) for g in entries[0]["groups"]] == [
        ("修改举措", [("r23-01", ["标题"])])]
    atlas = gather(project)
    page = pages.render_pages(atlas, today=BUILD_DATE, site_url="", downloads=dictionary.NO_DOWNLOADS,
                              history=entries)["changes.md"]
    assert "Validator" not in page and "ruff" not in page
    assert "更正自治区若干举措第一项的标题。" in page and "修改了标题" in page
    assert 'href="documents/nzf-2023-23.html#r23-01"' in page


def test_malformed_release_note_is_reported_with_its_line(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/releases.yml").write_text("- date: 2026-11-22\n  note: 好\n- date: 22.11.2026\n  note: 坏\n",
                                                encoding="utf-8")
    with pytest.raises(changes.AtlasError) as error:
        changes.release_notes(tmp_path)
    assert [(p.file, p.line, p.code) for p in error.value.problems] == [("docs/releases.yml", 3, "bad-release-note")]


# --- 6. provenance ---------------------------------------------------------------------------------------------

def test_provenance_shows_the_review_number_only_when_set():
    extra = {"publisher": "某某编制组", "contact": "atlas@example.org", "license": "CC BY 4.0",
             "license_url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans", "map_approval": "",
             "data_date": DATE}
    without = pages.render_provenance(extra, site_url="https://example.org/atlas/")
    assert "审图号" not in without
    assert f"某某编制组. 呼包鄂乌一体化政策图集[DB/OL]. 数据截至 {DATE}. https://example.org/atlas/." in without
    assert "(mailto:atlas@example.org)" in without
    assert "**审图号**：蒙S（2026）001号" in pages.render_provenance({**extra, "map_approval": "蒙S（2026）001号"},
                                                                   site_url="")


# --- the built site --------------------------------------------------------------------------------------------

def visible_text(page_html: str) -> str:
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page_html, flags=re.S | re.I)
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def reader_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in ("maps", "exports")]


KNOWN_DEBRIS = ["[bookmark", "发布日期:2021", "目录前言", "改革创 新", "转移支 付", "“十三五 ”", "（ B型）",
                "支  持  事  项"]


def test_no_page_shows_nan_none_undefined_or_conversion_debris(built_site):
    found = []
    for path in reader_pages(built_site):
        text = visible_text(path.read_text(encoding="utf-8"))
        for match in re.finditer(r"(?<![A-Za-z])(nan|NaN|None|undefined)(?![A-Za-z])", text):
            found.append((path.name, match.group(0), text[max(0, match.start() - 20):match.end() + 5]))
        found += [(path.name, debris, "") for debris in KNOWN_DEBRIS if debris in text]
    assert found == []


def test_document_page_dates_have_no_empty_note(built_site):
    for key in ("nzf-2023-23", "baotou-2024"):
        text = visible_text((built_site / f"documents/{key}.html").read_text(encoding="utf-8"))
        assert re.search(r"日期\s*\d{4}-\d\d-\d\d\s*结构", text), key


def test_changelog_page_holds_no_commit_subject(built_site):
    page = visible_text((built_site / "changes.html").read_text(encoding="utf-8"))
    subjects = [s for s in git(built_site.parent, "log", "--format=%s").splitlines() if len(s) >= 12]
    assert subjects and [s for s in subjects if s in page] == []
    assert "版本说明" not in page and "cities、" not in page


def test_annex_renders_as_a_table_of_sixty_rows(built_site):
    page = (built_site / "documents/nzf-2023-1.html").read_text(encoding="utf-8")
    table = re.search(r'<div class="annex-table".*?</table>', page, re.S).group(0)
    assert re.findall(r'<th scope="col">(.*?)</th>', table) == ["序号", "支持事项", "责任单位"]
    rows = re.findall(r"<tr id=\"(hs23-a\d\d)\">", table)
    assert len(rows) == 60 == len(set(rows))
    assert table.count("<tr") == 61  # the header row and 60 items


def test_text_downloads_are_the_original_bytes_after_a_bom(built_site):
    for source in sorted(DOCS.glob("*.txt")):
        served = (built_site / "documents" / source.name).read_bytes()
        assert served == b"\xef\xbb\xbf" + source.read_bytes(), source.name


def test_document_pages_say_where_the_official_copy_is(built_site):
    for source in sorted(DOCS.glob("*.txt")):
        text = visible_text((built_site / f"documents/{source.stem}.html").read_text(encoding="utf-8"))
        assert re.search(r"官方发布\s*(本图集尚未收录官方发布地址.*?原件由\S+发布|\S+发布的原件)", text), source.stem


FOOTER_WORDS = {"zh": ("发布：", f"数据截至 {DATE}", "CC BY 4.0", "使用条款"),
                "en": ("Published by", f"Data as of {DATE}", "CC BY 4.0", "Terms of use")}


def test_every_page_has_the_footer_with_publisher_date_and_terms_in_its_editions_words(built_site):
    missing = []
    for path in (p for p in reader_pages(built_site) if p.name != "404.html"):  # 404 stands alone: no theme
        parts = path.relative_to(built_site).parts
        if parts[0] == "en" and parts[1] in ("maps", "exports"):  # the English edition's maps have no theme
            continue
        footer = re.search(r'<div class="md-copyright atlas-footer">.*?</div>', path.read_text(encoding="utf-8"), re.S)
        text = visible_text(footer.group(0)) if footer else ""
        words = FOOTER_WORDS["en" if parts[0] == "en" else "zh"]
        if not all(word in text for word in words):
            missing.append(str(path.relative_to(built_site)))
    assert missing == []


def test_about_page_has_publisher_terms_citation_and_map_disclaimer(built_site):
    text = visible_text((built_site / "about.html").read_text(encoding="utf-8"))
    for words in ("发布者", "联系方式", "使用条款", "CC BY 4.0", "著作权法》第五条", "高德", f"数据截至 {DATE}",
                  "呼包鄂乌一体化政策图集[DB/OL]", "不作为权属界线或工程建设依据"):
        assert words in text, words


def test_data_dictionary_shows_no_raw_markdown(built_site):
    text = visible_text((built_site / "data.html").read_text(encoding="utf-8"))
    assert "`" not in text and "**" not in text


def test_english_labels_are_marked_as_english(built_site):
    unmarked = []
    for path in reader_pages(built_site):
        for tag in re.findall(r'<[a-z]+\s[^>]*class="(?:[^"]*\s)?en(?:\s[^"]*)?"[^>]*>', path.read_text("utf-8")):
            if 'lang="en"' not in tag:
                unmarked.append((path.name, tag))
    assert unmarked == []


# --- 404 below a sub-path --------------------------------------------------------------------------------------

class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site below /atlas/ and answers a missing page with 404.html, as a web server is set up to."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        if not self.path.startswith("/atlas/"):
            self.send_error(404)
            return None
        self.path = self.path[len("/atlas"):]
        target = Path(self.translate_path(self.path))
        if not target.exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return __import__("io").BytesIO(body)
        return super().send_head()


@pytest.fixture
def subpath_url(built_site):
    handler = functools.partial(SubPathHandler, directory=str(built_site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/atlas/"
        server.shutdown()


@pytest.mark.browser
def test_404_is_chinese_and_its_links_work_below_a_sub_path(subpath_url, page):
    response = page.goto(subpath_url + "no/such/page.html")
    assert response.status == 404
    assert "找不到这个页面" in page.inner_text("main") and page.get_attribute("html", "lang") == "zh"
    page.wait_for_function("[...document.querySelectorAll('a[data-path]')].every(a => "
                           "new URL(a.href).pathname.startsWith('/atlas/'))", timeout=5000)
    links = page.eval_on_selector_all("a[data-path]", "links => links.map(a => a.href)")
    statuses = page.evaluate("async links => Promise.all(links.map(async l => (await fetch(l)).status))", links)
    assert len(links) >= 5 and set(statuses) == {200}


@pytest.mark.browser
def test_the_chinese_404_shows_the_english_page_for_a_missing_english_address(subpath_url, page):
    response = page.goto(subpath_url + "en/no/such/page.html")
    assert response.status == 404
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=5000)
    assert "Page not found" in page.inner_text("main") and "找不到" not in page.inner_text("body")
    page.wait_for_function("[...document.querySelectorAll('a[data-path]')].every(a => "
                           "new URL(a.href).pathname.startsWith('/atlas/'))", timeout=5000)
    links = page.eval_on_selector_all("main a[data-path]", "links => links.map(a => a.href)")
    assert links and all("/atlas/en/" in link for link in links)
    statuses = page.evaluate("async links => Promise.all(links.map(async l => (await fetch(l)).status))", links)
    assert set(statuses) == {200}
