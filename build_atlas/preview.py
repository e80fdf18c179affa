"""What a `mkdocs serve` session remembers between rebuilds, so that an edit re-renders only what it changed.

`make serve` runs `mkdocs serve --dirty`: MkDocs then keeps site/ between builds and skips every page and file whose
`File.is_modified()` is false. MkDocs's own test (source newer than output) does not fit generated files, so the
plugin answers it from this memory, in two phases of a build:

- reading (Markdown → HTML body): a page is re-read when its Markdown, the config or the set of files changed;
  an unchanged page gets back what its last reading produced (title, body, table of contents, anchors);
- building (HTML body → page in the theme): a page is rebuilt when it was re-read, or when anything every page
  shows changed: the navigation (titles and order), the config, the theme's templates, the date;
- any other file is written when its bytes (generated) or its source file (copied) changed.

The atlas's own stages are spared the same way: the maps, exports and layer data are reused while the data they
are drawn from is unchanged, and `render_changed` renders only the generated pages an edit can change.

None of this is used by `make site` (build.py), which always builds everything into an empty directory.
"""

from __future__ import annotations

import functools
import json
import logging
import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from . import artifacts, exports, pages
from .model import Atlas
from .schema import CITIES, THEMES

# A measure or a project moves between pages, or changes what list pages count, only through these columns: an
# edit to any of them renders every page. An edit to another column (a title, a name, a text, units, a deadline, …)
# changes only the pages that show the row, and every page that shows a measure or a project links to it by its id
# (a measure's anchor on its document page, a project's page), plus the pages that sum measures up, rendered every
# time.
MOVING_COLUMNS = {"measures": ("id", "doc", "cities", "themes", "features", "implements"),
                  "features": ("id", "kind", "cities")}
SUMMARY_PAGES = ("index.md", "tracing.md", "data.md", "changes.md")  # changes.md: the uncommitted edits
TEMPLATES = Path(pages.__file__).with_name("templates")
SHARED_SCRIPT = re.compile(r"maps/(?:outlines|features)-[\w-]+-[0-9a-f]{12}\.js")  # maps.shared_scripts' names


def frame_digest(frame) -> str:
    """A digest of a table's values (geometry as WKB); the `line` column (where a row is in its CSV) is left out."""
    frame = frame.drop(columns=[c for c in ("line",) if c in frame.columns])
    if hasattr(frame, "to_wkb"):
        frame = frame.to_wkb()
    return artifacts.digest(frame.to_csv())


