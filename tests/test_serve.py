"""Issue 14: under `make serve` (`mkdocs serve --dirty`) an edit re-renders only the pages it changes, and the site
it leaves is the site a clean build of the edited data makes.

The session is driven in this process as `mkdocs serve` drives it (mkdocs/commands/serve.py): the config is
loaded anew for each build, the plugins get `on_startup(command="serve", dirty=True)` once, and every build goes
into the same site directory with `build(config, serve_url=..., dirty=True)`. The clean build it is compared with
is a plain MkDocs build of the same data with the same serve URL (the preview's site differs from `make site` by its
site URL, in canonical links and the sitemap; the live-reload script is added by the server as it sends a page, it
is not in the files).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from build_atlas.cache import artifacts
from build_atlas.site import preview
from build_atlas.site.build import build_site, pin_build_date
from build_atlas.vocabulary import routes

from .conftest import BUILD_DATE, ROOT, copy_project, edit_cell, ensure_dir, site_digest

SERVE_URL = "http://127.0.0.1:8000/"
PROJECT = "hsr-baotou-yinchuan"




class Session:
    """`mkdocs serve --dirty` on a project, one build per call."""

    def __init__(self, work: Path, site: Path):
        self.work, self.site = work, site
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["atlas"]
        self.rebuild(config)

    def config(self):
        config = load_config(str(self.work / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self, config=None, wait: bool = True) -> dict:
        """One build; with `wait`, until the print images it asked for are drawn and shown too."""
        artifacts.RENDERED.clear()
        # the i18n plugin builds the English edition with the dirty flag it reads from the command line, as
        # `make serve` (`mkdocs serve --dirty`) gives it
        with mock.patch.object(sys, "argv", [*sys.argv, "--dirty"]):
            build(config or self.config(), serve_url=SERVE_URL, dirty=True)
        if wait:
            for memory in self.plugin.build.sessions.values():
                assert memory.drawing.wait(timeout=900)
        return dict(artifacts.RENDERED)

    def rendered_in_both(self, chosen: set[str]) -> int:
        """How many pages a rebuild rendered: in the Chinese edition `chosen`, and their English versions."""
        english = self.plugin.build.sessions["en"].pages.rendered
        assert english == {routes.localized(path, "en") for path in chosen}
        return len(chosen) + len(english)

    @property
    def chinese(self) -> preview.Session:
        """What the session remembers of the Chinese edition (each edition has its own memory)."""
        return self.plugin.build.sessions["zh"]

    def markdown(self) -> dict[str, str]:
        """Both editions' generated pages as the session last made them ({source path: Markdown})."""
        return {path: text for memory in self.plugin.build.sessions.values() for path, text in
                memory.pages.markdown.items()}

    def changed_since(self, old: dict[str, str]) -> set[str]:
        """The pages, of either edition, that differ from `old` (an English page shows the data's English: a
        Chinese title's edit changes fewer of them)."""
        return {path for path, text in self.markdown().items() if text != old[path]}

    def close(self) -> None:
        self.config().plugins.on_shutdown()


