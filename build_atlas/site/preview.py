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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs.structure.files import File

from ..cache import artifacts
from ..inputs.model import Atlas
from ..outputs import package, pages, search
from ..vocabulary import routes
from . import builds, editions
from .drawing import Drawing, Planning

# A measure or a project moves between pages, or changes what list pages count, only through these columns: an
# edit to any of them renders every page. An edit to another column (a title, a name, a text, units, a deadline, …)
# changes only the pages that show the row, and every page that shows a measure or a project links to it by its id
# (a measure's anchor on its document page, a project's page), plus the pages that sum measures up, rendered every
# time.
MOVING_COLUMNS = {"measures": ("id", "doc", "cities", "themes", "features", "implements"),
                  "features": ("id", "kind", "cities")}
# changes: the uncommitted edits; data: the downloads' sizes, rows and version (no other page shows them)
SUMMARY_PAGES = (routes.HOME, routes.TRACING, routes.DATA, routes.CHANGES)
# A column an edition shows only where the row lacks its own-language column, and else only on the row's own page:
# the English edition shows a measure's Chinese title for its missing English title, and beside the English one as
# the heading of the clause; a project's Chinese name (every project has an English one) on the project's page. A
# Chinese title or name edit re-renders the English edition's pages that show the row only when its English one is
# empty; its own page always (`own_pages`).
GLOSSED = {"en": {"measures": ("title", "title_en"), "features": ("name_zh", "name_en")}}
TEMPLATES = Path(pages.__file__).with_name("templates")
SHARED_SCRIPT = re.compile("(?:" + "|".join(re.escape(routes.map_script("", lang)) for lang in routes.LANGUAGES)
                           + r")(?:outlines|features)-[\w-]+-[0-9a-f]{12}\.js")  # either edition's


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
    return artifacts.digest(*(f"{p.relative_to(TEMPLATES)}\0{p.stat().st_mtime_ns}"
                              for p in sorted(TEMPLATES.rglob("*.j2"))))


def mentions(ids: set[str]) -> re.Pattern | None:
    if not ids:
        return None
    return re.compile(r"(?<![0-9A-Za-z])(?:" + "|".join(map(re.escape, sorted(ids))) + r")(?![0-9A-Za-z])")


@dataclass
class PageMemory:
    """Generated pages of the previous build, and what they were rendered from."""

    markdown: dict[str, str] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)  # the paths the last build rendered anew
    others: str = ""  # digest of every input but the measures and projects
    rows: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # table → row_digests
    events: dict[str, str] = field(default_factory=dict)  # target → digest of its progress events
    own: dict[str, str] = field(default_factory=dict)  # page → digest of the GLOSSED values it always shows


def own_pages(atlas: Atlas) -> dict[str, str]:
    """The pages that show a GLOSSED column whatever the row's English holds, with a digest of what they show of it:
    each document page its measures' titles, each project page its Chinese name."""
    out = {routes.document(doc): artifacts.digest(*titles) for doc, titles in atlas.measures.groupby("doc")["title"]}
    return out | {routes.project(fid): name for fid, name in atlas.features["name_zh"].items()}


def edition_rows(frame, table: str, lang: str):
    """The table as edition `lang`'s pages show it beside the document pages (GLOSSED)."""
    glossed = GLOSSED.get(lang, {}).get(table)
    if glossed is None:
        return frame
    column, own = glossed
    return frame.assign(**{column: frame[column].where(frame[own] == "", "")})


def event_page(atlas: Atlas, target: str) -> str:
    """The page that lists a target's progress events: a project's own page, or a measure's document page (its card
    shows only what its row holds: the deadline's state, and the date and source of its completion)."""
    if target in atlas.features.index:
        return routes.project(target)
    docs = atlas.measures.loc[atlas.measures["id"] == target, "doc"]
    return routes.document(docs.iloc[0]) if len(docs) else ""