def row_digests(frame, moving: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """Each row's id → (digest of the columns that move it, digest of all its values)."""
    rows = frame.drop(columns=["line"]).to_dict("records")
    return {row["id"]: (artifacts.digest(repr([row[c] for c in moving])), artifacts.digest(repr(row)))
            for row in rows}


def templates_digest() -> str:
    return artifacts.digest(*(f"{p.name}\0{p.stat().st_mtime_ns}" for p in sorted(TEMPLATES.glob("*"))))


def mentions(ids: set[str]) -> re.Pattern | None:
    if not ids:
        return None
    return re.compile(r"(?<![0-9A-Za-z])(?:" + "|".join(map(re.escape, sorted(ids))) + r")(?![0-9A-Za-z])")


def page_plan(atlas: Atlas, *, today: date, site_url: str, layers: list[dict],
              history: list[dict]) -> dict[str, Callable[[], str]]:
    """`pages.render_pages`, one deferred call per page: {path: render}. tests/test_serve.py proves that every
    page comes out as render_pages makes it."""
    env, common, made = environment(), {}, {}

    def shared() -> dict:
        if not common:
            common.update({"docs": atlas.documents.to_dict("index"), "cities": pages.CITY, "themes": pages.THEME,
                           "feature_index": atlas.features.drop(columns="geometry").to_dict("index"),
                           "measure_index": atlas.measures.set_index("id", drop=False).to_dict("index"),
                           "build_date": today.isoformat(), "site_url": site_url})
        return common

    def known() -> dict[str, dict]:  # every project's row for the page tables, made once if a page needs it
        if "known" not in made:
            made["known"] = {row["id"]: row for row in pages.feature_rows(atlas, atlas.features)}
        return made["known"]

    def page(template: str, root: str, context: Callable[[], dict]) -> Callable[[], str]:
        return lambda: env.get_template(template).render(**shared(), root=root, **context())

    plan = {"index.md": page("home.md.j2", "", lambda: pages.home_context(atlas)),
            "projects/index.md": page("projects.md.j2", "../", lambda: pages.projects_context(atlas, known())),
            "tracing.md": page("tracing.md.j2", "", lambda: pages.tracing_context(atlas, today)),
            "changes.md": page("changes.md.j2", "", lambda: {"entries": history}),
            "data.md": page("data.md.j2", "", lambda: pages.data_context(atlas, layers))}
    for c in CITIES:
        plan[f"cities/{c.key}.md"] = page("city.md.j2", "../",
                                          lambda k=c.key: pages.city_context(atlas, k, known()))
    for t in THEMES:
        plan[f"themes/{t.key}.md"] = page("theme.md.j2", "../",
                                          lambda k=t.key: pages.theme_context(atlas, k, known()))

    def document(key: str) -> dict:
        counts = atlas.measures.groupby("doc").size()
        return {"d": atlas.documents.loc[key].to_dict(), "count": int(counts.get(key, 0)),
                "blocks": pages.document_blocks(atlas, key),
                "cleaning": pages.summary(pages.clean(key, atlas.texts[key]))}

    for key in atlas.documents.index:
        plan[f"documents/{key}.md"] = page("document.md.j2", "../", lambda k=key: document(k))
    for fid in atlas.features.index:
        plan[f"projects/{fid}.md"] = page("project.md.j2", "../",
                                          lambda f=fid: pages.project_context(atlas, f, known()))
    return plan


@functools.cache
def environment():
    """One Jinja environment for the session: each template is compiled once (and again when its file changes)."""
    return pages.environment()


@dataclass
class PageMemory:
    """Generated pages of the previous build, and what they were rendered from."""

    markdown: dict[str, str] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)  # the paths the last build rendered anew
    others: str = ""  # digest of every input but the measures and projects
    rows: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # table → row_digests


def render_changed(atlas: Atlas, memory: PageMemory, **inputs) -> tuple[dict[str, str], set[str]]:
    """Every generated page ({path: Markdown}) and the paths rendered anew; the others are the previous build's.
    Counted in artifacts.RENDERED["pages"]."""
    others = artifacts.digest(*(frame_digest(getattr(atlas, name)) for name in (
        "statements", "places", "counties", "cities", "documents", "aliases", "waypoints")),
        json.dumps(atlas.texts, sort_keys=True), repr(inputs["today"]), inputs["site_url"],
        json.dumps(inputs["layers"], ensure_ascii=False), templates_digest())
    rows = {table: row_digests(getattr(atlas, table), moving) for table, moving in MOVING_COLUMNS.items()}
    plan = page_plan(atlas, **inputs)
    previous, before = memory.markdown, memory.rows
    if others != memory.others or set(plan) != set(previous) or any(
            list(rows[t]) != list(before.get(t, {})) or any(rows[t][i][0] != before[t][i][0] for i in rows[t])
            for t in rows):
        chosen = set(plan)
    else:
        changed = mentions({i for t in rows for i in rows[t] if rows[t][i] != before[t][i]})
        chosen = {path for path in plan if path in SUMMARY_PAGES
                  or (changed is not None and changed.search(previous[path]))}
    out = {path: plan[path]() if path in chosen else previous[path] for path in plan}
    artifacts.RENDERED["pages"] += len(chosen)
    memory.markdown, memory.others, memory.rows, memory.rendered = out, others, rows, chosen
    return out, chosen


def maps_digest(atlas: Atlas, *parts: str) -> str:
    """What the maps, exports and layer data are drawn from: the projects, the themes and projects each measure
    names (theme maps), the outlines, and the given options."""
    return artifacts.digest(frame_digest(atlas.features), frame_digest(atlas.measures[["id", "themes", "features"]]),
                            frame_digest(atlas.cities), frame_digest(atlas.counties), *parts)


WORKER_NICENESS = 10  # the drawing yields the processor to the next rebuild: staff see their edit first


