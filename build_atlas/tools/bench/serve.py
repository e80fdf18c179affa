"""How fast `make serve` shows an edit: a one-cell edit of a measure or a project, timed until the page shows it, and
until its map's images follow."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from ...inputs import model
from ...outputs import exports, maps
from ...vocabulary import routes
from .stages import EDITS, SERVE_TIMEOUT_S, copy_project


def wait_for_text(url: str, needle: str, timeout: float) -> float | None:
    """Seconds until `needle` is in the page at `url` (polled every 0.1 s), None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if needle in response.read().decode("utf-8", "replace"):
                    return round(time.perf_counter() - start, 2)
        except OSError:
            pass  # not serving yet, or between builds
        time.sleep(0.1)
    return None


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's own process group, SIGKILL if it lingers: never leave a server behind."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


# What `make serve` runs (Makefile): --dirty lets the plugin skip what an edit did not change (site/preview.py)
SERVE_ARGS = ("serve", "--dirty", "--watch", "measures.csv", "--watch", "geodata")


EDITED = {  # what the latency is measured for: the table, the column edited, the page that shows it
    "measure": ("measures.csv", "title", lambda row: routes.html(routes.document(row["doc"]))),
    "feature": ("geodata/features.csv", "name_zh", lambda row: routes.html(routes.project(row["id"]))),
    # a progress event's summary, shown on its project's timeline (the first project the row is about)
    "event": ("geodata/progress.csv", "summary",
              lambda row: routes.html(routes.project(row["target"].split(";")[0]))),
}


def row_start(row: dict) -> str:
    """Where the edited row starts in its file: its id, or (an event, which has none) its date and targets."""
    return "\n" + (row["id"] if "id" in row else f"{row['date']},{row['target']}") + ","