def render_changed(atlas: Atlas, memory: PageMemory, **inputs) -> tuple[dict[str, str], set[str]]:
    """Every generated page ({path: Markdown}) and the paths rendered anew; the others are the previous build's.
    Counted in artifacts.RENDERED["pages"]."""
    index = atlas.by_county  # a measure's words or a project's line can move it onto another county's page
    others = artifacts.digest(*(frame_digest(getattr(atlas, name)) for name in (
        "statements", "places", "counties", "cities", "documents", "aliases", "waypoints", "seats")),
        *(frame_digest(frame) for frame in (index.projects, index.measures, index.documents)),
        json.dumps(atlas.texts, sort_keys=True), repr(inputs["today"]), inputs["site_url"], templates_digest())
    lang = inputs.get("lang", routes.DEFAULT_LANGUAGE)
    rows = {table: row_digests(edition_rows(getattr(atlas, table), table, lang), moving)
            for table, moving in MOVING_COLUMNS.items()}
    events = {target: frame_digest(group) for target, group in atlas.progress.groupby("target")}
    own = own_pages(atlas)
    plan = pages.page_plan(atlas, **inputs)
    previous, before = memory.markdown, memory.rows
    if others != memory.others or set(plan) != set(previous) or any(
            list(rows[t]) != list(before.get(t, {})) or any(rows[t][i][0] != before[t][i][0] for i in rows[t])
            for t in rows):
        chosen = set(plan)
    else:
        changed = mentions({i for t in rows for i in rows[t] if rows[t][i] != before[t][i]})
        restated = {page for page in own.keys() | memory.own.keys() if own.get(page) != memory.own.get(page)}
        # a target's events are listed on its own page only; the stage they give it is in its row
        recorded = {event_page(atlas, t) for t in events.keys() | memory.events.keys()
                    if events.get(t) != memory.events.get(t)}
        always = {*SUMMARY_PAGES, *restated, *recorded}
        chosen = {path for path in plan if routes.unlocalized(path) in always
                  or (changed is not None and changed.search(previous[path]))}
    out = {path: plan[path]() if path in chosen else previous[path] for path in plan}
    artifacts.RENDERED["pages"] += len(chosen)
    memory.markdown, memory.others, memory.rows, memory.rendered = out, others, rows, chosen
    memory.events, memory.own = events, own
    return out, chosen


def maps_digest(atlas: Atlas) -> str:
    """What the maps, exports and layer data are drawn from: the projects, the themes and projects each measure
    names (theme maps), and the outlines."""
    return artifacts.digest(frame_digest(atlas.features), frame_digest(atlas.measures[["id", "themes", "features"]]),
                            frame_digest(atlas.cities), frame_digest(atlas.counties))


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
        self.map_notes: dict = {}  # what the pages say of each map's prints (builds.WholeBuild.map_files)
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


