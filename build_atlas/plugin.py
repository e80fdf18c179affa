"""The MkDocs plugin that puts the atlas into the site: `plugins: - atlas` in mkdocs.yml.

on_config gathers and validates the data (a problem stops the build before anything is written) and
sets the navigation; on_files adds the generated pages, maps, exports, downloads and vendored assets.
Both `mkdocs build` and `mkdocs serve` go through here, so a preview rebuilds from the edited CSV.
"""

from __future__ import annotations

import csv
import html
import io
import json
import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import jieba
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import changes, exports, maps, pages
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
    "jquery/jquery.min.js": "jquery/dist/jquery.min.js",
    # The offline plugin's Web Worker shim for file://; mkdocs.yml's extra.polyfills points here, which stops
    # the plugin from adding its CDN copy.
    "iframe-worker/shim.js": "iframe-worker/shim/index.js",
}
FORMULA_START = ("=", "+", "-", "@")


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


def build_date(configured: str) -> date:
    value = configured or os.environ.get("ATLAS_BUILD_DATE", "")
    try:
        return date.fromisoformat(value) if value else datetime.now(UTC).date()
    except ValueError as error:
        raise PluginError(f"atlas build_date '{value}' is not YYYY-MM-DD: {error}") from error


def navigation(atlas: Atlas) -> list:
    docs = atlas.documents
    return [
        {"首页": "index.md"},
        {"城市": [{c.zh: f"cities/{c.key}.md"} for c in CITIES]},
        {"主题": [{t.zh: f"themes/{t.key}.md"} for t in THEMES]},
        {"规划项目": ["projects/index.md"] + project_sections(atlas)},
        {"来源文件": [{d["short"]: f"documents/{key}.md"} for key, d in docs.iterrows()]},
        {"落实追踪": "tracing.md"}, {"更新记录": "changes.md"}, {"数据下载": "data.md"}, {"关于": "about.md"},
    ]


def project_sections(atlas: Atlas) -> list[dict]:
    """The projects in the nav, one section per map layer (铁路, 公路, …), in the order of the list page."""
    sections = []
    for layer in LAYERS:
        kinds = [k.key for k in KINDS if k.note == layer.key]
        subset = atlas.features[atlas.features["kind"].isin(kinds)].sort_values(["kind", "id"])
        # nav titles are rendered as HTML by the theme: data must be escaped on its way in
        entries = [{html.escape(f["name_zh"]): f"projects/{fid}.md"} for fid, f in subset.iterrows()]
        if entries:
            sections.append({layer.zh: entries})
    return sections


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
    return {name: json.dumps(json.loads(frame.to_json(drop_id=True)), ensure_ascii=False, separators=(",", ":"))
            for name, frame in layers.items()}


# Material's query segmenter (integrations/search/query/segment) looks for index tokens in query[i:j] for
# j < query.length, never the whole query, so 稀土 is searched as 稀* and 大青山 as 大*. Let j reach the end.
SEGMENTER_BUG = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"
SEGMENTER_FIX = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"


def fix_search_segmenter(site_dir: Path) -> None:
    workers = sorted((site_dir / "assets/javascripts/workers").glob("search.*.min.js"))
    for worker in workers:
        code = worker.read_text(encoding="utf-8")
        if code.count(SEGMENTER_BUG) != 1:
            raise PluginError(f"{worker.name}: Material's search segmenter changed; review SEGMENTER_BUG in "
                              "build_atlas/plugin.py against the new version")
        worker.write_text(code.replace(SEGMENTER_BUG, SEGMENTER_FIX), encoding="utf-8")
    if not workers:
        raise PluginError("Material's search worker not found; review fix_search_segmenter in build_atlas/plugin.py")


def compact_search_index(site_dir: Path) -> None:
    """Rewrite the search index as UTF-8 JSON: MkDocs writes every Chinese character as a 6-byte \\u escape, and
    every page fetches this file on load."""
    path = site_dir / "search/search_index.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


