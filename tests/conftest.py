"""Shared fixtures: the real project, one built site per test session, a loopback server, Chromium."""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import io
import shutil
import socketserver
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_DATE = date(2026, 12, 7)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
DESKTOP = dict(viewport={"width": 1440, "height": 900})
# A shape Leaflet has drawn in view, on a map that has finished (atlas-map.js marks it `atlas-ready` once drawn and
# named): one wholly out of view (a project map's far counties) has the empty path "M0 0".
DRAWN_PATH = '.atlas-ready .leaflet-overlay-pane path:not([d="M0 0"])'

# Share of the map's area under any control (zoom, reset, fullscreen, layers, legend, scale, attribution, caption),
# sampled on a 4 px grid.
COVERAGE_JS = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const rects = [...document.querySelectorAll('.leaflet-control, .atlas-caption')]
    .filter(e => getComputedStyle(e).display !== 'none').map(e => e.getBoundingClientRect())
    .filter(r => r.width && r.height);
  let covered = 0, total = 0;
  for (let y = map.top + 2; y < map.bottom; y += 4) for (let x = map.left + 2; x < map.right; x += 4) {
    total++;
    if (rects.some(r => x >= r.left && x < r.right && y >= r.top && y < r.bottom)) covered++;
  }
  return covered / total;
}"""
MAP_JS = "() => window[Object.keys(window).find(key => /^map_[0-9a-f]+$/.test(key))]"
# Styles that lay out every card and row as if on screen (content-visibility would hide what is inside them from a
# measurement or an audit).
RENDER_ALL_CSS = "* { content-visibility: visible !important; }"


# Fixtures that build the whole atlas (a copy of the project through MkDocs): the tests that use them are marked
# `site`, and `make test-fast` leaves them out with the browser tests.
WHOLE_BUILDS = {"built_site", "site_url", "single_file", "built_copy", "session", "warm", "hostile"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if WHOLE_BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)


def template_pages() -> list[str]:
    """One page of each kind the atlas makes, and the hand-written ones (routes.samples)."""
    from build_atlas.vocabulary import routes

    return routes.samples()


def site_digest(site: Path) -> dict[str, str]:
    """Each file of a built site → its SHA-256: two sites are the same, byte for byte, when these are equal."""
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def edit_cell(path: Path, row_id: str | tuple[str, ...], column: str, edit, key: tuple[str, ...] = ("id",)) -> None:
    """Change one cell of a CSV table, as staff would in a spreadsheet: every other value is kept. The row is the one
    whose `key` columns hold `row_id` (a progress event has no id: its date and target)."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    wanted = (row_id,) if isinstance(row_id, str) else tuple(row_id)
    row = next(r for r in rows if tuple(r[k] for k in key) == wanted)
    row[column] = edit(row[column])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_project(target: Path) -> Path:
    """A scratch copy of the project's inputs (git history included), safe to break in a test."""
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(target)], check=True)
    for name in ("measures.csv", "mkdocs.yml", "geodata", "docs", "build_atlas"):
        source, dest = ROOT / name, target / name
        if source.is_dir():
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, dest)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    (target / ".cache").symlink_to(ensure_dir(ROOT / ".cache"))  # share cached print images between copies
    return target


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the project for tests that edit inputs."""
    return copy_project(tmp_path / "atlas")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real atlas, built once per session with a pinned date."""
    from build_atlas.site.build import build_site

    work = copy_project(tmp_path_factory.mktemp("built") / "atlas")
    return build_site(work, today=BUILD_DATE)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (an ephemeral port)."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A page whose requests outside 127.0.0.1 are blocked and recorded in `page.blocked`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.blocked, page.console_errors = [], []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "file://", "data:", "blob:", "about:")):
            request_route.continue_()
        else:
            page.blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()


@pytest.fixture
def context_of(browser):
    """Make browser contexts whose requests outside 127.0.0.1 (map tiles) are blocked; closed after the test."""
    made = []

    def make(**options):
        context = browser.new_context(**options)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("http://127.0.0.1", "file://", "data:", "blob:", "about:")) else route.abort())
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def atlas_page_of(map_name: str, lang: str = "zh") -> str:
    """The atlas page of edition `lang` that shows a map and offers its downloads."""
    from build_atlas.vocabulary import routes

    return routes.map_home(map_name, lang)


@pytest.fixture(scope="session")
def single_file(site_url, browser, tmp_path_factory):
    """A map's single-file HTML as a reader gets it: its link clicked on the atlas page served on 127.0.0.1 (the
    file is made in the browser, theme/assets/javascripts/atlas-embed.js), and the download saved. (name, edition)
    → Path."""
    folder, saved = tmp_path_factory.mktemp("single-file"), {}

    def get(name: str, lang: str = "zh") -> Path:
        if (name, lang) not in saved:
            context = browser.new_context()
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                ("http://127.0.0.1", "data:", "blob:", "about:")) else route.abort())
            try:
                page = context.new_page()
                page.goto(site_url + atlas_page_of(name, lang), wait_until="load")
                with page.expect_download() as download:
                    page.locator(f'a[data-single-file="{name}.html"]').click()
                assert download.value.suggested_filename == f"{name}.html"
                saved[name, lang] = ensure_dir(folder / lang) / f"{name}.html"
                download.value.save_as(saved[name, lang])
            finally:
                context.close()
        return saved[name, lang]

    return get


def map_in_page(page, url: str, name: str):
    """The map frame of an atlas page, scrolled into view and finished."""
    page.goto(url, wait_until="load")
    iframe = page.locator(f'iframe[src$="maps/{name}.html"]')
    iframe.evaluate("element => element.scrollIntoView({block: 'center'})")
    frame = iframe.element_handle().content_frame()
    frame.locator(DRAWN_PATH).first.wait_for()
    frame.locator(".leaflet-control-layers").wait_for()
    return frame