CLEAN_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.site_url = sys.argv[3]
config.plugins.on_startup(command="build", dirty=False)
build(config, serve_url=sys.argv[3])
"""


def clean_build(work: Path, site: Path) -> Path:
    """A whole build of the same data for the same URL, in a process of its own (MkDocs keeps one instance of a
    plugin per process: a build here would end the session's)."""
    subprocess.run([sys.executable, "-c", CLEAN_BUILD, str(work / "mkdocs.yml"), str(site), SERVE_URL], cwd=work,
                   check=True, capture_output=True)
    return site


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    work = copy_project(tmp_path_factory.mktemp("serve") / "atlas")
    (work / ".cache").unlink()  # the copy's own cache (an edit here must not evict the project's), filled from it
    if (ROOT / ".cache").is_dir():
        shutil.copytree(ROOT / ".cache", work / ".cache")
    ensure_dir(work / ".cache")
    pin_build_date(BUILD_DATE)
    running = Session(work, work / "site-serve")
    yield running
    running.close()


def test_a_rebuild_without_an_edit_writes_no_page(session):
    before = site_digest(session.site)
    # rendered in each edition, found unchanged, not written
    assert session.rebuild() == {"pages": len(routes.LANGUAGES) * len(preview.SUMMARY_PAGES)}
    assert site_digest(session.site) == before


def test_a_measure_title_edit_re_renders_only_the_pages_that_show_the_measure(session, tmp_path):
    work = session.work
    first = next(csv.DictReader(io.StringIO((work / "measures.csv").read_text(encoding="utf-8-sig"))))
    old, both = dict(session.chinese.pages.markdown), session.markdown()
    edit_cell(work / "measures.csv", first["id"], "title", lambda title: title + "（修订）")
    rendered = session.rebuild()
    new = session.chinese.pages.markdown
    changed = {path for path in new if new[path] != old[path]}
    named = re.compile(rf"(?<![0-9A-Za-z]){re.escape(first['id'])}(?![0-9A-Za-z])")
    naming = {path for path, text in old.items() if named.search(text)}
    chosen = session.chinese.pages.rendered
    assert f"documents/{first['doc']}.md" in changed and "changes.md" in changed
    assert changed <= chosen <= naming | set(preview.SUMMARY_PAGES)
    # the English edition shows the Chinese title beside the English one only as the clause's heading
    english = {routes.unlocalized(path) for path in session.plugin.build.sessions["en"].pages.rendered}
    assert first["title_en"] and english == {*preview.SUMMARY_PAGES, f"documents/{first['doc']}.md"}
    assert rendered["pages"] == len(chosen) + len(english)
    assert len(chosen) < len(old) // 5
    # the others came out as before: their pages are kept
    assert rendered["site pages"] == len(session.changed_since(both))
    assert "maps" not in rendered and "images" not in rendered
    page = (session.site / "documents" / f"{first['doc']}.html").read_text(encoding="utf-8")
    assert first["title"] + "（修订）" in page
    assert site_digest(session.site) == site_digest(clean_build(work, tmp_path / "clean"))


def test_a_measure_without_an_english_title_shows_its_chinese_title_edit_in_both_editions(session, tmp_path):
    work = session.work
    second = list(csv.DictReader(io.StringIO((work / "measures.csv").read_text(encoding="utf-8-sig"))))[1]
    edit_cell(work / "measures.csv", second["id"], "title_en", lambda _: "")  # staff have not translated it yet
    session.rebuild()
    edit_cell(work / "measures.csv", second["id"], "title", lambda title: title + "（再修订）")
    session.rebuild()
    named = re.compile(rf"(?<![0-9A-Za-z]){re.escape(second['id'])}(?![0-9A-Za-z])")
    english = session.plugin.build.sessions["en"].pages
    naming = {path for path, text in english.markdown.items() if named.search(text)}
    assert len(naming) > 3 and naming <= english.rendered  # its English cards show the Chinese title instead
    assert site_digest(session.site) == site_digest(clean_build(work, tmp_path / "clean"))


def test_a_project_rename_rebuilds_every_page_and_renders_only_what_shows_it(session, tmp_path):
    work = session.work
    old, both = dict(session.chinese.pages.markdown), session.markdown()
    edit_cell(work / "geodata" / "features.csv", PROJECT, "name_zh", lambda name: name + "（修订）")
    rendered = session.rebuild(wait=False)
    drawing = session.chinese.drawing
    # the build did not wait for the images: the project's page already shows its new name, its map's images follow
    assert f"project-{PROJECT}" in {name for name, _ in drawing.pending}
    # and in the English edition, whose maps show the project's official (Chinese) name too
    assert f"project-{PROJECT}" in {name for name, _ in session.plugin.build.sessions["en"].drawing.pending}
    assert "（修订）" in (session.site / "projects" / f"{PROJECT}.html").read_text(encoding="utf-8")
    assert all(memory.drawing.wait(timeout=900) for memory in session.plugin.build.sessions.values())
    new = session.chinese.pages.markdown
    changed = {path for path in new if new[path] != old[path]}
    naming = {path for path, text in old.items() if re.search(rf"(?<![0-9A-Za-z]){PROJECT}(?![0-9A-Za-z])", text)}
    chosen = session.chinese.pages.rendered
    assert {f"projects/{PROJECT}.md", "projects/index.md"} <= changed
    assert changed <= chosen <= naming | set(preview.SUMMARY_PAGES)
    # the English edition shows the Chinese name beside the English one only on the project's page
    english = {routes.unlocalized(path) for path in session.plugin.build.sessions["en"].pages.rendered}
    assert english == {*preview.SUMMARY_PAGES, f"projects/{PROJECT}.md"}
    assert rendered["pages"] == len(chosen) + len(english) and len(chosen) < len(old) // 2
    # its shared layer script has a new name, but no page links to it: only the changed pages are rebuilt
    assert rendered["site pages"] == len(session.changed_since(both))
    # only the maps that show it, in both editions (an English map shows the Chinese name too): the pages that load
    # its layer's shared data get the script's new name, unrendered
    assert 0 < rendered["maps"] == rendered["images"] < 20
    assert site_digest(session.site) == site_digest(clean_build(work, tmp_path / "clean"))


EVENT = ("date", "target")  # what identifies a progress event


def test_an_event_edit_renders_its_project_page_and_a_stage_edit_every_page_listing_the_project(session, tmp_path):
    progress, page = session.work / "geodata" / "progress.csv", f"projects/{PROJECT}.md"
    # a summary is shown on the project's timeline and the pages that list recent events, nowhere else
    edit_cell(progress, ("2022-04", PROJECT), "summary", lambda text: text + "（补记）", key=EVENT)
    rendered = session.rebuild()
    chosen = session.chinese.pages.rendered
    assert chosen == {*preview.SUMMARY_PAGES, page}
    assert rendered["pages"] == session.rendered_in_both(chosen)
    assert "（补记）" in (session.site / "projects" / f"{PROJECT}.html").read_text(encoding="utf-8")
    # the latest event's stage is the project's stage in every table that lists it
    old = dict(session.chinese.pages.markdown)
    edit_cell(progress, ("2025-12-23", PROJECT), "stage", lambda _: "部分开通", key=EVENT)
    session.rebuild()
    changed = {path for path, text in session.chinese.pages.markdown.items() if text != old[path]}
    assert {page, "projects/index.md", "cities/baotou.md"} <= changed
    assert site_digest(session.site) == site_digest(clean_build(session.work, tmp_path / "clean"))


def test_a_mistake_stops_a_rebuild_and_its_fix_is_rebuilt_in_part(session):
    work, before = session.work, site_digest(session.site)
    original = (work / "measures.csv").read_bytes()
    first = next(csv.DictReader(io.StringIO(original.decode("utf-8-sig"))))
    edit_cell(work / "measures.csv", first["id"], "deadline", lambda _: "2024年12月")
    with pytest.raises(Abort):  # MkDocs stops on the plugin's error (it lists the bad deadline)
        session.rebuild()
    (work / "measures.csv").write_bytes(original)
    rendered = session.rebuild()
    assert rendered["pages"] < 20 and "site pages" not in rendered  # nothing shown changed
    assert site_digest(session.site) == before


def test_make_site_after_a_preview_draws_nothing_the_preview_drew(session, tmp_path):
    artifacts.RENDERED.clear()
    site = build_site(session.work, site=tmp_path / "site", today=BUILD_DATE)
    assert session.plugin.build is None  # `make site` ended the preview (on_startup) and then its own build
    assert len(list(site.rglob("*.html"))) > 390  # 211 pages and 184 map pages
    # the preview and the published site share the cache: the edited project's maps and images are not made again
    assert artifacts.RENDERED["maps"] == artifacts.RENDERED["images"] == 0
