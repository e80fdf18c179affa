"""Each build stage timed in a fresh subprocess on a copy of the project, at the real size and scaled up, with its peak
memory (the process's, and with its pool workers' the tree's PSS)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import yaml
from mkdocs.utils import yaml_load

from ...cache import artifacts
from ...inputs import changes, model
from ...outputs import dictionary, exports, maps, pages
from ...site import plugin
from ...site.build import build_site

ROOT = Path(__file__).resolve().parents[3]


STAGES = {"load": "load + validate (gather)", "maps": "maps (every map spec's HTML)",
          "exports-cold": "exports, empty cache", "exports-warm": "exports, warm cache",
          "pages": "pages (history + render_pages)", "build": "whole atlas build, empty cache",
          "build-warm": "whole atlas build, warm cache", "plain": "plain mkdocs build, same pages"}


MARK = "BENCH-RESULT "


STAGE_TIMEOUT_S, SERVE_TIMEOUT_S, EDITS = 7200, 900, 3  # a 40× build renders ~4,800 maps


COPY_SKIP = shutil.ignore_patterns("site", ".site.*", ".cache", ".venv*", "node_modules", "bench", "tests",
                                   "build_atlas", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache")


SCALED = {"measures.csv": ("id", "features", "implements"), "geodata/features.csv": ("id",),
          "geodata/waypoints.csv": ("feature",), "geodata/statements.csv": ("feature", "measure"),
          "geodata/stated_deadlines.csv": ("measure",)}


EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Abort)\b.*")


CUSTOM_DIR = re.compile(r"^(\s*custom_dir:\s*)([\"']?)([^\s#\"'/][^\s#\"']*)\2", re.MULTILINE)  # relative


def copy_project(root: Path, dest: Path) -> Path:
    """A disposable copy of the inputs with their git history (更新记录 reads it); the code stays installed."""
    shutil.copytree(root, dest, ignore=COPY_SKIP, symlinks=True)
    (dest / "node_modules").symlink_to((root / "node_modules").resolve())
    # mkdocs.yml's theme custom_dir lives in the code (build_atlas/site/theme), which is not copied: a build_atlas/
    # folder in the copy would shadow the installed package for `python -m` there. Point it at the original.
    def absolute(match: re.Match) -> str:
        return match[1] + json.dumps(str((root / match[3]).resolve()), ensure_ascii=False)

    config = dest / "mkdocs.yml"
    config.write_text(CUSTOM_DIR.sub(absolute, config.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


# The tables that name features: a copied row of the first two keeps the feature's own id where the feature is not
# copied; one of the others is not copied with it.
FEATURE_COLUMNS = {"measures.csv": "features", "geodata/statements.csv": "feature", "geodata/features.csv": "id",
                   "geodata/waypoints.csv": "feature"}
DROPPED_WITH_FEATURE = ("geodata/features.csv", "geodata/waypoints.csv")


def scale_project(work: Path, factor: int) -> None:
    """Repeat every measure, feature, waypoint and statement under ids suffixed .xN, copy N linked to copy N. A
    project that clauses name by an alias (geodata/aliases.csv ties each alias to one project) is not copied: the
    copied clauses name the project itself, so that every copy passes validation as the real data does."""
    with (work / "geodata/aliases.csv").open(encoding="utf-8-sig", newline="") as file:
        aliased = {row["feature"] for row in csv.DictReader(file) if row["feature"]}

    def copy_ids(value: str, n: int, kept: set[str] = frozenset()) -> str:
        ids = [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]
        return ";".join(v if v in kept else f"{v}.x{n}" for v in ids)

    for name, columns in SCALED.items():
        with (work / name).open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            fields, rows = reader.fieldnames, list(reader)
        feature = FEATURE_COLUMNS.get(name)
        copied = [row for row in rows if name not in DROPPED_WITH_FEATURE or row[feature] not in aliased]
        extra = [{**row, **{c: copy_ids(row[c], n, aliased if c == feature else set()) for c in columns}}
                 for n in range(2, factor + 1) for row in copied]
        with (work / name).open("w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fields)
            writer.writeheader()
            writer.writerows(rows + extra)
    for path in sorted((work / "geodata/shapes").glob("*.geojson")):
        for n in range(2, factor + 1 if path.stem not in aliased else 2):
            shutil.copy(path, path.with_name(f"{path.stem}.x{n}.geojson"))


def render_maps(atlas: model.Atlas) -> dict:
    """What the plugin's add_maps does for the map pages, with nothing cached: the shared scripts and every page."""
    outlines, specs = maps.context_outlines(atlas), maps.map_specs(atlas)
    scripts = maps.shared_scripts(atlas, outlines)
    shared = {key: name for key, (name, _) in scripts.items()}
    pages = maps.map_pages(specs, atlas, maps.MapOptions(), outlines, shared, artifacts.ArtifactCache(None))
    size = sum(len(page) for page in pages.values()) + sum(len(script) for _, script in scripts.values())
    return {"maps": len(specs), "map_mb": round(size / 1e6, 1)}


