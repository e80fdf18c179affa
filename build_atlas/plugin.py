"""The MkDocs plugin that puts the atlas into the site: `plugins: - atlas` in mkdocs.yml.

on_config gathers and validates the data (a problem stops the build before anything is written) and
sets the navigation; on_files adds the generated pages, maps, exports, downloads and vendored assets.
Both `mkdocs build` and `mkdocs serve` go through here, so a preview rebuilds from the edited CSV.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import jieba
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import yaml_load

from . import artifacts, changes, exports, maps, pages, preview, search
from .errors import AtlasError
from .model import Atlas, gather
from .schema import CITIES, KINDS, LAYERS, TABLES, THEMES

NPM_ASSETS = {  # site path under assets/vendor/ → file in node_modules/
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    # Decodes the map outlines, which the shared outline scripts carry as encoded polylines (BSD-2-Clause).
    "polyline/polyline.js": "@mapbox/polyline/src/polyline.js",
    "polyline/LICENSE.txt": "@mapbox/polyline/LICENSE",
    # Map plugins (MIT): one finger scrolls the page, two move the map; Ctrl/⌘+wheel zooms; a fullscreen button.
    "leaflet-gesture-handling/leaflet-gesture-handling.min.js":
        "leaflet-gesture-handling/dist/leaflet-gesture-handling.min.js",
    "leaflet-gesture-handling/leaflet-gesture-handling.min.css":
        "leaflet-gesture-handling/dist/leaflet-gesture-handling.min.css",
    "leaflet-gesture-handling/LICENSE": "leaflet-gesture-handling/LICENSE",
    "leaflet.fullscreen/Control.FullScreen.umd.js": "leaflet.fullscreen/dist/Control.FullScreen.umd.js",
    "leaflet.fullscreen/Control.FullScreen.css": "leaflet.fullscreen/dist/Control.FullScreen.css",
    "leaflet.fullscreen/LICENSE.txt": "leaflet.fullscreen/LICENSE.md",  # .txt: MkDocs would make a .md a page
    # The offline plugin's Web Worker shim for file://; mkdocs.yml's extra.polyfills points here, which stops
    # the plugin from adding its CDN copy.
    "iframe-worker/shim.js": "iframe-worker/shim/index.js",
}
FORMULA_START = ("=", "+", "-", "@")
PROJECT_PAGE = re.compile(r"projects/(?!index\.md$)[^/]+\.md")
BOM = "\ufeff".encode()


class AtlasConfig(base.Config):
    tiles = c.Choice(("osm", "tianditu", "none"), default="osm")
    """Basemap tiles: OpenStreetMap, Tianditu (needs `tianditu_key`) or none (plain background)."""
    tianditu_key = c.Type(str, default="")
    """Tianditu API key; also read from the ATLAS_TIANDITU_KEY environment variable."""
    build_date = c.Type(str, default="")
    """The date the atlas speaks as of (YYYY-MM-DD); default ATLAS_BUILD_DATE or today (UTC)."""
    exports = c.Type(bool, default=True)
    """Make the PNG/SVG/standalone downloads (cached under `cache_dir`)."""
    cache_dir = c.Type(str, default=".cache")
    """Where print images and the search dictionary are cached, relative to mkdocs.yml."""
    publisher = c.Type(str, default="")
    """Who publishes the atlas (shown in every page's footer, on the about page and in the citation)."""
    contact = c.Type(str, default="")
    """How readers reach the publisher: an e-mail address or a web address; empty shows 暂未公布."""
    license = c.Type(str, default="CC BY 4.0")
    """The terms under which the atlas's own data and maps may be reused (the source documents and the boundaries
    keep their own; the about page says which)."""
    license_url = c.Type(str, default="https://creativecommons.org/licenses/by/4.0/deed.zh-hans")
    """Where the terms are published in full."""
    map_approval = c.Type(str, default="")
    """审图号: the map review approval number, once one is issued; shown in the footer and on the about page."""


PROVENANCE_MARKER = "<!-- atlas:provenance -->"  # docs/about.md: where the generated provenance section goes


def provenance(options: AtlasConfig) -> dict[str, str]:
    return {key: options[key].strip() for key in ("publisher", "contact", "license", "license_url", "map_approval")}


ENGLISH_TAG = re.compile(r'<[a-z][a-z0-9]*\s[^>]*\bclass="(?:[^"]*\s)?en(?:\s[^"]*)?"[^>]*>')


def mark_english(html_text: str) -> str:
    """Give every element of class `en` (the English labels the data carries) lang="en", so screen readers speak it
    in English and browsers hyphenate it as English; templates need not remember to."""
    return ENGLISH_TAG.sub(lambda m: m.group(0) if " lang=" in m.group(0) else m.group(0)[:-1] + ' lang="en">',
                           html_text)


def build_date(configured: str) -> date:
    value = configured or os.environ.get("ATLAS_BUILD_DATE", "")
    try:
        return date.fromisoformat(value) if value else datetime.now(UTC).date()
    except ValueError as error:
        raise PluginError(f"atlas build_date '{value}' is not YYYY-MM-DD: {error}") from error


def published_url(config_file: str) -> str:
    """The address the atlas is published at, as mkdocs.yml gives it. `mkdocs serve` replaces `config.site_url` by
    its own address; the atlas's outputs (embed snippets, image footers, the citation) name the published one in a
    preview too, so a preview shows what will be published and shares its cached maps and images with `make site`."""
    with open(config_file, encoding="utf-8") as file:
        return (yaml_load(file) or {}).get("site_url") or ""


def navigation(atlas: Atlas) -> list:
    docs = atlas.documents
    return [
        {"首页": "index.md"},
        {"城市": [{c.zh: f"cities/{c.key}.md"} for c in CITIES]},
        {"主题": [{t.zh: f"themes/{t.key}.md"} for t in THEMES]},
        {"规划项目": "projects/index.md"},  # each project page is reached from the list, the maps and search
        {"来源文件": [{d["short"]: f"documents/{key}.md"} for key, d in docs.iterrows()]},
        {"落实追踪": "tracing.md"}, {"更新记录": "changes.md"}, {"数据下载": "data.md"}, {"关于": "about.md"},
    ]


def safe_csv(path: Path) -> str:
    """The download copy of a table: cells that a spreadsheet would run as a formula get a leading '."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_START) else cell for cell in row])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 correctly


def geojson_layers(atlas: Atlas) -> dict[str, str]:
    layers = {"cities.geojson": atlas.cities.reset_index(drop=True), "counties.geojson": atlas.counties}
    for layer in LAYERS:
        kinds = [k.key for k in KINDS if k.note == layer.key]
        subset = atlas.located[atlas.located["kind"].isin(kinds)]
        if len(subset):
            frame = subset.drop(columns=["line"]).reset_index(drop=True).copy()
            frame["cities"] = frame["cities"].map(";".join)
            layers[f"features-{layer.key}.geojson"] = frame
    made, out = {}, {}
    for name, frame in layers.items():  # a layer's text is made again only when its rows changed (a preview)
        key = artifacts.digest(name, repr(list(frame.columns)), *map(repr, frame.to_wkb().itertuples(index=False)))
        made[key] = _GEOJSON.get(key) or json.dumps(json.loads(frame.to_json(drop_id=True)), ensure_ascii=False,
                                                    separators=(",", ":"))
        out[name] = made[key]
    _GEOJSON.clear()
    _GEOJSON.update(made)
    return out


_GEOJSON: dict[str, str] = {}  # the last build's layer texts by their rows' digest


class DirtyWarning(logging.Filter):
    """`mkdocs serve --dirty` warns on every build that pages may be stale (which strict mode makes an error): the
    plugin tells MkDocs exactly which pages an edit changed (preview.py), so the warning does not apply."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class AtlasPlugin(BasePlugin[AtlasConfig]):
    session: preview.Session | None = None  # set while `mkdocs serve` runs: what one build leaves for the next
    draw_later = None  # a preview build's request for print images, made once the build is done

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs keeps a plugin that has this hook for the whole `mkdocs serve` session."""
        if self.session is not None:
            self.session.drawing.close()
        self.session = preview.Session(dirty) if command == "serve" else None
        build_logger = logging.getLogger("mkdocs.commands.build")
        for old in [f for f in build_logger.filters if isinstance(f, DirtyWarning)]:
            build_logger.removeFilter(old)
        if self.session and dirty:
            build_logger.addFilter(DirtyWarning())

    def on_shutdown(self) -> None:
        if self.session is not None:
            self.session.drawing.close()
        self.session = None

    def on_build_error(self, *, error) -> None:
        """A build that failed while writing may have written part of what it meant to: the next one writes
        everything. (One stopped by a mistake in the data, before anything was written, changes nothing.)"""
        if self.session is not None and not self.session.complete:
            drawing = self.session.drawing  # it writes the images itself, and knows which it wrote
            self.session = preview.Session(self.session.dirty)
            self.session.drawing = drawing

    def on_config(self, config):
        if self.session is not None:
            self.session.drawing.hold()
        self.draw_later = None
        self.root = Path(config.config_file_path).parent
        logging.getLogger("jieba").setLevel(logging.WARNING)
        try:
            self.atlas = gather(self.root)
        except AtlasError as error:
            raise PluginError("\n" + error.report()) from None
        self.today = build_date(self.config.build_date)
        self.site_url = published_url(config.config_file_path)
        self.cache = self.root / self.config.cache_dir
        config.nav = navigation(self.atlas)
        # the theme's footer (build_atlas/theme/partials/copyright.html) reads these
        config.extra["atlas"] = {**provenance(self.config), "data_date": self.today.isoformat()}
        dictionary = search.write_jieba_dict(self.atlas, self.cache / "jieba_user_dict.txt")
        # jieba's dictionary is process-global: forget words an earlier build in this process added (mkdocs serve,
        # tests), so the search index depends on this build's inputs only. A preview whose words did not change
        # keeps it as it is (reloading takes a second; loading the same words again would change their weights).
        words = dictionary.read_text(encoding="utf-8")
        reload = self.session is None or words != self.session.jieba_dict
        if reload:
            jieba.dt.initialized = False
            search.forget_segments()
        if self.session is not None:
            self.session.jieba_dict = words
        for plugin in config.plugins.values():
            if hasattr(plugin, "config") and "jieba_dict_user" in plugin.config:
                plugin.config.jieba_dict_user = str(dictionary) if reload else ""
        return config

    def on_files(self, files: Files, config) -> Files:
        atlas, site_url = self.atlas, self.site_url
        options = maps.MapOptions(self.config.tiles, self.config.tianditu_key
                                  or os.environ.get("ATLAS_TIANDITU_KEY", ""), site_url, self.today.isoformat())
        vendor = self.vendor_files(files, config)
        for name in TABLES:  # every table, as downloads that a spreadsheet cannot run as formulas
            files.append(File.generated(config, f"data/{Path(name).name}", content=safe_csv(self.root / name)))
        session, drawn = self.session, Files([])
        if session is None:
            self.add_maps(drawn, config, options)
        else:  # a preview reuses what the data they show did not change
            key = preview.maps_digest(atlas, repr(options), str(self.config.exports), config.site_name,
                                      *(str(preview.source_stamp(path)) for path in vendor.values()))
            if key != session.maps_key:
                self.add_maps(drawn, config, options)
                session.maps_key, session.map_files = key, [(f.src_uri, f.content_bytes) for f in drawn]
            else:
                for path, content in session.map_files:
                    drawn.append(File.generated(config, path, content=content))
        for file in drawn:
            files.append(file)
        for document in atlas.documents.to_dict("records"):
            self.offer_original(files, config, f"documents/{document['file']}")
        layers = [file.src_uri.removeprefix("data/") for file in drawn if file.src_uri.endswith(".geojson")]
        listing = [{"file": name, "label": label_for(name)} for name in layers]
        try:
            history = changes.history(self.root)
        except AtlasError as error:
            raise PluginError("\n" + error.report()) from None
        inputs = {"today": self.today, "site_url": site_url, "layers": listing, "history": history}
        if session is None:
            generated = pages.render_pages(atlas, **inputs)
        else:
            generated, _ = preview.render_changed(atlas, session.pages, **inputs)
        for path, text in generated.items():
            # Project pages stay out of the navigation: 184 names in every page's sidebar made each page ~80 KB of
            # links (13 MB in all); a project page links back to its group in the list instead.
            inclusion = InclusionLevel.NOT_IN_NAV if PROJECT_PAGE.fullmatch(path) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=text, inclusion=inclusion))
        self.generated = set(generated)
        if session is not None:
            session.track(files, config)
        self.files = files
        return files

    def add_maps(self, files: Files, config, options: maps.MapOptions) -> None:
        """The layer data, the map pages with their shared outlines, and the exports."""
        atlas = self.atlas
        layers = geojson_layers(atlas)
        for name, text in layers.items():
            files.append(File.generated(config, f"data/{name}", content=text))
        outlines = maps.context_outlines(atlas)
        specs = maps.map_specs(atlas)
        self.artifacts = artifacts.ArtifactCache(self.cache / "artifacts")
        shared = {}  # outlines and feature layers loaded by the map pages that draw them instead of inlined in each
        for key, (name, script) in maps.shared_scripts(atlas, outlines).items():
            files.append(File.generated(config, f"maps/{name}", content=script))
            shared[key] = name
        # a preview renders in its own process: the server's threads may hold locks that a forked worker would inherit
        workers = 1 if self.session is not None else None
        for name, page in maps.map_pages(specs, atlas, options, outlines, shared, self.artifacts, workers).items():
            files.append(File.generated(config, f"maps/{name}.html", content=page))
        if self.config.exports:
            self.add_exports(files, config, specs, options, outlines)

    def on_nav(self, nav, *, config, files):
        if self.session is not None and self.session.dirty:
            self.session.restore_readings(files)
            self.nav = nav
        return nav

    def on_env(self, env, *, config, files):
        if self.session is not None and self.session.dirty:
            self.session.start_building(files, config, self.nav)
            env.bytecode_cache = self.session.templates
            # the theme's search plugin would merge its index of the pages built now into the previous one, which
            # it does for one page only; the session keeps each page's entries itself (hand_written_entries)
            theme_search = config.plugins.get("material/search")
            if theme_search is not None and hasattr(theme_search, "search_index_prev"):
                theme_search.search_index_prev = None
        return env

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """The about page's provenance section (publisher, terms, citation, map notes) comes from the config."""
        if PROVENANCE_MARKER in markdown:
            text = pages.render_provenance(config.extra["atlas"], site_url=self.site_url)
            markdown = markdown.replace(PROVENANCE_MARKER, text)
        return markdown

    @event_priority(50)  # before the theme's search plugin (0) indexes the page
    def _page_context_before_search(self, context, *, page, config, nav):
        """The theme need not index a generated page (write_index replaces its entries by the atlas's records;
        on a preview rebuild after a one-cell edit that was half the time spent on pages): its metadata says so
        while the theme indexes it, and is itself again before the page is rendered."""
        if page.file.src_uri in self.generated:
            self.page_meta = page.meta
            page.meta = {**page.meta, "search": {**(page.meta.get("search") or {}), "exclude": True}}
        return context

    @event_priority(-50)
    def _page_context_after_search(self, context, *, page, config, nav):
        if page.file.src_uri in self.generated:
            page.meta = self.page_meta
        return context

    on_page_context = CombinedEvent(_page_context_before_search, _page_context_after_search)

    def on_page_content(self, html_text: str, *, page, config, files) -> str:
        return pages.unwrap_raw_html(html_text)

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.session is not None:  # pages put into the theme (a preview skips those an edit left alone)
            artifacts.RENDERED["site pages"] += 1
        return mark_english(output)

    @event_priority(-50)  # after the search plugin writes its index (0), before the offline plugin inlines it (-100)
    def on_post_build(self, *, config) -> None:
        search.patch_theme_scripts(Path(config.site_dir))
        theme_search = config.plugins.get("material/search")
        languages = list(theme_search.config.lang or ["en"]) if theme_search is not None else ["en"]
        search.prune_theme_scripts(Path(config.site_dir), languages)
        kept = None
        if self.session is not None and self.session.dirty:
            kept = self.session.hand_written_entries(Path(config.site_dir), self.files, self.generated)
        # A preview keeps its own memory of results (its jieba may have reloaded words, which shifts their weights):
        # only whole builds share the records cached on disk, so a preview never leaks into `make site`.
        cache = artifacts.ArtifactCache(self.cache / "artifacts") if self.session is None else None
        search.write_index(Path(config.site_dir), self.atlas, self.generated, kept=kept, cache=cache)
        if cache is not None:
            cache.prune()
        if self.session is not None:
            self.session.complete = True
            if self.draw_later is not None:  # the images this build's maps need, drawn now that it is done
                self.draw_later()
                self.draw_later = None

    def offer_original(self, files: Files, config, path: str) -> None:
        """Serve a source text byte for byte, with a UTF-8 BOM in front: browsers that get no charset from the
        server, and Windows Notepad, then read it as UTF-8 instead of showing mojibake."""
        original = files.get_file_from_path(path)
        if original is not None:
            files.remove(original)
        data = (self.root / "docs" / path).read_bytes()
        files.append(File.generated(config, path, content=data if data.startswith(BOM) else BOM + data))

    def vendor_files(self, files: Files, config) -> dict[str, Path]:
        modules = self.root / "node_modules"
        vendor = {}
        for site_path, module_path in NPM_ASSETS.items():
            source = modules / module_path
            if not source.exists():
                raise PluginError(f"{source} is missing: run `make assets` (npm ci) first")
            files.append(File.generated(config, f"assets/vendor/{site_path}", abs_src_path=str(source)))
            vendor[site_path] = source
        for site_path, source in maps.ATLAS_ASSETS.items():  # the atlas's own map script and styles
            files.append(File.generated(config, f"assets/vendor/{site_path}", abs_src_path=str(source)))
            vendor[site_path] = source
        return vendor

    def add_exports(self, files, config, specs, options, outlines) -> None:
        """Every map's print images, project maps included (cached, drawn in parallel). The single-file HTML is made
        in the reader's browser from the map page (theme/assets/javascripts/atlas-embed.js)."""
        cities, counties = outlines
        footer = exports.Footer(date=self.today.isoformat(), atlas=config.site_name, url=options.site_url)
        if self.session is not None:  # a preview shows an edit first and draws its images afterwards (on_post_build)
            self.draw_later = partial(self.session.drawing.update, specs, cities, counties, self.artifacts, footer,
                                      Path(config.site_dir))
            return
        images = exports.render_all(specs, cities, counties, self.artifacts, footer)
        for name, by_suffix in images.items():
            for suffix, data in by_suffix.items():
                files.append(File.generated(config, f"exports/{name}.{suffix}", content=data))


def label_for(name: str) -> str:
    fixed = {"cities.geojson": "四市市界 City boundaries", "counties.geojson": "38 个旗县市区界 County boundaries"}
    if name in fixed:
        return fixed[name]
    layer = next(layer for layer in LAYERS if name == f"features-{layer.key}.geojson")
    return f"规划项目：{layer.zh} Planned projects: {layer.en}"
