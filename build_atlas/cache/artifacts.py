"""The one content-addressed cache of generated artifacts (map pages, print images, search records), so that a
rebuild makes only what an edit changed.

Each artifact is stored as `<cache>/<kind>/<name>/<key>.<suffix>`, where the key is a digest of exactly what it is
made from: the data it shows, its options, and the code and vocabulary that shape it (`code_digest`). Versions
coexist, so a preview and a whole build share their entries; nothing is ever read under a key whose inputs differ,
and `prune` drops what no build has used for a while.

`RENDERED` counts the artifacts actually rendered (cache misses) in this process, by kind: tests read it to prove
that an edit re-renders only what depends on it. Under `mkdocs serve` (preview.py) it also counts the generated
Markdown pages rendered ("pages") and the pages put into the theme ("site pages").

Also here: folium and branca build a Jinja `Template(source)` for every map element they make, and Jinja compiles
each one anew (about 50 compilations a map). `compile_templates_once()` makes a `Template(source)` call return the
template compiled the first time that source was seen in this process.
"""

from __future__ import annotations

import ast
import collections
import functools
import gc
import hashlib
import multiprocessing
import os
import re
import time
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


PACKAGE = Path(__file__).resolve().parent.parent  # build_atlas/
# What every artifact's key holds already, so that their code need not be in it: the input stage (what it makes, the
# data, is in the key), the errors, and this cache itself.
LEFT_OUT = (PACKAGE / "inputs", PACKAGE / "cache", PACKAGE / "errors.py")


@functools.cache
def code_digest(*sources: Path, assets: tuple[Path, ...] = ()) -> str:
    """A digest of the code that shapes an output: the given modules, every module of this package they import,
    directly or not (the vocabulary/ modules among them: a colour changed in schema.py draws every map anew), and
    `assets` (scripts and styles the output carries), with the versions of the libraries that render. Read once per
    process, as the code is: a module edited while a preview runs is not the module that runs."""
    files = sorted(set().union(*(package_imports(path.resolve()) for path in sources)) | set(assets))
    return digest(*(f"{path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name}" for path in files),
                  *(path.read_bytes() for path in files), *library_versions())


@functools.cache
def package_imports(path: Path) -> frozenset[Path]:
    """`path` and the modules of this package it imports, directly or not, those LEFT_OUT excepted."""
    found = {path}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = path.parents[node.level - 1]
        module = base.joinpath(*node.module.split(".")) if node.module else base
        for target in (module_file(module), *(module_file(module / alias.name) for alias in node.names)):
            if target is not None and target not in found and not any(
                    target == out or out in target.parents for out in LEFT_OUT):
                found |= package_imports(target)
    return frozenset(found)


