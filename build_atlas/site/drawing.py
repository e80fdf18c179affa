"""A preview's print images and data package, made after its build in worker processes of their own
(preview.Preview)."""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ..cache import artifacts
from ..outputs import exports, package
from ..vocabulary import routes

PLANNERS = 2  # the print notes of a preview's two editions, planned side by side
WORKER_NICENESS = 10  # the drawing yields the processor to the next rebuild: staff see their edit first


class Drawing:
    """The print images of a preview, drawn after the build instead of during it: an edit to a project shows on its
    pages at once, and its images follow when drawn (they took most of such a rebuild: the overview's two images alone
    take about ten seconds of drawing). Images are not among the build's files: this writes them into its edition's
    exports/ folder itself (each edition's preview has a Drawing of its own), cached ones at once and the others as a
    worker process finishes each. A later build supersedes what an earlier one asked for: a drawing nobody wants any
    more is cancelled, or not written when it is done.

    The workers are spawned, not forked: the server's threads may hold locks that a forked child would inherit."""

    def __init__(self, workers: int | None = None):
        self.workers, self.pool = workers or min(os.cpu_count() or 1, 4), None
        self.lang = routes.DEFAULT_LANGUAGE  # the edition whose images these are (update)
        self.wanted: dict[str, str] = {}  # map name → key of the images the last build asked for
        self.shown: dict[str, str] = {}  # map name → key of the images in site/exports
        self.pending: dict[tuple[str, str], Future] = {}
        self.lock = threading.Condition()
        self.package_wanted, self.package = "", None  # the key the last build asked for; the last package shown

    def update(self, specs, cities, counties, cache: artifacts.ArtifactCache, footer, site: Path,
               lang: str = routes.DEFAULT_LANGUAGE) -> None:
        """Show every map's images of edition `lang` as this build's data draws them: cached ones now, the others
        when drawn."""
        keys = exports.image_keys(specs, cities, counties, footer)
        with self.lock:
            self.wanted, self.lang = keys, lang
            for (name, key), future in list(self.pending.items()):
                if keys.get(name) != key:
                    future.cancel()
            for name in set(self.shown) - set(keys):  # a project deleted: its images go with it
                for suffix in exports.IMAGES:
                    (site / routes.image(name, suffix, lang)).unlink(missing_ok=True)
                del self.shown[name]
            for spec in specs:
                key = keys[spec.name]
                if self.shown.get(spec.name) == key or (spec.name, key) in self.pending:
                    continue
                images = cache.read(exports.KIND, spec.name, key, exports.IMAGES)
                if images is not None:
                    self.show(site, spec.name, key, images)
                    continue
                artifacts.RENDERED["images"] += 1
                future = self.submit(exports.draw_and_store, spec, cities, counties, footer, cache.folder, key)
                self.pending[spec.name, key] = future
                future.add_done_callback(functools.partial(self.drawn, site, spec.name, key))

    def pack(self, files, tables, publication, cache: artifacts.ArtifactCache, key: str, site: Path) -> None:
        """Make the data package (datapackage.json, the workbook, the zip) as the drawings are made, and write it into
        site/data when it is done, unless a later build wants another."""
        with self.lock:
            self.package_wanted = key
            if ("package", key) in self.pending:
                return
            artifacts.RENDERED[package.KIND] += 1
            future = self.submit(package.make_and_store, files, tables, publication, cache.folder, key)
            self.pending["package", key] = future
            future.add_done_callback(functools.partial(self.packed, site, publication, key))

    def packed(self, site: Path, publication, key: str, future: Future) -> None:
        with self.lock:
            try:
                if not future.cancelled() and self.package_wanted == key:
                    self.show_package(site, publication, future.result())
            except Exception:  # noqa: BLE001 - a preview keeps serving; `make site` says what is wrong
                logging.getLogger("mkdocs").exception("数据包未能生成 / making the data package failed")
            finally:
                self.pending.pop(("package", key), None)
                self.lock.notify_all()

    def show_package(self, site: Path, publication, parts: dict[str, bytes]) -> None:
        for part, path in package.site_paths(publication).items():
            artifacts.write_atomic(site / path, parts[part])
        self.package = parts

    def submit(self, *call) -> Future:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=os.nice, initargs=(WORKER_NICENESS,))
        return self.pool.submit(*call)

    def hold(self) -> None:
        """A build is starting: drawings not yet under way are dropped (the build's update asks again for those still
        wanted), so that the workers leave the processors to the build; those under way finish."""
        with self.lock:
            for future in list(self.pending.values()):
                future.cancel()

    def pause(self) -> None:
        """A build is starting: the drawings under way stop where they are until `resume`. Niced, they still took a
        share of the processors from the build (a project edit's maps take the workers several seconds to draw, and
        the next edit often comes sooner)."""
        self.signal(signal.SIGSTOP)

    def resume(self) -> None:
        """The build is done (or failed): the drawings stopped by `pause` go on."""
        self.signal(signal.SIGCONT)

    def signal(self, number: int) -> None:
        # the executor's own table of its worker processes (it has no public one)
        for process in list((self.pool._processes or {}).values()) if self.pool is not None else []:
            try:
                os.kill(process.pid, number)
            except ProcessLookupError:  # a worker that has just ended
                pass

    def drawn(self, site: Path, name: str, key: str, future: Future) -> None:
        with self.lock:
            try:
                if not future.cancelled() and self.wanted.get(name) == key:
                    self.show(site, name, key, future.result())
            except Exception:  # noqa: BLE001 - a preview keeps serving; the next `make site` draws it or says why
                logging.getLogger("mkdocs").exception("地图图片未能生成 / drawing the images of %s failed", name)
            finally:
                self.pending.pop((name, key), None)
                self.lock.notify_all()

    def show(self, site: Path, name: str, key: str, images: dict[str, bytes]) -> None:
        for suffix, data in images.items():
            artifacts.write_atomic(site / routes.image(name, suffix, self.lang), data)
        self.shown[name] = key

    def wait(self, timeout: float | None = None) -> bool:
        """Until every drawing asked for is shown (tests, and a preview that ends); False on timeout."""
        with self.lock:
            return self.lock.wait_for(lambda: not self.pending, timeout)

    def close(self) -> None:
        if self.pool is not None:
            self.resume()  # a stopped worker would never see the pool's end
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