def render_exports(atlas: model.Atlas, cache: Path) -> dict:
    """What the plugin's add_exports does: the print images of every map."""
    outlines, specs = maps.context_outlines(atlas), maps.map_specs(atlas)
    exports.render_all(specs, *outlines, artifacts.ArtifactCache(cache), exports.Footer(date=date.today().isoformat()))
    return {"exports": len(specs)}


def render_all_pages(atlas: model.Atlas, root: Path) -> dict:
    start = time.perf_counter()
    history = changes.history(root)  # the plugin reads git for 更新记录 right before rendering: part of the cost
    history_s = time.perf_counter() - start
    generated = pages.render_pages(atlas, today=date.today(), site_url="", downloads=dictionary.NO_DOWNLOADS,
                                   history=history)
    return {"pages": len(generated), "history_s": round(history_s, 2)}


def capture_generated(store: dict) -> None:
    """Keep what the atlas plugin adds, for the plain build. Patched in this child process only; the wrapper
    stores three references, so the timed build does no extra work."""
    original = plugin.AtlasPlugin.on_files

    def on_files(self, files, config):
        files = original(self, files, config)
        # both editions' passes: the plain build gets every page of both (the i18n plugin stays in its config and
        # builds the English pages from their `.en.md` files), and the Chinese pass's navigation and footer
        made = store.setdefault("made", {})
        made.update({f.src_uri: f for f in files if f.generated_by and f.src_uri not in made})
        store.setdefault("nav", config.nav)
        store.setdefault("extra", dict(config.extra))
        store.update(files=list(made.values()), dictionary=self.build.dictionary)
        return files

    plugin.AtlasPlugin.on_files = on_files


def write_plain_project(root: Path, store: dict) -> dict:
    """root/plain: the generated files as ordinary docs, and mkdocs.yml without the atlas plugin."""
    plain = root / "plain"
    shutil.copytree(root / "docs", plain / "docs", dirs_exist_ok=True)
    for file in store["files"]:
        (plain / "docs" / file.src_uri).parent.mkdir(parents=True, exist_ok=True)
        (plain / "docs" / file.src_uri).write_bytes(file.content_bytes)
    config = yaml_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    named = {(p if isinstance(p, str) else next(iter(p))): p for p in config.get("plugins", [])}
    named.pop("atlas", None)
    if "search" in named:  # the same segmentation work as the atlas build: the dictionary the atlas wrote
        options = named["search"]["search"] if isinstance(named["search"], dict) else {}
        named["search"] = {"search": {**(options or {}), "jieba_dict_user": str(store["dictionary"])}}
    # the theme's footer and 404 page read what the atlas puts into `extra`
    config.update(plugins=list(named.values()), nav=store["nav"], extra=store["extra"], docs_dir="docs",
                  site_dir="site", strict=False)
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"pages": sum(f.src_uri.endswith(".md") for f in store["files"]), "generated_files": len(store["files"])}