class Drawing:
    """The print images of a preview, drawn after the build instead of during it: an edit to a project shows on its
    pages at once, and its images follow when drawn (they took most of such a rebuild: the overview's two images alone
    take about ten seconds of drawing). Images are not among the build's files: this writes them into site/exports
    itself, cached ones at once and the others as a worker process finishes each. A later build supersedes what an
    earlier one asked for: a drawing nobody wants any more is cancelled, or not written when it is done.

    The workers are spawned, not forked: the server's threads may hold locks that a forked child would inherit."""

    def __init__(self, workers: int | None = None):
        self.workers, self.pool = workers or min(os.cpu_count() or 1, 4), None
        self.wanted: dict[str, str] = {}  # map name → key of the images the last build asked for
        self.shown: dict[str, str] = {}  # map name → key of the images in site/exports
        self.pending: dict[tuple[str, str], Future] = {}
        self.lock = threading.Condition()

    def update(self, specs, cities, counties, cache: artifacts.ArtifactCache, footer, site: Path) -> None:
        """Show every map's images as this build's data draws them: cached ones now, the others when drawn."""
        keys = exports.image_keys(specs, cities, counties, footer)
        folder = site / "exports"
        with self.lock:
            self.wanted = keys
            for (name, key), future in list(self.pending.items()):
                if keys.get(name) != key:
                    future.cancel()
            for name in set(self.shown) - set(keys):  # a project deleted: its images go with it
                for suffix in exports.IMAGES:
                    (folder / f"{name}.{suffix}").unlink(missing_ok=True)
                del self.shown[name]
            for spec in specs:
                key = keys[spec.name]
                if self.shown.get(spec.name) == key or (spec.name, key) in self.pending:
                    continue
                images = cache.read(exports.KIND, spec.name, key, exports.IMAGES)
                if images is not None:
                    self.show(folder, spec.name, key, images)
                    continue
                artifacts.RENDERED["images"] += 1
                if self.pool is None:
                    self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                    initializer=os.nice, initargs=(WORKER_NICENESS,))
                future = self.pool.submit(exports.draw_and_store, spec, cities, counties, footer, cache.folder, key)
                self.pending[spec.name, key] = future
                future.add_done_callback(functools.partial(self.drawn, folder, spec.name, key))

    def hold(self) -> None:
        """A build is starting: drawings not yet under way are dropped (the build's update asks again for those still
        wanted), so that the workers leave the processors to the build; those under way finish."""
        with self.lock:
            for future in list(self.pending.values()):
                future.cancel()

    def drawn(self, folder: Path, name: str, key: str, future: Future) -> None:
        with self.lock:
            try:
                if not future.cancelled() and self.wanted.get(name) == key:
                    self.show(folder, name, key, future.result())
            except Exception:  # noqa: BLE001 - a preview keeps serving; the next `make site` draws it or says why
                logging.getLogger("mkdocs").exception("地图图片未能生成 / drawing the images of %s failed", name)
            finally:
                self.pending.pop((name, key), None)
                self.lock.notify_all()

    def show(self, folder: Path, name: str, key: str, images: dict[str, bytes]) -> None:
        for suffix, data in images.items():
            artifacts.write_atomic(folder / f"{name}.{suffix}", data)
        self.shown[name] = key

    def wait(self, timeout: float | None = None) -> bool:
        """Until every drawing asked for is shown (tests, and a preview that ends); False on timeout."""
        with self.lock:
            return self.lock.wait_for(lambda: not self.pending, timeout)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


PAGE_STATE = ("markdown", "meta", "_title_from_render", "content", "toc", "present_anchor_ids")


