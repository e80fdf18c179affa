"""Every address of the site, made here and nowhere else.

A page has a source path (its Markdown under docs/, which MkDocs and Markdown links use) and an address (the HTML
MkDocs makes of it: `use_directory_urls` is off, so `cities/hohhot.md` becomes `cities/hohhot.html`). Pages,
navigation, search, the maps (and the map script, which gets `for_script()` as data), the 404 page, tests and the
bench ask this module; a path string is written nowhere else.
"""

from __future__ import annotations

import re

# The editions: Chinese at the root, English under `en/` with the same paths. An English page's source path carries
# the language before `.md` (`cities/hohhot.en.md`), as mkdocs-static-i18n names a translated page.
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

HOME = "index.md"
PROJECTS = "projects/index.md"
TRACING = "tracing.md"
CHANGES = "changes.md"
DATA = "data.md"
ABOUT = "about.md"
FEED = "feed.xml"  # the Atom feed of progress events and data changes (not a page: no source under docs/)
NOT_FOUND = "404.html"  # the theme's page for a missing address (not a page: MkDocs renders it from the theme)

# The kinds of page made once per city, county-level unit, theme, project and document, and the folder each lives in.
FOLDERS = {"city": "cities", "county": "counties", "theme": "themes", "project": "projects", "document": "documents"}


def page(kind: str, key: str) -> str:
    """The source path of a city's, theme's, project's or document's page."""
    return f"{FOLDERS[kind]}/{key}.md"


def city(key: str) -> str:
    return page("city", key)


def county(key: str) -> str:
    """A county-level unit's page (旗、县、区 or 白云鄂博矿区), by the key `county_key` makes of its English name."""
    return page("county", key)


def county_key(name_en: str) -> str:
    """A readable, stable key for a county-level unit: its English name in lower case with hyphens
    ("Tumed Left Banner" → "tumed-left-banner")."""
    return "-".join(re.findall(r"[a-z0-9]+", name_en.lower()))


def theme(key: str) -> str:
    return page("theme", key)


def project(fid: str) -> str:
    return page("project", fid)


def document(key: str) -> str:
    return page("document", key)


def localized(source: str, lang: str) -> str:
    """A page's source path in edition `lang` ("cities/hohhot.md" → "cities/hohhot.en.md")."""
    return source if lang == DEFAULT_LANGUAGE else f"{source.removesuffix('.md')}.{lang}.md"


def unlocalized(source: str) -> str:
    """The Chinese page's source path of a page in either edition."""
    stem, _, lang = source.removesuffix(".md").rpartition(".")
    return f"{stem}.md" if stem and lang in LANGUAGES else source


def language_of(source: str) -> str:
    stem, _, lang = source.removesuffix(".md").rpartition(".")
    return lang if stem and lang in LANGUAGES else DEFAULT_LANGUAGE


def edition(lang: str) -> str:
    """The folder an edition's pages, maps and map images live in: '' or 'en/'."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def not_found(lang: str) -> str:
    """Edition `lang`'s page for a missing address: 404.html, en/404.html."""
    return edition(lang) + NOT_FOUND


def html(source: str) -> str:
    """The address of the page whose source path is `source` (an English page's under `en/`)."""
    lang = language_of(source)
    return edition(lang) + unlocalized(source).removesuffix(".md") + ".html"


def name(source: str) -> str:
    """How a page links to another in its own folder: the file name alone."""
    return source.rpartition("/")[2]


def kind_of(source: str) -> str:
    """The kind of a page made per key ('city', 'project', …), or '' for a single page (home, list, data …)."""
    folder, _, name = source.rpartition("/")
    return next((kind for kind, known in FOLDERS.items() if known == folder and name != "index.md"), "")


def measure(doc: str, measure_id: str) -> str:
    """Where a measure is read: its anchor on its document's page."""
    return f"{html(document(doc))}#{measure_id}"


def link(root: str, at: str, kind: str, key: str) -> str:
    """A link from a page of kind `at` ('' for a page at the top) to the page of `kind` and `key`, as MkDocs writes a
    Markdown link to it: within the same folder, the file name alone."""
    return f"{key}.html" if kind == at else f"{root}{html(page(kind, key))}"


def samples() -> list[str]:
    """One page of each kind the atlas makes (each template once), and the hand-written ones: what a check that
    loads pages in a browser visits (the tests, Lighthouse in the bench), where visiting every page proves no more."""
    return [html(path) for path in (
        HOME, city("hohhot"), county("tumed-left-banner"), theme("transport"), document("plan-2021"),
        document("hohhot-2019"), PROJECTS, project("hsr-baotou-yinchuan"), TRACING, CHANGES, DATA, ABOUT)]


def map_page(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A map's own page (the overview, `city-<key>`, `theme-<key>`, `project-<id>`) in edition `lang`: each edition
    has its maps under its own folder, so a page's `{{ root }}maps/…` reaches its own edition's."""
    return f"{edition(lang)}maps/{name}.html"


def map_script(file: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A script that several map pages of edition `lang` load (outlines, a layer's features)."""
    return f"{edition(lang)}maps/{file}"


def image(name: str, suffix: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A map's drawn image in edition `lang`: `png`, `report.png` or `svg`."""
    return f"{edition(lang)}exports/{name}.{suffix}"


def table(file: str) -> str:
    """A downloadable table or layer."""
    return f"data/{file}"


def source_text(file: str) -> str:
    """A source document's text, as received."""
    return f"documents/{file}"


def vendor(path: str) -> str:
    """A front-end asset copied into the site (Leaflet, its plugins, the atlas's map script)."""
    return f"assets/vendor/{path}"


def map_home(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The address of the atlas page of edition `lang` that shows map `name`: where an embedded or exported map links
    back to."""
    kind, _, key = name.partition("-")
    source = page(kind, key) if kind in ("city", "county", "theme", "project") else HOME
    return html(localized(source, lang))


def for_script() -> dict[str, str]:
    """The addresses the map script makes itself, as patterns with `{id}` for the key."""
    return {"project": html(project("{id}")), "county": html(county("{id}"))}
