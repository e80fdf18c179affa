"""What one MkDocs build of the atlas does, stage by stage; the plugin (plugin.py) only hands MkDocs's events to it.

`WholeBuild` is `make site` (and `mkdocs build`): gather and validate the data, then add every generated page, map,
image, download and vendored asset, and write the search index. `preview.Preview` is the same build under
`make serve`, which remembers what the last build made and redoes only what an edit changed; it overrides the steps
where the two differ, and no step asks which of the two it is in.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path

import jieba
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import yaml_load

from ..cache import artifacts
from ..errors import AtlasError, warning_report
from ..inputs import changes
from ..inputs.model import Atlas, gather
from ..outputs import downloads, exports, maps, package, pages, published, search, tracker, vendor
from ..vocabulary import routes, style
from ..vocabulary.dataset import TERMS
from ..vocabulary.schema import CITIES, THEMES
from . import editions

BOUNDARY_LICENCES = "geodata/boundaries"  # the licence texts the boundaries came with
PROVENANCE = ("publisher", "contact", "license", "license_url", "map_approval")
log = logging.getLogger("mkdocs.plugins.atlas")


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


# The navigation's own words in each edition (the names of cities, counties, themes and documents come from the data)
NAV_WORDS = {
    "zh": {"home": "首页", "cities": "城市", "counties": "下辖旗县区", "themes": "主题", "projects": "规划项目",
           "documents": "来源文件", "tracing": "落实追踪", "changes": "更新记录", "data": "数据下载", "about": "关于"},
    "en": {"home": "Home", "cities": "Cities", "counties": "Counties and districts", "themes": "Themes",
           "projects": "Projects", "documents": "Source documents", "tracing": "Implementation", "changes": "Updates",
           "data": "Data", "about": "About"},
}


PERMALINK_TITLES = {"zh": "本节的链接", "en": "Link to this section"}


def navigation(atlas: Atlas, lang: str = routes.DEFAULT_LANGUAGE) -> list:
    """The menu of edition `lang`. Its entries name the Chinese pages' source paths: in the English edition the
    i18n plugin finds each page's English version by them."""
    words, zh = NAV_WORDS[lang], lang == routes.DEFAULT_LANGUAGE
    docs, counties = atlas.documents, atlas.by_county.counties
    return [
        {words["home"]: routes.HOME},
        # each city, then its county-level units in a section of their own: a resident finds their 旗县区 under their
        # city, and a page carries the list of its own city's only (navigation.prune; 38 names in the menu of every
        # city page took it past 1 MB)
        {words["cities"]: [{c.zh if zh else c.en: [
            {c.zh if zh else c.en: routes.city(c.key)},
            {words["counties"]: [{county.name_zh if zh else county.name_en: routes.county(county.key)}
                                 for county in counties[counties["city"] == c.key].itertuples()]}]}
            for c in CITIES]},
        {words["themes"]: [{t.zh if zh else t.en: routes.theme(t.key)} for t in THEMES]},
        {words["projects"]: routes.PROJECTS},  # each project page is reached from the list, the maps and search
        {words["documents"]: [{d["short"] if zh else d["short_en"] or d["short"]: routes.document(key)}
                              for key, d in docs.iterrows()]},
        *({words[page]: path} for page, path in (("tracing", routes.TRACING), ("changes", routes.CHANGES),
                                                 ("data", routes.DATA), ("about", routes.ABOUT))),
    ]


def language(config) -> str:
    """The edition this MkDocs build makes: the i18n plugin builds the Chinese one, then the English one."""
    i18n = config.plugins.get("atlas-i18n")
    return i18n.language if i18n is not None else routes.DEFAULT_LANGUAGE


