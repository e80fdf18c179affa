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
import hashlib
from collections.abc import Callable
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
        path = self.folder / kind / name / f"{key}.html" if self.folder else None
        if path is not None and path.exists():
            return path.read_text(encoding="utf-8")
        RENDERED[kind] += 1
        text = make()
        if path is not None:
            store(path, text)
        return text


def store(path: Path, text: str) -> None:
    """Write aside, then rename (an interrupted build never leaves half a file), and drop older versions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.iterdir():
        if old.name != path.name:
            old.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


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