class AtlasPlugin(BasePlugin[AtlasConfig]):
    def on_config(self, config):
        self.root = Path(config.config_file_path).parent
        logging.getLogger("jieba").setLevel(logging.WARNING)
        try:
            self.atlas = gather(self.root)
        except AtlasError as error:
            raise PluginError("\n" + error.report()) from None
        self.today = build_date(self.config.build_date)
        self.cache = self.root / self.config.cache_dir
        config.nav = navigation(self.atlas)
        dictionary = pages.write_jieba_dict(self.atlas, self.cache / "jieba_user_dict.txt")
        # jieba's dictionary is process-global: forget words an earlier build in this process added (mkdocs serve,
        # tests), so the search index depends on this build's inputs only
        jieba.dt.initialized = False
        for plugin in config.plugins.values():
            if hasattr(plugin, "config") and "jieba_dict_user" in plugin.config:
                plugin.config.jieba_dict_user = str(dictionary)
        return config

    def on_files(self, files: Files, config) -> Files:
        atlas, site_url = self.atlas, config.site_url or ""
        options = maps.MapOptions(self.config.tiles, self.config.tianditu_key
                                  or os.environ.get("ATLAS_TIANDITU_KEY", ""), site_url)
        vendor = self.vendor_files(files, config)
        layers = geojson_layers(atlas)
        for name, text in layers.items():
            files.append(File.generated(config, f"data/{name}", content=text))
        for name in TABLES:  # every table, as downloads that a spreadsheet cannot run as formulas
            files.append(File.generated(config, f"data/{Path(name).name}", content=safe_csv(self.root / name)))
        outlines = maps.context_outlines(atlas)
        specs = maps.map_specs(atlas)
        for spec in specs:
            files.append(File.generated(config, f"maps/{spec.name}.html",
                                        content=maps.render_map(spec, atlas, options, outlines=outlines)))
        if self.config.exports:
            self.add_exports(files, config, specs, options, outlines, vendor)
        listing = [{"file": name, "label": label_for(name)} for name in layers]
        generated = pages.render_pages(atlas, today=self.today, site_url=site_url, layers=listing,
                                       history=changes.history(self.root))
        for path, text in generated.items():
            files.append(File.generated(config, path, content=text))
        return files

    @event_priority(-50)  # after the search plugin writes its index (0), before the offline plugin inlines it (-100)
    def on_post_build(self, *, config) -> None:
        fix_search_segmenter(Path(config.site_dir))
        compact_search_index(Path(config.site_dir))

    def vendor_files(self, files: Files, config) -> dict[str, Path]:
        modules = self.root / "node_modules"
        vendor = {}
        for site_path, module_path in NPM_ASSETS.items():
            source = modules / module_path
            if not source.exists():
                raise PluginError(f"{source} is missing: run `make assets` (npm ci) first")
            files.append(File.generated(config, f"assets/vendor/{site_path}", abs_src_path=str(source)))
            vendor[site_path] = source
        return vendor

    def add_exports(self, files, config, specs, options, outlines, vendor) -> None:
        """Every map, project maps included: standalone HTML, and the print images (cached, drawn in parallel)."""
        cities, counties = outlines
        link_base = options.site_url or "../"
        for spec in specs:
            page = maps.render_map(spec, self.atlas, options, link_base=link_base, outlines=outlines)
            files.append(File.generated(config, f"exports/{spec.name}.html",
                                        content=exports.inline_assets(page, vendor)))
        footer = exports.Footer(date=self.today.isoformat(), atlas=config.site_name, url=options.site_url)
        images = exports.render_all(specs, cities, counties, self.cache / "exports", footer)
        for name, by_suffix in images.items():
            for suffix, data in by_suffix.items():
                files.append(File.generated(config, f"exports/{name}.{suffix}", content=data))


def label_for(name: str) -> str:
    fixed = {"cities.geojson": "四市市界 City boundaries", "counties.geojson": "38 个旗县市区界 County boundaries"}
    if name in fixed:
        return fixed[name]
    layer = next(layer for layer in LAYERS if name == f"features-{layer.key}.geojson")
    return f"规划项目：{layer.zh} Planned projects: {layer.en}"
