"""Content-addressed cache of generated artifacts (map pages, standalone exports), so that a rebuild re-renders only
what an edit changed.

Each artifact is stored as `<cache>/<kind>/<name>/<key>.html`, where the key is a hash of exactly the inputs it is
rendered from (the data it shows, the options, and the code and library versions that render it). A stale version
is replaced when its artifact is rendered anew; nothing is ever read under a key whose inputs differ.

`RENDERED` counts the artifacts actually rendered (cache misses) in this process, by kind: tests read it to prove
that an edit re-renders only what depends on it. Under `mkdocs serve` (preview.py) it also counts the generated
Markdown pages rendered ("pages") and the pages put into the theme ("site pages").

Also here: folium and branca build a Jinja `Template(source)` for every map element they make, and Jinja compiles
each one anew (about 50 compilations a map). `compile_templates_once()` makes a `Template(source)` call return the
template compiled the first time that source was seen in this process.
"""

from __future__ import annotations

import collections
import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2

RENDERED: collections.Counter = collections.Counter()


def digest(*parts: str | bytes) -> str:
    """A short hex key for the given inputs, in order."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))  # length-prefixed: ("ab", "c") and ("a", "bc") differ
        hasher.update(data)
    return hasher.hexdigest()[:32]


def row_digests(frame, columns: list[str]) -> dict[str, str]:
    """Each row's index (a feature's id) → a digest of its `columns` (geometry as WKB): made once per build, so that
    the 184 map and image keys each combine their features' digests instead of serialising their rows again."""
    shown = frame[columns]
    if hasattr(shown, "to_wkb"):
        shown = shown.to_wkb()
    return {index: digest(repr(row)) for index, row in zip(shown.index, shown.itertuples(index=False), strict=True)}


def files_digest(paths) -> str:
    return digest(*(Path(path).read_bytes() for path in paths))


class Recent:
    """The last `size` values made, by a key of what they are made from, kept in memory: what a preview's next
    build, or the next map of the same build, asks for again."""

    def __init__(self, size: int = 1):
        self.size, self.made = size, {}

    def get(self, key: str, make: Callable[[], object]):
        if key not in self.made:
            if len(self.made) >= self.size:
                del self.made[next(iter(self.made))]
            self.made[key] = make()
        return self.made[key]

    def of(self, source: object, make: Callable[[], object]):
        """The value made from this very object (by identity: it is held with its value, so its id is not reused
        while remembered); the caller must not change `source`."""
        return self.get(id(source), lambda: (source, make()))[1]


class ArtifactCache:
    """Text artifacts under `folder`, keyed by their inputs' digest; `folder=None` caches nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, kind: str, name: str, key: str, make: Callable[[], str]) -> str:
        """The artifact `kind/name` for inputs `key`: from the cache, or made by `make()` and stored."""
        text = self.read(kind, name, key)
        if text is None:
            RENDERED[kind] += 1
            text = make()
            self.write(kind, name, key, text)
        return text

    def get_all(self, kind: str, keys: dict[str, str], make: Callable[[str], str],
                workers: int | None = None) -> dict[str, str]:
        """{name: artifact} for `keys` ({name: key}): cached ones read, the others made by `make(name)`, across the
        cores when there are many (in_pool; `workers=1`: all in this process)."""
        texts = {name: self.read(kind, name, key) for name, key in keys.items()}
        missing = [name for name, text in texts.items() if text is None]
        RENDERED[kind] += len(missing)
        for name, text in in_pool(make, missing, workers):  # stored as each arrives: an interrupted build keeps them
            self.write(kind, name, keys[name], text)
            texts[name] = text
        return texts

    def path(self, kind: str, name: str, key: str) -> Path | None:
        return self.folder / kind / name / f"{key}.html" if self.folder else None

    def read(self, kind: str, name: str, key: str) -> str | None:
        path = self.path(kind, name, key)
        return path.read_text(encoding="utf-8") if path is not None and path.exists() else None

    def write(self, kind: str, name: str, key: str, text: str) -> None:
        path = self.path(kind, name, key)
        if path is not None:
            store(path, text)


def store(path: Path, text: str) -> None:
    """Write aside, then rename (an interrupted build never leaves half a file), and drop older versions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.iterdir():
        if old.name != path.name:
            old.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


POOL_FROM = 4  # make artifacts in a process pool when at least this many are missing


def in_pool(make: Callable, items: Iterable, workers: int | None = None) -> Iterator[tuple]:
    """(item, make(item)) for each item, in order: in a pool of forked processes (one a core, at most 4) when there
    are at least POOL_FROM, else here. The workers inherit `make` and all it holds (the atlas, fonts, compiled
    templates) by fork, so only the items and results cross between processes; `make` must give the same result in
    any process (the tests compare the two ways)."""
    items = list(items)
    workers = workers or min(os.cpu_count() or 1, 4)
    if len(items) < POOL_FROM or workers < 2:
        yield from ((item, make(item)) for item in items)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start, initargs=(make,)) as pool:
        yield from zip(items, pool.map(_made, items, chunksize=1), strict=True)


_WORKER: dict = {}


def _start(make: Callable) -> None:
    """A worker's set-up. Everything inherited from the parent lives as long as the worker, so the cycle collector
    is told to skip it (gc.freeze): a full collection in a worker then takes about 3 ms instead of about 90 (print
    images collect after each figure), and leaves the inherited pages unwritten, so shared with the parent."""
    _WORKER["make"] = make
    gc.freeze()


def _made(item):
    return _WORKER["make"](item)


_COMPILED: dict = {}
_JINJA_NEW = jinja2.Template.__new__


def _template_once(cls, source, *args, **kwargs):
    if args or kwargs or not isinstance(source, str):  # templates with their own settings: as Jinja makes them
        return _JINJA_NEW(cls, source, *args, **kwargs)
    key = (cls, source)
    if key not in _COMPILED:
        _COMPILED[key] = _JINJA_NEW(cls, source)
    return _COMPILED[key]


def compile_templates_once() -> None:
    """Make `Template(source)` (as folium and branca call it per element) compile each source once per process.
    A Jinja template holds no per-render state, so sharing it is what folium already does for class templates."""
    jinja2.Template.__new__ = staticmethod(_template_once)
