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

from .conftest import copy_project
from .test_validation import COL, MEASURES, Table, located, problems_of

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "documents"


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