def prepare(stage: str, root: Path, cache: Path, strict: bool) -> tuple[Callable, Callable[[], dict] | None]:
    """The stage's untimed prerequisites, then (timed step, untimed follow-up)."""
    if stage in ("build", "build-warm", "plain"):  # the print-image cache is root/.cache: empty for "build"
        store: dict = {}
        capture_generated(store)
        project = root / "plain" if stage == "plain" else root
        after = partial(write_plain_project, root, store) if stage == "build" else None
        return partial(build_site, project, project / "site", today=date.today(), strict=strict), after
    if stage == "load":
        return lambda: {"measures": len((a := model.gather(root)).measures), "features": len(a.features)}, None
    atlas = model.gather(root)
    if stage == "maps":
        return partial(render_maps, atlas), None
    if stage == "pages":
        return partial(render_all_pages, atlas, root), None
    return partial(render_exports, atlas, cache), None


def tree_pss_kb(pid: int) -> int:
    """The proportional set size of a process and all its descendants, in KiB: pages shared by a forked pool's
    workers and their parent count once, split between them (RSS would count them in every process)."""
    total = 0
    try:
        total += int(re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += sum(tree_pss_kb(int(child)) for child in (task / "children").read_text().split())
    except (FileNotFoundError, ProcessLookupError, TypeError):  # a worker that just ended
        pass
    return total


class TreeMemory(threading.Thread):
    """Samples tree_pss_kb of this process every `interval` seconds while a stage runs (a sample costs about 4 ms),
    and keeps the peak."""

    def __init__(self, interval: float = 0.5):
        super().__init__(daemon=True)
        self.interval, self.peak_kb, self.done = interval, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, tree_pss_kb(os.getpid()))
            self.done.wait(self.interval)

    def stop(self) -> int:
        """Stop sampling; the peak in MiB."""
        self.done.set()
        self.join()
        return round(max(self.peak_kb, tree_pss_kb(os.getpid())) / 1024)


def stage_main(stage: str, root: Path, cache: Path, strict: bool) -> None:
    """Child process: one stage, timed; prints one marked JSON line for the parent."""
    def rss_mb() -> int:  # this address space's high-water mark, in MiB
        return round(int(re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())[1]) / 1024)

    run, after = prepare(stage, root, cache, strict)
    before, memory, start = rss_mb(), TreeMemory(), time.perf_counter()
    memory.start()
    figures = run()
    seconds, peak, everything = time.perf_counter() - start, rss_mb(), memory.stop()
    figures = {**(figures if isinstance(figures, dict) else {}), **(after() if after else {})}
    print(MARK + json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": peak, "pre_stage_rss_mb": before,
                             "peak_tree_pss_mb": everything, **figures}))


def run_stage(stage: str, work: Path, cache: Path, strict: bool) -> dict:
    cmd = [sys.executable, "-m", __package__, "--stage", stage, "--root", str(work), "--cache", str(cache)]
    try:
        done = subprocess.run(cmd + ["--strict"] * strict, cwd=work, capture_output=True, text=True,
                              timeout=STAGE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {STAGE_TIMEOUT_S} s"}
    marked = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode or not marked:
        raised = [line for line in done.stderr.splitlines() if EXCEPTION_LINE.match(line)]
        return {"error": (raised or done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    return json.loads(marked[-1][len(MARK):])


def bench_scale(root: Path, tmp: Path, factor: int) -> dict:
    work = copy_project(root, tmp / f"x{factor}")
    if factor > 1:
        scale_project(work, factor)
    stages: dict[str, dict] = {}
    for stage, label in STAGES.items():
        print(f"bench: {factor}× {label} …", file=sys.stderr, flush=True)
        # copies share their clause's text, so the document pages have no anchor for them: strict mode would
        # abort on those link warnings, a lenient build does the same work
        strict = factor == 1 and stage != "plain"
        stages[stage] = run_stage(stage, work, tmp / f"exports-cache-x{factor}", strict)
        if "error" in stages[stage] and stage in ("load", "build"):
            break  # invalid data or a failed build: the later stages have nothing to work on
    ratios = {k: round(stages[k]["seconds"] / stages["plain"]["seconds"], 2) for k in ("build", "build-warm")
              if "seconds" in stages.get(k, {}) and "seconds" in stages.get("plain", {})}
    return {"factor": factor, "stages": stages, "build_to_plain": ratios}


def row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"