class DirtyWarning(logging.Filter):
    """`mkdocs serve --dirty` warns on every build that pages may be stale (which strict mode makes an error): the
    preview tells MkDocs exactly which pages an edit changed, so the warning does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


BUILD_LOGGER = logging.getLogger("mkdocs.commands.build")


class Preview(builds.WholeBuild):
    """A build under `make serve`: the whole build's steps, each redoing only what an edit changed (Session), with
    the print images drawn after the build instead of during it (Drawing)."""

    workers = 1  # in the server's own process: its threads may hold locks that a forked worker would inherit

    def __init__(self, options, dirty: bool):
        super().__init__(options)
        # one memory per edition: the English pass of a build must not take the Chinese pass's pages for its own
        self.sessions: dict[str, Session] = {}
        self.dirty, self.draw_later, self.pack_later = dirty, None, None
        self.planning = Planning()
        self.planned: dict[str, str] = {}  # edition → the data and footer its print notes were last asked for
        if dirty:
            BUILD_LOGGER.addFilter(DirtyWarning())

    @property
    def session(self) -> Session:
        return self.sessions.setdefault(self.lang, Session(self.dirty))

    def configure(self, config):
        self.lang = builds.language(config)
        self.session.drawing.hold()
        self.draw_later = None
        if self.lang == routes.DEFAULT_LANGUAGE:  # the package is asked for in this pass, made after the last one
            self.pack_later = None
            for session in self.sessions.values():  # every edition's drawings wait until the build is done
                session.drawing.pause()
        self.last_pass = editions.passes(config)[-1] == self.lang
        config = super().configure(config)
        if self.lang == routes.DEFAULT_LANGUAGE and self.options.exports:  # the build's first pass: data just read
            self.planning.start()
            for lang in editions.passes(config):
                footer = self.print_footer(self.map_options(config, lang))
                # asked again only when what the maps are drawn from changed (an edit to a measure's title or to
                # a progress event leaves them as they were)
                key = artifacts.digest(self.maps_data(), lang, repr(footer))
                if self.planned.get(lang) != key:
                    self.planning.ask(lang, self.map_specs(lang), *self.outlines(), self.cache, footer)
                    self.planned[lang] = key
        return config

    def render_ahead(self, config) -> None:
        """Nothing: each edition's pass renders the maps an edit changed, in the server's process."""

    def maps_data(self) -> str:
        """maps_digest of this build's data, made once for both editions."""
        return self.atlas.derived("maps digest", lambda: maps_digest(self.atlas))

    def reload_words(self, words: str) -> bool:
        """jieba's dictionary stays loaded while its words are unchanged (reloading takes a second; loading the same
        words again would change their weights)."""
        reload = words != self.session.jieba_dict
        self.session.jieba_dict = words
        return reload

    def map_files(self, config, options) -> list:
        """The edition's maps, images and layer data of its last build while the data they show is unchanged."""
        session = self.session
        key = artifacts.digest(self.maps_data(), self.lang, repr(options), str(self.options.exports),
                               config.site_name, *(str(source_stamp(path)) for path in self.vendor.values()))
        self.planning.settle(self.lang)  # the notes planned ahead (configure) are in the cache
        if key == session.maps_key:
            self.map_notes = session.map_notes
            return [File.generated(config, path, content=content) for path, content in session.map_files]
        drawn = super().map_files(config, options)
        session.maps_key, session.map_files = key, [(f.src_uri, f.content_bytes) for f in drawn]
        session.map_notes = self.map_notes
        return drawn

    def image_files(self, config, specs, outlines, footer) -> list:
        """None now: the edit shows first, and its images are drawn once the build is done (finish)."""
        self.draw_later = functools.partial(self.session.drawing.update, specs, *outlines, self.cache, footer,
                                            Path(config.site_dir), self.lang)
        return []

    def render_pages(self, **inputs) -> dict[str, str]:
        return render_changed(self.atlas, self.session.pages, lang=self.lang, parts=self.page_parts, **inputs)[0]

    def package_parts(self, config, files, tables, publication) -> dict:
        """The data package as the cache has it for this data; after an edit, the last one made, until this build's
        is made after the build like the images (it took about a third of a one-cell edit's rebuild: frictionless's
        check, the workbook, the zip). Its problems, if any, stop `make site`."""
        drawing, key = self.session.drawing, package.key(files, publication)
        parts = self.cache.read(package.KIND, package.NAME, key, package.PARTS)
        if parts is None and drawing.package is not None:
            self.pack_later = functools.partial(drawing.pack, files, tables, publication, self.cache, key,
                                                Path(config.site_dir))
            return drawing.package
        drawing.package = parts or super().package_parts(config, files, tables, publication)
        return drawing.package

    def nav(self, nav, files, config):
        # tracked as MkDocs builds them: the i18n plugin re-creates the hand-written pages' files after on_files
        # (their own test, by the files' times, would skip them after an edit that changes what every page shows)
        self.session.track(files, config)
        if self.session.dirty:
            self.session.restore_readings(files)
            self.nav_items = nav
        return super().nav(nav, files, config)

    def env(self, env, config, files):
        if self.session.dirty:
            self.session.start_building(files, config, self.nav_items)
            env.bytecode_cache = self.session.templates
            # the theme's search plugin would merge its index of the pages built now into the previous one, which
            # it does for one page only; the session keeps each page's entries itself (hand_written_entries)
            theme_search = config.plugins.get("material/search")
            if theme_search is not None and hasattr(theme_search, "search_index_prev"):
                theme_search.search_index_prev = None
        return env

    def release_pass(self) -> None:
        """Nothing: the session answers the next build from what this one made (its readings and files)."""

    def page_converted(self, page) -> None:
        """Nothing: the session's memory of pages keeps what the next build may reuse."""

    def page_built(self, page) -> None:
        artifacts.RENDERED["site pages"] += 1  # a preview skips the pages an edit left alone

    def failed(self) -> None:
        """A build that failed while writing may have written part of what it meant to: the next one writes
        everything. (One stopped by a mistake in the data, before anything was written, changes nothing.)"""
        self.resume_drawings()
        if not self.session.complete:
            drawing = self.session.drawing  # it writes the images itself, and knows which it wrote
            self.sessions[self.lang] = Session(self.dirty)
            self.session.drawing = drawing

    def write_search_index(self, site: Path) -> None:
        """The preview keeps its own memory of results (its jieba may have reloaded words, which shifts their
        weights): only whole builds share the records cached on disk, so a preview never leaks into `make site`."""
        kept = self.session.hand_written_entries(site, self.files, self.generated) if self.session.dirty else None
        search.write_index(site, self.atlas, self.generated, kept=kept, lang=self.lang)
        self.session.complete = True
        if self.draw_later is not None:  # the images this build's maps need, drawn now that it is done
            self.draw_later()
            self.draw_later = None
        if self.pack_later is not None and self.last_pass:
            # and its data package, once every edition's pass has written the files it shares (those of the package
            # as this build found it: written after the package, they would undo it)
            self.pack_later()
            self.pack_later = None
        if self.last_pass:
            self.resume_drawings()

    def resume_drawings(self) -> None:
        for session in self.sessions.values():
            session.drawing.resume()

    def close(self) -> None:
        self.planning.close()
        for session in self.sessions.values():
            session.drawing.close()
        for old in [f for f in BUILD_LOGGER.filters if isinstance(f, DirtyWarning)]:
            BUILD_LOGGER.removeFilter(old)
