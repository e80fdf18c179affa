"""What happened since the documents: the progress events of geodata/progress.csv, checked and read.

One row is one dated event on one or more targets (projects or measures), with the stage it reached and the public
source that states it. A project's current stage is its latest event (ties: the most advanced stage); a pause or an
adjustment keeps the phase reached before it. Without an event a project keeps what its latest document states,
labelled as the documents' words, never as progress.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pandas as pd

from ..errors import Problem
from ..vocabulary.schema import BUILT_RANK, PHASES, PROGRESS_COLUMNS, STAGES, STATUS_PHASES
from .load import Inputs, Row
from .rules import check_keys, check_required, items, problem

TABLE = "geodata/progress.csv"
STAGE = {stage.key: stage for stage in STAGES}
PHASE_ORDER = [phase.key for phase in reversed(PHASES)]  # planned, construction, built
EVENT_DATE = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])(?:-(\d\d))?$")
WEB_ADDRESS = re.compile(r"^https?://[^\s/?#\"'<>]+\.[^\s/?#\"'<>]+(?:[/?#][^\s\"'<>]*)?$", re.IGNORECASE)
MAX_SUMMARY = 60


def parse_date(value: str) -> date | None:
    """The first day a `YYYY-MM-DD` or `YYYY-MM` value can mean, or None when it is not such a date."""
    match = EVENT_DATE.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return None  # 2025-02-30


def event_key(cells: dict) -> tuple[str, tuple[str, ...], str]:
    """What makes two rows the same event: the date, the targets (in any order) and the stage."""
    return cells["date"], tuple(sorted(items(cells["target"]))), cells["stage"]


def check_progress(inputs: Inputs, today: date) -> Iterator[Problem]:
    """Every rule of the events table: dates, targets, stages, sources, duplicates and steps back."""
    rows = inputs.tables[TABLE]
    yield from check_required(TABLE, rows)
    yield from check_keys(TABLE, rows, "stage", set(STAGE), many=False)
    yield from check_dates(rows, today)
    yield from check_targets(inputs, rows)
    for row in rows:
        url = row.cells["url"]
        if url and not WEB_ADDRESS.match(url):
            yield problem(TABLE, row, "url", "bad-url", f"'{url[:80]}' 不是网页地址 / is not a web address",
                          "填来源网页的完整地址，以 https:// 或 http:// 开头 / the full https:// address of the source")
        summary = row.cells["summary"]
        if len(summary) > MAX_SUMMARY or "\n" in summary:
            yield problem(TABLE, row, "summary", "long-summary",
                          f"概括有 {len(summary)} 个字 / the summary has {len(summary)} characters",
                          f"用一句不超过 {MAX_SUMMARY} 字的话概括 / one line of at most {MAX_SUMMARY} characters")
    first: dict[tuple, int] = {}
    for row in rows:
        key = event_key(row.cells)
        if key in first:
            yield problem(TABLE, row, "date", "duplicate-event",
                          f"与第 {first[key]} 行是同一事件（日期、对象、阶段都相同）"
                          f" / the same event as line {first[key]}",
                          "删除重复的一行；同一事件有几个来源时只留最权威的一个 / remove the repeated row")
        first.setdefault(key, row.line)
    yield from check_steps_back(rows)


def check_dates(rows: list[Row], today: date) -> Iterator[Problem]:
    for row in rows:
        event = parse_date(row.cells["date"]) if row.cells["date"] else None
        event = event if event and event <= today else None  # a bad event date is reported once, not per column
        for column in ("date", "published", "recorded"):
            value = row.cells[column]
            if not value:
                continue
            when = parse_date(value)
            if when is None or (column == "recorded" and len(value) != 10):
                yield problem(TABLE, row, column, "bad-date", f"'{value}' 不是有效日期 / is not a valid date",
                              "写作 YYYY-MM-DD（如 2024-12-31），只知道月份时写 YYYY-MM；录入日期须写到日"
                              " / write YYYY-MM-DD, or YYYY-MM when only the month is known")
            elif when > today:
                yield problem(TABLE, row, column, "future-date",
                              f"'{value}' 晚于构建日期 {today.isoformat()} / is after the build date",
                              "只记录已经发生的事；计划中的日期不是进展 / record only what has happened")
            elif column != "date" and event and value[:len(row.cells["date"])] < row.cells["date"][:len(value)]:
                yield problem(TABLE, row, column, "bad-date",
                              f"'{value}' 早于事件日期 {row.cells['date']} / is before the event's date",
                              "来源不会早于它报道的事件；检查两个日期 / a source cannot precede its event")


def check_targets(inputs: Inputs, rows: list[Row]) -> Iterator[Problem]:
    tables = ("geodata/features.csv", "measures.csv")
    if not inputs.usable(*tables):
        return  # a broken table would make every target look unknown
    known = {r.cells["id"] for name in tables for r in inputs.tables[name]}
    for row in rows:
        for target in items(row.cells["target"]):
            if target not in known:
                yield problem(TABLE, row, "target", "dangling-ref",
                              f"'{target}' 既不是项目编号也不是举措编号 / is neither a project nor a measure id",
                              "项目编号见 geodata/features.csv 的 id，举措编号见 measures.csv 的 id"
                              " / see the id columns of geodata/features.csv and measures.csv")


def check_steps_back(rows: list[Row]) -> Iterator[Problem]:
    """After a target is built or fully opened, a later event of an earlier stage needs a reason."""
    by_target: dict[str, list[Row]] = {}
    for row in rows:
        if row.cells["stage"] in STAGE and parse_date(row.cells["date"]):
            for target in items(row.cells["target"]):
                by_target.setdefault(target, []).append(row)
    for target, events in by_target.items():
        built = None
        for row in sorted(events, key=lambda r: (r.cells["date"], -(STAGE[r.cells["stage"]].rank or 0))):
            rank = STAGE[row.cells["stage"]].rank
            if built and rank is not None and rank < BUILT_RANK and row.cells["date"] > built.cells["date"] \
                    and not row.cells["reason"]:
                yield problem(TABLE, row, "stage", "stage-regression",
                              f"'{target}' 已在 {built.cells['date']}（第 {built.line} 行）{built.cells['stage']}，"
                              f"之后又记为 {row.cells['stage']} / steps back after line {built.line}",
                              "在 reason 列说明原因（如 二期工程开工），或改正阶段 / give the reason or fix the stage")
            if rank is not None and rank >= BUILT_RANK:
                built = built or row


def events(rows: list[Row]) -> pd.DataFrame:
    """One row per event and target, newest first: date, target, stage, summary, source and line."""
    columns = [c.name for c in PROGRESS_COLUMNS]
    records = [{**row.cells, "target": target, "targets": items(row.cells["target"]), "line": row.line}
               for row in rows for target in items(row.cells["target"])]
    frame = pd.DataFrame(records, columns=[*columns, "targets", "line"])
    frame["rank"] = frame["stage"].map(lambda key: STAGE[key].rank if STAGE[key].rank is not None else -1)
    return frame.sort_values(["date", "rank", "line"], ascending=[False, False, True], ignore_index=True)


def current_stages(progress: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """Each project's stage now, indexed like `stated` (each project's documents' `status` and the `date` of the
    document that states it): `stage` (the latest event's, or '' when none), `stage_date`, `recorded` (the last day
    staff recorded an event on it), `source` ('progress' or 'documents') and `phase` (PHASES key, what the maps
    draw). The phase is the latest event's, except that the documents' phase stands where it is further on and
    either dated after the event (an event of 2019 that a plan of 2023 says is being built) or the event is only
    preliminary work or an approval (a park that is being developed and then designated a national demonstration
    park is not drawn as planned again)."""
    documents = stated["status"].map(lambda status: STATUS_PHASES.get(status, "planned"))
    out = pd.DataFrame({"stage": "", "stage_date": "", "recorded": "", "source": "documents", "phase": documents},
                       index=stated.index)
    for target, group in progress.groupby("target", sort=False):
        if target not in out.index:
            continue
        latest = group.iloc[0]  # newest first, the most advanced of a day first
        out.loc[target, ["stage", "stage_date", "recorded", "source"]] = [
            latest["stage"], latest["date"], group["recorded"].max(), "progress"]
        phased = group[group["stage"].map(lambda key: STAGE[key].phase is not None)]
        if len(phased):
            event = phased.iloc[0]
            phase = STAGE[event["stage"]].phase
            later_document = str(stated.loc[target, "date"]) > event["date"]
            ahead = PHASE_ORDER.index(documents[target]) > PHASE_ORDER.index(phase)
            if ahead and (later_document or phase == "planned"):
                phase = documents[target]
            out.loc[target, "phase"] = phase
    return out


def due_month(deadline: str, stated: list[dict]) -> str:
    """The month a measure is due (YYYY-MM): its printed deadline, else the earliest works date its own text states
    (确保2023年建成投用: 2023-12); '' when neither (ongoing, long-term, none, or only a target year)."""
    if EVENT_DATE.match(deadline or ""):
        return deadline
    works = sorted(s["deadline"] if "-" in s["deadline"] else f"{s['deadline']}-12"
                   for s in stated if s["kind"] == "works")
    return works[0] if works else ""


def deadline_states(measures: pd.DataFrame, progress: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each measure's `due` month (due_month), its `deadline_state` (DEADLINE_STATES key, or '' for a measure with
    neither a due month nor a completion record), `done`, the date of its first completion event ('' when none),
    and that event's `done_url` and `done_publisher`.
    Only events recorded on the measure itself count: a project it names may open without the measure's whole
    task being done."""
    done_stages = {stage.key for stage in STAGES if stage.phase == "built"}
    first = progress[progress["stage"].isin(done_stages)].sort_values("date").groupby("target").first()
    done = measures["id"].map(first["date"]).fillna("")
    source = measures["id"].map(first["url"]).fillna("")
    publisher = measures["id"].map(first["publisher"]).fillna("")
    due = [due_month(deadline, stated) for deadline, stated in zip(measures["deadline"], measures["stated"],
                                                                    strict=True)]
    states = []
    for month, finished in zip(due, done, strict=True):
        if not month:
            states.append("done" if finished else "")
        elif finished:
            states.append("on-time" if finished[:7] <= month else "late")
        else:
            year, number = int(month[:4]), int(month[5:7])
            end = date(year + number // 12, number % 12 + 1, 1)  # the day after the month it is due
            states.append("unrecorded" if today >= end else "open")
    return pd.DataFrame({"due": due, "deadline_state": states, "done": done, "done_url": source,
                         "done_publisher": publisher}, index=measures.index)