def site_extra(options, today: date, lang: str = routes.DEFAULT_LANGUAGE) -> dict:
    """What the theme's templates read of the atlas (the footer, the 404 page) as `config.extra.atlas`."""
    pages = {"home": routes.HOME, "projects": routes.PROJECTS, "tracing": routes.TRACING, "data": routes.DATA,
             "about": routes.ABOUT}  # the 404 page links to these
    return {**{key: options[key].strip() for key in PROVENANCE}, "data_date": today.isoformat(), "lang": lang,
            "edition": routes.edition(lang),
            "pages": {key: routes.html(routes.localized(path, lang)) for key, path in pages.items()},
            # each edition's home and 404 page: the 404 page's language switch, and where it finds the English one
            "editions": {other: {"folder": routes.edition(other), "not_found": routes.not_found(other),
                                 "home": routes.html(routes.localized(routes.HOME, other))}
                         for other in routes.LANGUAGES}}


def checked(make):
    """make(), a data problem becoming MkDocs's error with the full report."""
    try:
        return make()
    except AtlasError as error:
        raise PluginError("\n" + error.report()) from None


class WholeBuild:
    """Every output made anew, or read from the artifact cache where its inputs are unchanged."""

    workers: int | None = None  # map pages across the cores (in_pool)
    lang: str = routes.DEFAULT_LANGUAGE  # the edition this pass builds (configure)

    def __init__(self, options):
        self.options = options
        self.atlas: Atlas | None = None  # the data of the build in progress (configure)
        self.page_parts: dict = {}  # what both editions' pages share, made once a build (pages.page_plan)
        self.map_notes: dict = {}  # map name → exports.PrintNote (map_files)

    # -- on_config ---------------------------------------------------------------------------------------------------
    def configure(self, config):
        self.root = Path(config.config_file_path).parent
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.today = build_date(self.options.build_date)
        self.lang = language(config)
        if self.lang == routes.DEFAULT_LANGUAGE or self.atlas is None:
            # one reading of the data per build: the English pass (which follows the Chinese one in the same build)
            # shows the same data, with its county index and the page parts both editions share (pages.page_plan)
            self.atlas = checked(lambda: gather(self.root, self.today))
            self.page_parts = {}
            if self.atlas.warnings:  # once a build; INFO: strict mode passes
                log.info("%s", warning_report(self.atlas.warnings))
        self.site_url = published_url(config.config_file_path)
        self.cache = artifacts.ArtifactCache(self.root / self.options.cache_dir / "artifacts")
        config.nav = navigation(self.atlas, self.lang)
        # the ¶ beside each heading is titled in the edition's language (Python-Markdown's default is English)
        config.mdx_configs.setdefault("toc", {})["permalink_title"] = PERMALINK_TITLES[self.lang]
        config.extra["atlas"] = {**site_extra(self.options, self.today, self.lang), "published_url": self.site_url}
        dictionary = search.write_jieba_dict(self.atlas, self.root / self.options.cache_dir / "jieba_user_dict.txt")
        self.dictionary = dictionary  # the search plugin's user dictionary (the bench's plain build reads it too)
        # jieba's dictionary is process-global: forget words an earlier build in this process added (tests), so the
        # search index depends on this build's inputs only.
        reload = self.reload_words(dictionary.read_text(encoding="utf-8"))
        if reload:
            jieba.dt.initialized = False
            search.forget_segments()
        for plugin in config.plugins.values():
            if hasattr(plugin, "config") and "jieba_dict_user" in plugin.config:
                plugin.config.jieba_dict_user = str(dictionary) if reload else ""
        return config

    def reload_words(self, words: str) -> bool:
        return True

    # -- on_files ----------------------------------------------------------------------------------------------------
    def add_files(self, files: Files, config) -> Files:
        options = self.map_options(config)
        self.serve_own_assets(files, config)
        # What both editions link to (scripts, data, the source texts, the feed) is made in the Chinese pass and
        # added to the English pass as it is, so that MkDocs checks the English pages' links to it too
        if self.lang == routes.DEFAULT_LANGUAGE:
            self.render_ahead(config)
            self.shared, self.downloads_summary = self.shared_files(config)
        for file in self.shared:
            replaced = files.get_file_from_path(file.src_uri)  # a source text MkDocs would copy as is
            if replaced is not None:
                files.remove(replaced)
            files.append(file)
        for file in self.map_files(config, options):
            files.append(file)
        history, downloads_summary = self.history, self.downloads_summary
        generated = self.render_pages(today=self.today, site_url=self.site_url, history=history,
                                      downloads=downloads_summary, maps=self.map_notes)
        for path, text in generated.items():
            # Project pages stay out of the navigation: 184 names in every page's sidebar made each page ~80 KB of
            # links (13 MB in all); a project page links back to its group in the list instead.
            project = routes.kind_of(routes.unlocalized(path)) == "project"
            file = File.generated(config, path, content=text,
                                  inclusion=InclusionLevel.NOT_IN_NAV if project else InclusionLevel.UNDEFINED)
            source = routes.unlocalized(path)
            files.append(editions.localize(file, self.lang, {lang: routes.localized(source, lang)
                                                             for lang in routes.LANGUAGES}))
        self.generated, self.files = set(generated), files
        return files

    def shared_files(self, config) -> tuple[list[File], dict]:
        """The vendored scripts, the data set, the source texts as received (downloads.source_text, instead of
        MkDocs's copy) and the feed; and what the data page says of the data set. Keeps the history of changes
        (`history`) the feed and the 更新记录 pages show."""
        out, self.vendor = [], {}
        for path, source, content in checked(lambda: vendor.assets(self.root)):
            out.append(File.generated(config, path, content=content) if content is not None
                       else File.generated(config, path, abs_src_path=str(source)))
            self.vendor[path] = source
        offered, downloads_summary = self.data_files(config, self.publication(config))
        out += offered
        out += [File.generated(config, routes.source_text(d["file"]),
                               content=downloads.source_text(self.root, d["file"]))
                for d in self.atlas.documents.to_dict("records")]
        self.history = history = checked(lambda: changes.history(self.root))
        out.append(File.generated(config, routes.FEED, content=tracker.atom_feed(
            self.atlas, history, title=config.site_name, site_url=self.site_url, today=self.today.isoformat())))
        return out, downloads_summary

    def serve_own_assets(self, files: Files, config) -> None:
        """The atlas's own scripts and stylesheets (docs/assets/, the theme's) as vendor.served makes them."""
        for file in [f for f in files if vendor.is_own(f.src_uri, f.abs_src_path and Path(f.abs_src_path),
                                                           self.root)]:
            files.remove(file)
            files.append(File.generated(config, file.src_uri,
                                        content=vendor.served(style.filled(Path(file.abs_src_path)), file.src_uri)))

    def map_options(self, config, lang: str | None = None) -> maps.MapOptions:
        """How edition `lang`'s maps are made (this pass's by default): tiles, the edition's address (`site_url` under
        its folder) and name."""
        lang = lang or self.lang
        key = self.options.tianditu_key or os.environ.get("ATLAS_TIANDITU_KEY", "")
        address = self.site_url and self.site_url.rstrip("/") + "/" + routes.edition(lang)
        return maps.MapOptions(self.options.tiles, key, address, self.today.isoformat(),
                               config.site_name if lang == self.lang else editions.site_name(config, lang))

    def print_footer(self, options: maps.MapOptions) -> exports.Footer:
        """The line under an edition's print images: the data's date, the atlas's name and address."""
        return exports.Footer(date=self.today.isoformat(), atlas=options.atlas, url=options.site_url)

    def publication(self, config) -> package.Publication:
        """Who publishes the data set, under which terms, as of when (the zip's README, datapackage.json)."""
        documents = tuple((d["title"], d["url"]) for d in self.atlas.documents.to_dict("records"))
        texts = checked(lambda: ((f"LICENSE-{self.options.license.replace(' ', '-')}.txt",
                                  vendor.licence_text(self.root, self.options.license.replace(" ", "-")).encode()),
                                 *((name, (self.root / BOUNDARY_LICENCES / name).read_bytes())
                                   for name in TERMS["boundaries"].files)))
        return package.Publication(config.site_name, self.options.publisher.strip(), self.options.license.strip(),
                                   self.options.license_url.strip(), self.site_url, self.today, documents, texts,
                                   title_en=editions.site_name(config, "en"))

    def data_files(self, config, publication: package.Publication) -> tuple[list[File], dict]:
        """The data set under data/: its tables and layers, datapackage.json, the workbook and the zip (made and
        checked with frictionless only when what they hold changed: package.cached); and what the data page says of
        them (dictionary.data_context)."""
        tables = published.tables(self.atlas)
        layers = checked(lambda: published.layers(self.atlas, tables))
        files = {name: text.encode() for name, text in downloads.files(tables, layers).items()}
        names = publication.names()
        summary = {"sizes": {name: len(data) for name, data in files.items()}, "zip": names["zip"],
                   "xlsx": names["xlsx"], "version": package.version(files, self.today),
                   "rows": {**{name: len(rows) for name, rows in tables.items()},
                            **{name: len(shapes) for name, shapes in layers.items()}}}
        out = [File.generated(config, routes.table(name), content=data) for name, data in files.items()]
        made = self.package_parts(config, files, tables, publication)
        out += [File.generated(config, path, content=made[part])
                for part, path in package.site_paths(publication).items()]
        return out, summary

    def package_parts(self, config, files: dict[str, bytes], tables: dict, publication: package.Publication) -> dict:
        """The package's datapackage.json, workbook and zip, validated (from the cache when unchanged)."""
        return checked(lambda: package.cached(files, tables, publication, self.cache))

    def map_files(self, config, options: maps.MapOptions) -> list[File]:
        """This edition's map pages with their shared scripts, and its print images, under its folder (maps/ and
        exports/, or en/maps/ and en/exports/); what the pages say of the prints (their numbers, the sheet's
        orientation) is kept in `map_notes` for the edition's pages. The shared scripts are written per edition
        like the pages: they hold the features' and outlines' names and notes, in the edition's language."""
        lang = self.lang
        self.map_notes, scripts, pages = self.edition_maps(config, lang, options)
        out = [File.generated(config, routes.map_script(name, lang), content=script)
               for name, script in scripts.values()]
        out += [File.generated(config, routes.map_page(name, lang), content=page) for name, page in pages.items()]
        if self.options.exports:
            out += self.image_files(config, self.map_specs(lang), self.outlines(), self.print_footer(options))
        return out

    def edition_maps(self, config, lang: str, options: maps.MapOptions | None = None) -> tuple[dict, dict, dict]:
        """Edition `lang`'s print notes ({map name: exports.PrintNote}), shared scripts ({key: (file name,
        script)}) and map pages ({map name: page HTML}), each made only when what it shows changed."""
        options, outlines, specs = options or self.map_options(config, lang), self.outlines(), self.map_specs(lang)
        notes = (exports.print_notes(specs, *outlines, self.cache, self.print_footer(options), self.workers)
                 if self.options.exports else {})
        scripts = maps.shared_scripts(self.atlas, outlines, lang)
        pages = maps.map_pages(specs, self.atlas, options, outlines, {key: name for key, (name, _) in scripts.items()},
                               self.cache, self.workers, {name: note.orientation for name, note in notes.items()})
        return notes, scripts, pages

    def render_ahead(self, config) -> None:
        """Every edition's map pages (and print notes), made into the cache at the start of the build, where each
        edition's pass then reads them. Their workers are forked from the build while it holds little more than the
        data. Forked later, from a build that held the first edition's pages and files, they copied much of what it
        held as they ran: with the data repeated 20 times, the English pass's map workers took the memory of the
        build and its workers from about 850 to 1,300 MB."""
        for lang in editions.passes(config):
            self.edition_maps(config, lang)

    def map_specs(self, lang: str) -> list:
        """Edition `lang`'s maps, made once per reading of the data (a preview plans their notes before the pass)."""
        return self.atlas.derived(f"map specs {lang}", lambda: maps.map_specs(self.atlas, lang))

    def outlines(self) -> tuple:
        """The cities' and counties' outlines every map is drawn over."""
        return self.atlas.derived("context outlines", lambda: maps.context_outlines(self.atlas))

    def image_files(self, config, specs, outlines, footer) -> list[File]:
        """Every map's print images, project maps included (cached, drawn across the cores). The single-file HTML
        is made in the reader's browser from the map page (theme/assets/javascripts/atlas-embed.js)."""
        images = exports.render_all(specs, *outlines, self.cache, footer)
        return [File.generated(config, routes.image(name, suffix, self.lang), content=data)
                for name, by_suffix in images.items() for suffix, data in by_suffix.items()]

    def render_pages(self, **inputs) -> dict[str, str]:
        return pages.render_pages(self.atlas, lang=self.lang, parts=self.page_parts, **inputs)

    # -- the other events --------------------------------------------------------------------------------------------
    def nav(self, nav, files, config):
        """The files as the build renders them: the i18n plugin re-creates the hand-written pages' after on_files
        (only those hold their pages, which the preview's search memory reads)."""
        self.files = files
        return nav

    def env(self, env, config, files):
        return env

    def page_converted(self, page) -> None:
        """MkDocs made the page's HTML: its Markdown, and a generated page's source, are let go. MkDocs makes every
        page's HTML before it writes any, and held their Markdown until the end of the build as well."""
        page.markdown = ""  # not None: MkDocs then takes the page to have no title
        if page.file.generated_by is not None:
            page.file.content_bytes = b""

    def page_built(self, page) -> None:
        """The page is written (but for its links, which MkDocs checks last): its HTML is let go."""
        page.content = None

    def failed(self) -> None:
        pass

    def finish(self, config) -> None:
        """After the theme's search plugin wrote its index: the atlas's own records replace its generated pages'."""
        site = Path(config.site_dir)
        search.patch_theme_scripts(site)
        theme_search = config.plugins.get("material/search")
        languages = list(theme_search.config.lang or ["en"]) if theme_search is not None else ["en"]
        search.prune_theme_scripts(site, languages)
        # The theme's search plugin writes its index, and MkDocs the theme's 404 page, at the site's root in both
        # editions' builds; the Chinese edition's are kept there, the English edition's index goes to en/search/
        # (editions.py) and its 404 page to en/404.html
        self.write_search_index(site)
        root_index, not_found = site / search.INDEX, site / routes.NOT_FOUND
        if self.lang == routes.DEFAULT_LANGUAGE:
            self.chinese_index = root_index.read_bytes()
            self.chinese_404 = not_found.read_bytes() if not_found.exists() else None
        else:
            root_index.write_bytes(self.chinese_index)
            if not_found.exists() and self.chinese_404 is not None:
                not_found.replace(site / routes.not_found(self.lang))
                not_found.write_bytes(self.chinese_404)
        if self.lang != editions.passes(config)[-1]:
            self.release_pass()

    def release_pass(self) -> None:
        """This edition's files are written: their content (the map pages, the images) and the edition's map specs
        are let go before the next edition's pass, which runs while this pass's objects are still referenced (its
        pages' Markdown and HTML went as each was made and written: page_converted, page_built). The shared files are
        kept: the next pass adds them as they are."""
        shared = set(map(id, self.shared))
        for file in self.files:
            if file.generated_by is not None and id(file) not in shared:
                file.content_bytes = b""
        self.atlas.forget(f"map specs {self.lang}")

    def write_search_index(self, site: Path) -> None:
        search.write_index(site, self.atlas, self.generated, cache=self.cache, lang=self.lang)
        self.cache.prune()

    def close(self) -> None:
        pass
