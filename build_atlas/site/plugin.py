"""The MkDocs plugin that puts the atlas into the site: `plugins: - atlas` in mkdocs.yml.

An adapter: each MkDocs event is handed to the build in progress, `builds.WholeBuild` (`make site`, `mkdocs build`)
or `preview.Preview` (`make serve`), which gather and validate the data on `on_config` (a problem stops the build
before anything is written) and add the generated pages, maps, images, downloads and assets on `on_files`.
"""

from __future__ import annotations

import re

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from ..outputs import pages
from ..vocabulary import routes
from . import builds, preview, sharing


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
ENGLISH_TAG = re.compile(r'<[a-z][a-z0-9]*\s[^>]*\bclass="(?:[^"]*\s)?en(?:\s[^"]*)?"[^>]*>')


KEPT_AS_WRITTEN = re.compile(r"<(pre|textarea)\b.*?</\1>", re.S | re.I)
INDENTED = re.compile(r"\n\s+")
# A line break before a block's tag (or an unseen one's) renders as nothing: it goes too.
BEFORE_BLOCK = re.compile(r"\n(?=</?(?:html|head|body|meta|link|script|header|footer|main|nav|aside|article|section"
                          r"|h[1-6]|div|p|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|td|th|form|details|summary)\b)")


def compact(html_text: str) -> str:
    """The page without the indentation and blank lines the theme's templates leave (a third of a city page's
    navigation): outside <pre> and <textarea>, whitespace that begins a line is dropped, and the line break before
    it renders as the same one space; a line break before a block's tag, which renders as nothing, is dropped."""
    def tidy(part: str) -> str:
        return BEFORE_BLOCK.sub("", INDENTED.sub("\n", part))

    out, at = [], 0
    for kept in KEPT_AS_WRITTEN.finditer(html_text):
        out += [tidy(html_text[at:kept.start()]), kept.group(0)]
        at = kept.end()
    return "".join(out) + tidy(html_text[at:])


def mark_english(html_text: str) -> str:
    """Give every element of class `en` (the English labels the data carries) lang="en", so screen readers speak it
    in English and browsers hyphenate it as English; templates need not remember to."""
    return ENGLISH_TAG.sub(lambda m: m.group(0) if " lang=" in m.group(0) else m.group(0)[:-1] + ' lang="en">',
                           html_text)


class AtlasPlugin(BasePlugin[AtlasConfig]):
    build: builds.WholeBuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs keeps a plugin that has this hook for the whole `mkdocs serve` session."""
        self.on_shutdown()
        self.build = preview.Preview(self.config, dirty) if command == "serve" else builds.WholeBuild(self.config)

    def on_shutdown(self) -> None:
        if self.build is not None:
            self.build.close()
        self.build = None

    def on_build_error(self, *, error) -> None:
        if self.build is not None:
            self.build.failed()

    def on_config(self, config):
        if self.build is None:  # a build driven without on_startup (an older MkDocs, or a script)
            self.build = builds.WholeBuild(self.config)
        return self.build.configure(config)

    def on_files(self, files, config):
        return self.build.add_files(files, config)

    def on_nav(self, nav, *, config, files):
        return self.build.nav(nav, files, config)

    def on_env(self, env, *, config, files):
        return self.build.env(env, config, files)

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """The about page's provenance section (publisher, terms, citation, map notes) comes from the config, in the
        words of the page's edition."""
        if PROVENANCE_MARKER in markdown:
            text = pages.render_provenance(config.extra["atlas"], site_url=self.build.site_url,
                                           lang=routes.language_of(page.file.src_uri))
            markdown = markdown.replace(PROVENANCE_MARKER, text)
        return markdown

    @event_priority(50)  # before the theme's search plugin (0) indexes the page
    def _page_context_before_search(self, context, *, page, config, nav):
        """The theme need not index a generated page (the atlas writes its own records for them): its metadata says
        so while the theme indexes it, and is itself again before the page is rendered."""
        if page.file.src_uri in self.build.generated:
            self.page_meta = page.meta
            page.meta = {**page.meta, "search": {**(page.meta.get("search") or {}), "exclude": True}}
        return context

    @event_priority(-50)
    def _page_context_after_search(self, context, *, page, config, nav):
        if page.file.src_uri in self.build.generated:
            page.meta = self.page_meta
        page.meta.setdefault("description", sharing.describe(page.content or "", config.site_description or ""))
        page.meta["share_image"] = sharing.image(
            page.file.src_uri, lambda path: self.build.files.get_file_from_path(path) is not None)
        return context

    on_page_context = CombinedEvent(_page_context_before_search, _page_context_after_search)

    def on_page_content(self, html_text: str, *, page, config, files) -> str:
        self.build.page_converted(page)
        return pages.unwrap_raw_html(html_text)

    def on_post_page(self, output: str, *, page, config) -> str:
        self.build.page_built(page)
        return compact(mark_english(output))

    @event_priority(-50)  # after the search plugin writes its index (0), before the offline plugin inlines it (-100)
    def on_post_build(self, *, config) -> None:
        self.build.finish(config)