def module_file(module: Path) -> Path | None:
    """The file of a module given as a path without suffix: `x.py`, or `x/__init__.py` for a package."""
    for candidate in (module.with_suffix(".py"), module / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def library_versions() -> list[str]:
    from importlib.metadata import version

    return [f"{name} {version(name)}" for name in ("folium", "branca", "matplotlib", "jinja2", "jieba")]


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

    def known(self, source: object):
        """What `of` made from this very object and still remembers, or None."""
        held = self.made.get(id(source))
        return held[1] if held is not None and held[0] is source else None

    def clear(self) -> None:
        self.made.clear()

    def __len__(self) -> int:
        return len(self.made)


TEXT = "html"  # the suffix of a text artifact
PRUNE_AGE_DAYS = 30
PRUNE_BYTES = 2 * 1024**3  # a whole build's artifacts are about 60 MB: room for many versions


class ArtifactCache:
    """Generated artifacts under `folder`, content-addressed: `<kind>/<name>/<key>.<suffix>`, where the key is a digest
    of everything the artifact is made from. An artifact may have several parts (a map's print images: `png`,
    `report.png`, `svg`), read only when all are there. Versions coexist: a preview and a whole build, or two branches,
    each find their own; `prune` drops what no build has used for a while. `folder=None` caches nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, kind: str, name: str, key: str, make: Callable[[], str]) -> str:
        """The text artifact `kind/name` for inputs `key`: from the cache, or made by `make()` and stored."""
        return self.get_all(kind, {name: key}, lambda _: make(), workers=1)[name]

    def get_all(self, kind: str, keys: dict[str, str], make: Callable[[str], str],
                workers: int | None = None) -> dict[str, str]:
        """{name: text} for `keys` ({name: key}): cached ones read, the others made by `make(name)`, across the cores
        when there are many (in_pool; `workers=1`: all in this process)."""
        parts = self.get_parts(kind, keys, lambda name: {TEXT: make(name).encode()}, (TEXT,), workers)
        return {name: made[TEXT].decode() for name, made in parts.items()}

    def get_parts(self, kind: str, keys: dict[str, str], make: Callable[[str], dict[str, bytes]],
                  suffixes: tuple[str, ...], workers: int | None = None) -> dict[str, dict[str, bytes]]:
        """{name: {suffix: bytes}} for `keys`, as get_all; each is stored as it arrives, so an interrupted build keeps
        what it made. Counted in RENDERED[kind]."""
        made = {name: self.read(kind, name, key, suffixes) for name, key in keys.items()}
        missing = [name for name, parts in made.items() if parts is None]
        RENDERED[kind] += len(missing)
        for name, parts in in_pool(make, missing, workers):
            self.write(kind, name, keys[name], parts)
            made[name] = parts
        return made

    def path(self, kind: str, name: str, key: str, suffix: str) -> Path:
        return self.folder / kind / name / f"{key}.{suffix}"

    def read(self, kind: str, name: str, key: str, suffixes: tuple[str, ...]) -> dict[str, bytes] | None:
        """The artifact's parts, or None when any is missing; reading marks them used (for `prune`)."""
        if self.folder is None:
            return None
        paths = {suffix: self.path(kind, name, key, suffix) for suffix in suffixes}
        try:
            parts = {suffix: path.read_bytes() for suffix, path in paths.items()}
        except FileNotFoundError:
            return None
        for path in paths.values():
            os.utime(path)
        return parts

    def write(self, kind: str, name: str, key: str, parts: dict[str, bytes]) -> None:
        if self.folder is not None:
            for suffix, data in parts.items():
                write_atomic(self.path(kind, name, key, suffix), data)

    def prune(self, max_age_days: float = PRUNE_AGE_DAYS, max_bytes: int = PRUNE_BYTES) -> int:
        """Drop the artifacts no build has read or written for `max_age_days`, then the least recently used until the
        cache holds at most `max_bytes`; returns how many files were removed."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        entries = sorted((path.stat().st_mtime, path.stat().st_size, path)
                         for path in self.folder.rglob("*") if path.is_file())
        cutoff, total, removed = time.time() - max_age_days * 86400, sum(size for _, size, _ in entries), 0
        for mtime, size, path in entries:
            if mtime >= cutoff and total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total, removed = total - size, removed + 1
        return removed


def write_atomic(path: Path, data: bytes) -> None:
    """Write aside, then rename: a reader, or an interrupted build, never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
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
    if not JINJA_SYNTAX.search(source):  # folium wraps each element's rendered script in such a "template"
        return Verbatim(source)
    key = (cls, source)
    if key not in _COMPILED:
        _COMPILED[key] = _JINJA_NEW(cls, source)
    return _COMPILED[key]


JINJA_SYNTAX = re.compile(r"\{[{%#]")  # where a default Jinja template's tag, expression or comment starts


class Verbatim:
    """A template without Jinja syntax, rendered as Jinja renders it (its line ends as newlines, without one final
    newline: Jinja's defaults) without compiling it: folium renders each element's script, then hands it to a
    Template of its own, a new source on every map (about 4 compilations a map)."""

    def __init__(self, source: str):
        text = NEWLINES.sub("\n", source)
        self.text = text[:-1] if text.endswith("\n") else text

    def render(self, *args, **kwargs) -> str:
        return self.text


NEWLINES = re.compile(r"\r\n|\r|\n")


def compile_templates_once() -> None:
    """Make `Template(source)` (as folium and branca call it per element) compile each source once per process.
    A Jinja template holds no per-render state, so sharing it is what folium already does for class templates."""
    jinja2.Template.__new__ = staticmethod(_template_once)
