"""The 更新记录 page's data: what the published data gained, lost or changed, day by day, for the public.

The history is read from git: for each day on which a commit touched a tracked table (or a table FOLDED into one:
a project's statements, a measure's stated dates), the tables as they stood after that day's last commit are
compared with the tables before its first. Only data differences are shown; commit
messages are code history and never reach the page. Staff who want to say something to the public about a day's
changes write it in RELEASES (docs/releases.yml), one entry per note:

    - date: 2026-11-22
      note: 补充包头市工作方案的完成时限。

Uncommitted edits show as a preview entry. Without git (e.g. an exported tarball) the page says there is no
history rather than failing.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import AtlasError
from ..vocabulary.schema import TABLES
from .load import decode_utf8, parse_csv, read_release_notes

TRACKED = {"measures.csv": "举措", "geodata/features.csv": "项目", "geodata/progress.csv": "进展记录"}
# How a tracked table's rows are told apart between versions: by `id`, or (events, which have none) by what makes
# two rows the same event.
ROW_KEYS = {"geodata/progress.csv": lambda cells: f"{cells['date']} {cells['target']} {cells['stage']}"}


@dataclass(frozen=True)
class Folded:
    """A table whose rows readers see as part of a tracked row: a project's statements, a measure's stated dates."""

    table: str
    owner: str  # the column naming the tracked row a row belongs to
    field: str  # the field the changelog shows its rows as (FIELD_NAMES)
    columns: tuple[str, ...]  # the columns readers see
    missing: tuple[tuple[str, str], ...] = ()  # a column's value in versions written before it existed


FOLDED = {
    "geodata/features.csv": Folded("geodata/statements.csv", "feature", "statements",
                                   ("measure", "status", "quote", "relation"), (("relation", "about"),)),
    "measures.csv": Folded("geodata/stated_deadlines.csv", "measure", "stated_deadlines",
                           ("deadline", "kind", "quote")),
}
MAX_VERSIONS = 60
# The tracked tables' columns as readers call them (tests/test_pages_text.py checks every column has one).
FIELD_NAMES = {
    "id": "编号", "doc": "来源文件", "clause": "条款序号", "section": "所在部分", "title": "标题",
    "title_en": "英文标题", "text": "原文", "themes": "主题", "cities": "城市", "units": "责任单位",
    "deadline": "完成时限", "implements": "落实关系", "features": "关联项目", "status": "落实状态",
    "kind": "类型", "name_zh": "名称", "name_en": "英文名称", "geometry": "几何", "precision": "精度",
    "note": "绘制说明", "relation": "关联方式", "reason": "说明",
    "statements": "各文件的表述", "stated_deadlines": "文中时限",
    "date": "日期", "target": "对象", "stage": "阶段", "summary": "概括", "publisher": "来源发布者",
    "published": "来源发布日期", "url": "来源网址", "recorded": "录入日期",
}

# The same in the English edition's words: its changes page says each day's changes from these.
TRACKED_EN = {"measures.csv": ("measure", "measures"), "geodata/features.csv": ("project", "projects"),
              "geodata/progress.csv": ("progress record", "progress records")}
VERBS_EN = {"新增": "added", "删除": "removed", "修改": "changed"}
FIELD_NAMES_EN = {
    "id": "id", "doc": "source document", "clause": "clause number", "section": "section", "title": "title",
    "title_en": "English title", "text": "text", "themes": "themes", "cities": "cities", "units": "responsible units",
    "deadline": "deadline", "implements": "measures carried out", "features": "projects named",
    "status": "implementation status", "kind": "kind", "name_zh": "name", "name_en": "English name",
    "geometry": "geometry", "precision": "precision", "note": "drawing note", "relation": "relation",
    "reason": "reason", "statements": "what the documents say", "stated_deadlines": "dates stated in the text",
    "date": "date", "target": "target", "stage": "stage", "summary": "summary", "publisher": "source publisher",
    "published": "source date", "url": "source address", "recorded": "date recorded",
}


def git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.decode("utf-8", "replace")


_COMMITTED: dict[tuple[str, str, str], dict] = {}  # (root, table, commit id or its parent) → rows or folded rows


def table_at(root: Path, name: str, commit: str | None) -> dict[str, dict]:
    """{id: row} of a table at a commit (None: the working tree); empty when absent or unreadable. A table at a
    commit named by its id (or its id and ^) never changes, so it is read once per process: a preview rebuild
    would otherwise run `git show` for it every time (about 0.1 s)."""
    fixed = commit is not None and re.fullmatch(r"[0-9a-f]{40}\^?", commit) is not None
    if fixed and (str(root), name, commit) in _COMMITTED:
        return _COMMITTED[str(root), name, commit]
    rows = read_table_at(root, name, commit)
    if fixed:
        _COMMITTED[str(root), name, commit] = rows
    return rows


def file_at(root: Path, name: str, commit: str | None) -> bytes:
    """A file's bytes at a commit (None: the working tree); empty when absent."""
    if commit is None:
        path = root / name
        return path.read_bytes() if path.exists() else b""
    try:
        return subprocess.run(["git", "show", f"{commit}:{name}"], cwd=root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return b""


def read_table_at(root: Path, name: str, commit: str | None) -> dict[str, dict]:
    text, problems = decode_utf8(file_at(root, name, commit), name)
    if not text or problems:
        return {}
    rows, _ = parse_csv(text, name, TABLES[name])
    key = ROW_KEYS.get(name, lambda cells: cells["id"])
    return {key(row.cells): row.cells for row in rows}


def folded_at(root: Path, folded: Folded, commit: str | None) -> dict[str, str]:
    """A folded table's rows at a commit, as one comparable value per tracked row they belong to; read as that
    version wrote them (a column it did not have yet takes its `missing` value). Cached like table_at."""
    fixed = commit is not None and re.fullmatch(r"[0-9a-f]{40}\^?", commit) is not None
    if fixed and (str(root), folded.table, commit) in _COMMITTED:
        return _COMMITTED[str(root), folded.table, commit]
    text, problems = decode_utf8(file_at(root, folded.table, commit), folded.table)
    missing, grouped = dict(folded.missing), {}
    for cells in csv.DictReader(io.StringIO(text if text and not problems else "", newline="")):
        value = " · ".join((cells.get(c) or "").strip() or missing.get(c, "") for c in folded.columns)
        grouped.setdefault((cells.get(folded.owner) or "").strip(), []).append(value)
    out = {owner: "\n".join(sorted(values)) for owner, values in grouped.items()}
    if fixed:
        _COMMITTED[str(root), folded.table, commit] = out
    return out


def view_at(root: Path, name: str, commit: str | None) -> dict[str, dict]:
    """A tracked table's rows at a commit, each with what its folded table holds for it (FOLDED)."""
    rows = table_at(root, name, commit)
    if name not in FOLDED:
        return rows
    field, folded = FOLDED[name].field, folded_at(root, FOLDED[name], commit)
    return {key: {**row, field: folded.get(key, "")} for key, row in rows.items()}


def diff(old: dict[str, dict], new: dict[str, dict]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = {key: [col for col in new[key] if old[key].get(col) != new[key][col]]
               for key in sorted(set(old) & set(new)) if old[key] != new[key]}
    return added, removed, changed


def field_names(columns: list[str]) -> list[str]:
    return [FIELD_NAMES.get(column, "其他信息") for column in columns]


def item(key: str, row: dict, fields: list[str] | None = None) -> dict:
    """One added, removed or changed row as the page lists it: its name as of that version, its changed fields."""
    name, targets = row.get("name_zh") or row.get("title") or "", []
    name_en = row.get("name_en") or row.get("title_en") or ""
    if "stage" in row:  # a progress event: the page names its targets
        name, targets = f"{row['date']} {row['stage']}：{row['summary']}", row["target"].split(";")
    return {"id": key, "name": name, "name_en": name_en, "targets": targets, "doc": row.get("doc", ""),
            "clause": row.get("clause", ""), "fields": field_names(fields or []), "columns": fields or [],
            "event": {k: row[k] for k in ("date", "stage", "summary")} if "stage" in row else None}


def entry(date: str, before: dict, after: dict, notes: list[str], preview: bool = False) -> dict | None:
    groups, parts = [], []
    for name, noun in TRACKED.items():
        added, removed, changed = diff(before[name], after[name])
        for verb, items in (("新增", [item(k, after[name][k]) for k in added]),
                            ("删除", [item(k, before[name][k]) for k in removed]),
                            ("修改", [item(k, after[name][k], changed[k]) for k in changed])):
            if items:
                groups.append({"label": f"{verb}{noun}", "verb": verb, "table": name, "rows": items})
                parts.append(f"{verb}{noun} {len(items)} 项")
    if not groups and not notes:
        return None
    summary = "；".join(parts) + "。" if parts else "数据无变化。"
    return {"date": date, "preview": preview, "summary": summary, "groups": groups, "notes": notes}


def release_notes(root: Path) -> dict[str, list[str]]:
    """{date: [note, …]} from RELEASES; a malformed entry stops the build with its line (load.read_release_notes)."""
    notes, problems = read_release_notes(root)
    if problems:
        raise AtlasError(problems)
    return notes


def history(root: Path) -> list[dict]:
    """Newest first: uncommitted edits (preview), then one entry per day with data changes or a public note."""
    notes = release_notes(root)
    log = git(root, "log", f"-{MAX_VERSIONS}", "--format=%H %cs", "--", *TRACKED, *(f.table for f in FOLDED.values()))
    days: dict[str, list[str]] = {}
    for line in (log or "").splitlines():
        if line:
            sha, day = line.split(" ", 1)
            days.setdefault(day, []).append(sha)  # newest first
    entries = []
    if days:
        head = {name: view_at(root, name, "HEAD") for name in TRACKED}
        work = {name: view_at(root, name, None) for name in TRACKED}
        preview = entry("尚未发布", head, work, [], preview=True)
        if preview:
            entries.append(preview)
    dated = []
    for day, shas in days.items():
        after = {name: view_at(root, name, shas[0]) for name in TRACKED}
        before = {name: view_at(root, name, f"{shas[-1]}^") for name in TRACKED}
        found = entry(day, before, after, notes.pop(day, []))
        if found:
            dated.append(found)
    empty = {name: {} for name in TRACKED}
    dated += [entry(day, empty, empty, texts) for day, texts in notes.items()]
    return entries + sorted(dated, key=lambda e: e["date"], reverse=True)