def rebuild_latency(root: Path, tmp: Path, warm_cache: Path, edit: str = "measure") -> dict:
    """`make serve` in a copy; edit one cell (a measure's title, or a project's name) EDITS times; seconds until
    each new value is served."""
    table, column, page_of = EDITED[edit]
    work = copy_project(root, tmp / f"serve-{edit}")
    csv_path = work / table
    if warm_cache.is_dir():  # a preview session has built once already: print images are cached
        shutil.copytree(warm_cache, work / ".cache")
    projects = set(model.gather(root).features.index) if edit == "event" else set()
    with csv_path.open(encoding="utf-8-sig", newline="") as file:
        target = next(r for r in csv.DictReader(file) if not re.search(r'[,"\n]', r[column])
                      and (edit != "event" or r["target"].split(";")[0] in projects))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url, value, runs = f"http://127.0.0.1:{port}/{page_of(target)}", target[column], []
    with (tmp / f"serve-{edit}.log").open("w") as log:
        process = subprocess.Popen([str(Path(sys.executable).with_name("mkdocs")), *SERVE_ARGS,
                                    "-a", f"127.0.0.1:{port}"], cwd=work, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "ATLAS_BUILD_DATE": date.today().isoformat()})
        try:
            first = wait_for_text(url, value, SERVE_TIMEOUT_S)
            # the print images are drawn after the first build, in the background: edits are timed once they are
            # all there (a session's usual state), and how long they took is reported too
            images = wait_for_images(f"http://127.0.0.1:{port}/", work) if first is not None else None
            for n in range(1, EDITS + 1) if images is not None else []:
                new, text = f"{target[column]}bench{n}", csv_path.read_bytes().decode("utf-8")
                at = text.index(row_start(target))  # one cell changes, every other byte is kept
                drawn_before = cached_images(work)
                csv_path.write_bytes((text[:at] + text[at:].replace(f",{value},", f",{new},", 1)).encode("utf-8"))
                runs.append(wait_for_text(url, new, SERVE_TIMEOUT_S))
                value = new
            if runs and edit == "feature":  # staff look at the images too: the last edit's are drawn before stopping
                wait_for_drawing(work, target["id"], drawn_before)
        finally:
            stop(process)
    done = sorted(r for r in runs if r is not None)
    result = {"edit": f"{table} {column}", "measure": target.get("id") or row_start(target).strip("\n,"),
              "first_build_s": first, "images_s": images,
              "runs_s": runs, "median_s": done[len(done) // 2] if done else None}
    if images is not None:
        result["site_after_serve"] = site_after_serve(work)
    return result


def cached_images(work: Path) -> int:
    return sum(1 for path in (work / ".cache" / "artifacts" / exports.KIND).rglob("*") if path.is_file())


QUIET_S = 20  # no image joined the cache for this long: the preview's workers are done (a map takes ≤ 12 s)


def wait_for_drawing(work: Path, fid: str, before: int) -> None:
    """Until the preview has drawn the images of every map that shows the edited project: at least that many images
    joined the cache since the last edit, and then none for QUIET_S (an earlier edit's drawings, still under way
    when the last edit came, join the cache too)."""
    wanted = before + len(exports.IMAGES) * sum(fid in spec.features.index
                                                 for spec in maps.map_specs(model.gather(work)))
    start = last_change = time.perf_counter()
    count = cached_images(work)
    while time.perf_counter() - start < SERVE_TIMEOUT_S:
        time.sleep(1)
        now = cached_images(work)
        if now != count:
            count, last_change = now, time.perf_counter()
        elif count >= wanted and time.perf_counter() - last_change >= QUIET_S:
            return


def site_after_serve(work: Path) -> dict:
    """`make site` in the copy a preview session has just left, then again: seconds, and how many map pages and
    print images each had to make (the preview's are in the same cache, so the first should make none)."""
    def made() -> set[Path]:
        folder = work / ".cache" / "artifacts"
        return {p for kind in ("maps", "images") for p in (folder / kind).rglob("*") if p.is_file()}

    runs = {}
    for name in ("after_serve", "warm"):
        before, start = made(), time.perf_counter()
        subprocess.run([sys.executable, "-m", "build_atlas", "build", "--date", date.today().isoformat(),
                        "--site-dir", str(work / f"site-{name}")], cwd=work, check=True, capture_output=True)
        runs[name] = {"seconds": round(time.perf_counter() - start, 1), "made": len(made() - before)}
    return runs


def wait_for_images(base: str, work: Path) -> float | None:
    """Seconds until every map's print images are served (None on timeout)."""
    start = time.perf_counter()
    wanted = [routes.image(spec.name, suffix) for spec in maps.map_specs(model.gather(work))
              for suffix in exports.IMAGES]
    while wanted and time.perf_counter() - start < SERVE_TIMEOUT_S:
        try:
            with urllib.request.urlopen(base + wanted[-1], timeout=5):
                wanted.pop()
                continue
        except OSError:
            time.sleep(0.5)
    return None if wanted else round(time.perf_counter() - start, 1)


def serve_only(root: Path) -> int:
    """`--serve-only`: the rebuild latencies alone, with the project's own cache (print images) as the warm one."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as name:
        for edit in EDITED:
            print(f"bench: rebuild after a {edit} edit …", file=sys.stderr, flush=True)
            results[edit] = rebuild_latency(root, Path(name), root / ".cache", edit)
    lines = [f"Rebuild under `{' '.join(['mkdocs', *SERVE_ARGS])}` after a one-cell edit of {r['edit']} "
             f"({r['measure']}): median {r['median_s']} s (runs: {r['runs_s']}); first build before serving: "
             f"{r['first_build_s']} s, its print images drawn {r['images_s']} s later." for r in results.values()]
    lines += [f"make site right after that session: {after['after_serve']['seconds']} s, "
              f"{after['after_serve']['made']} map pages and images made again; a warm make site: "
              f"{after['warm']['seconds']} s."
              for after in (r.get("site_after_serve") for r in results.values()) if after]
    print("\n".join(lines))
    return 0 if all(r["median_s"] is not None for r in results.values()) else 1
