"""The 更新记录 page's data: what each committed version of the tables added, removed or changed.

The history is read from git (the published versions); uncommitted edits show as a preview entry.
Without git (e.g. an exported tarball) the page says there is no history rather than failing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .load import decode_utf8, parse_csv
from .schema import TABLES

TRACKED = {"measures.csv": "举措", "geodata/features.csv": "项目"}
MAX_VERSIONS = 60


def git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.decode("utf-8", "replace")


def table_at(root: Path, name: str, commit: str | None) -> dict[str, dict]:
    """{id: row} of a table at a commit (None: the working tree); empty when absent or unreadable."""
    if commit is None:
        path = root / name
        data = path.read_bytes() if path.exists() else b""
    else:
        try:
            data = subprocess.run(["git", "show", f"{commit}:{name}"], cwd=root, capture_output=True,
                                  check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            data = b""
    text, problems = decode_utf8(data, name)
    if not text or problems:
        return {}
    rows, _ = parse_csv(text, name, TABLES[name])
    return {row.cells["id"]: row.cells for row in rows}


def diff(old: dict[str, dict], new: dict[str, dict]) -> tuple[list[str], list[str], dict[str, list[str]]]:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = {key: [col for col in new[key] if old[key].get(col) != new[key][col]]
               for key in sorted(set(old) & set(new)) if old[key] != new[key]}
    return added, removed, changed


def entry(date: str, label: str, before: dict, after: dict) -> dict | None:
    groups, parts = [], []
    for name, noun in TRACKED.items():
        added, removed, changed = diff(before[name], after[name])
        for verb, ids, fields in (("新增", added, None), ("删除", removed, None), ("修改", list(changed), changed)):
            if ids:
                groups.append({"label": f"{verb}{noun}", "ids": ids, "fields": fields})
                parts.append(f"{verb}{noun} {len(ids)} 项")
    if not groups:
        return None
    return {"date": date, "label": label, "summary": "；".join(parts) + "。", "groups": groups}


def history(root: Path) -> list[dict]:
    """Newest first: the working tree against HEAD, then each commit that touched a tracked table."""
    log = git(root, "log", f"-{MAX_VERSIONS}", "--format=%H %cs %s", "--", *TRACKED)
    if log is None:
        return []
    commits = [line.split(" ", 2) for line in log.splitlines() if line]
    entries = []
    head = {name: table_at(root, name, "HEAD") for name in TRACKED} if commits else {n: {} for n in TRACKED}
    work = {name: table_at(root, name, None) for name in TRACKED}
    preview = entry("未提交", "工作区修改（预览）", head, work)
    if preview:
        entries.append(preview)
    for sha, day, subject in commits:
        after = {name: table_at(root, name, sha) for name in TRACKED}
        before = {name: table_at(root, name, f"{sha}^") for name in TRACKED}
        found = entry(day, subject, before, after)
        if found:
            entries.append(found)
    return entries