class Planning:
    """The print notes a preview's pages need (the numbers its maps' images give features: exports.print_notes), asked
    for both editions as soon as a build has read the data, and planned in worker processes of their own while the
    build goes on: the English edition's are ready when its pass comes, instead of being planned after the Chinese
    pass (an edit to a project's name is planned again on each map that shows it: about a second for the overview
    alone, in each edition). A note not yet begun when its pass needs it is planned by the pass itself.

    Spawned like the drawing's workers, and not lowered in priority: the build waits for what they plan."""

    def __init__(self, workers: int = PLANNERS):
        self.workers, self.pool = workers, None
        self.pending: dict[str, list[Future]] = {}  # edition → its notes asked for and not yet settled

    def start(self) -> None:
        """Start the workers, each loading the code and the font it plans with: a session's first build does it, so
        that its first edit does not wait for them (a few seconds)."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            for _ in range(self.workers):
                self.pool.submit(exports.cjk_font)

    def ask(self, lang: str, specs, cities, counties, cache: artifacts.ArtifactCache, footer) -> None:
        """Plan edition `lang`'s notes that the cache lacks."""
        self.settle(lang)
        keys = exports.image_keys(specs, cities, counties, footer)
        for spec in specs:
            if cache.read(exports.NOTES, spec.name, keys[spec.name], (artifacts.TEXT,)) is None:
                self.start()
                self.pending.setdefault(lang, []).append(self.pool.submit(
                    exports.note_and_store, spec, cities, counties, footer, cache.folder, keys[spec.name]))

    def settle(self, lang: str) -> None:
        """Edition `lang`'s pass needs its notes now: those under way are waited for (they land in the cache), those
        not begun are dropped, for the pass to plan."""
        for future in self.pending.pop(lang, []):
            if not future.cancel():
                try:
                    future.result()
                except Exception:  # noqa: BLE001 - the pass plans it again, and says what is wrong
                    logging.getLogger("mkdocs").debug("planning a print note ahead failed", exc_info=True)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