class TemplateCache(jinja2.BytecodeCache):
    """The theme's templates compiled once per session (MkDocs makes a new Jinja environment for every build); a
    template whose source changed is compiled anew (Jinja checks each one's checksum)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class Session:
    """The memory of one `mkdocs serve` session (the plugin instance lives as long as the server)."""

    def __init__(self, dirty: bool):
        self.dirty = dirty  # MkDocs keeps site/ and asks File.is_modified(): pages can be skipped
        self.pages = PageMemory()
        self.maps_key, self.map_files = "", []  # [(site path, content)] of the maps, exports and layer data
        self.written: dict[str, object] = {}  # site path → what was written there (content, or source stamp)
        self.readings: dict[str, dict] = {}  # page path → its state after the last reading
        self.page_key = ""  # digest of what every page shows (navigation, config, theme, date)
        self.search: dict[str, list] = {}  # page URL → the theme's search entries for it (hand-written pages)
        self.jieba_dict = ""
        self.templates = TemplateCache()
        self.phase, self.changed, self.reading_key, self.page_key_changed = "read", set(), "", True
        self.complete = True
        self.drawing = Drawing()

    # -- files ---------------------------------------------------------------------------------------------------
    def track(self, files, config) -> None:
        """Give every file an is_modified() that answers from this memory (used by MkDocs in dirty mode)."""
        # what a page's reading may depend on: the set of files its links can point to. The map pages' shared
        # scripts are left out: no page links to them, and their names change with every edit to a project.
        linkable = sorted(f.src_uri for f in files if not SHARED_SCRIPT.fullmatch(f.src_uri))
        reading_key = artifacts.digest(Path(config.config_file_path).read_bytes(),
                                       json.dumps(config.extra, sort_keys=True, default=str),
                                       config.site_url or "", "\n".join(linkable))
        stale_readings = reading_key != self.reading_key
        self.reading_key, self.changed = reading_key, set()
        seen = {}
        for file in files:
            stamp = stamp_of(file)
            seen[file.dest_uri] = stamp
            before = self.written.get(file.dest_uri)
            if before is None or before != stamp or (file.is_documentation_page() and stale_readings):
                self.changed.add(file.src_uri)
            file.is_modified = self.modified_test(file)
        for gone in set(self.written) - set(seen):  # a page or file no longer made (a project deleted)
            (Path(config.site_dir) / gone).unlink(missing_ok=True)
        self.written = seen
        self.phase, self.complete = "read", False  # complete again when the build has written everything

    def modified_test(self, file) -> Callable[[], bool]:
        def is_modified() -> bool:
            if file.is_documentation_page() and self.phase == "build":
                return file.src_uri in self.changed or self.page_key_changed
            return file.src_uri in self.changed
        return is_modified

    def restore_readings(self, files) -> None:
        """Pages not re-read get back their last reading (their title shows in every page's navigation)."""
        for file in files.documentation_pages():
            state = self.readings.get(file.src_uri)
            if file.page is None:
                continue
            if file.src_uri not in self.changed and state is not None:
                for name, value in state.items():
                    setattr(file.page, name, value)
                links = state.get("links", {})
                file.page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()
                                              if files.get_file_from_path(uri) is not None}
            elif file.src_uri not in self.changed:
                self.changed.add(file.src_uri)  # never read in this session

    def hand_written_entries(self, site: Path, files, generated: set[str]) -> list[dict]:
        """The theme's search entries of the hand-written pages, in page order, as a full build lists them: those of
        the pages built now from its index, the others remembered."""
        index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
        built = {}
        for entry in index["docs"]:
            built.setdefault(entry["location"].split("#")[0], []).append(entry)
        kept = []
        for file in files.documentation_pages():
            if file.src_uri in generated or file.page is None:
                continue
            url = file.page.url
            if file.is_modified():
                self.search[url] = built.get(url, [])
            kept += self.search.get(url, [])
        return kept

    def start_building(self, files, config, nav) -> None:
        """Between reading and building: remember the readings, and see whether what every page shows changed."""
        for file in files.documentation_pages():
            page = file.page
            if page is not None and file.src_uri in self.changed:
                state = {name: getattr(page, name) for name in PAGE_STATE}
                state["links"] = {f.src_uri: anchors for f, anchors in (page.links_to_anchors or {}).items()}
                self.readings[file.src_uri] = state
        key = artifacts.digest(self.reading_key, json.dumps(nav_outline(nav.items), ensure_ascii=False),
                               theme_digest(config), str(config.theme.get("features")),
                               *(str(file.page.update_date) for file in files.documentation_pages()[:1]
                                 if file.page is not None))
        self.page_key_changed, self.page_key = key != self.page_key, key
        self.phase = "build"


def stamp_of(file) -> object:
    """What identifies a file's output: its content (generated), or its source's path, size and time."""
    content = getattr(file, "_content", None)
    return content if content is not None else source_stamp(file.abs_src_path)


def source_stamp(path) -> tuple:
    stat = Path(path).stat()
    return (str(path), stat.st_size, stat.st_mtime_ns)


def nav_outline(items) -> list:
    """The navigation as every page shows it: titles, links and nesting."""
    return [[type(item).__name__, item.title, getattr(item, "url", None), nav_outline(item.children or [])]
            for item in items]


def theme_digest(config) -> str:
    stamps = []
    for folder in config.theme.dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            stat = path.stat()
            stamps.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return artifacts.digest(*stamps)
