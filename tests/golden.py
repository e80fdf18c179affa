"""Regenerate the golden files: `make golden` (python -m tests.golden).

The golden files pin the exact output of the page and map generators for a few subjects, so that a change
in templates or map code shows up as a reviewable diff. Regenerate them only after reading that diff.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from build_atlas.cache import artifacts
from build_atlas.inputs.model import gather
from build_atlas.outputs import dictionary, exports, maps, pages
from build_atlas.vocabulary import routes

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
BUILD_DATE = date(2026, 12, 7)
PAGES = ("documents/nzf-2023-23.md", "documents/nzf-2023-23.en.md", "cities/ulanqab.md", "cities/ulanqab.en.md",
         "tracing.md", "tracing.en.md")
MAPS = ("city-ulanqab",)


def outputs() -> dict[str, str]:
    """{golden file name: generated text} from the current code and data: the pages and maps of each edition, the
    pages listing the maps' features by the numbers of their own edition's images."""
    atlas = gather(ROOT)
    outlines = maps.context_outlines(atlas)
    generated, result = {}, {}
    for lang in routes.LANGUAGES:
        specs = {spec.name: spec for spec in maps.map_specs(atlas, lang)}
        notes = exports.print_notes([specs[name] for name in MAPS], *outlines, artifacts.ArtifactCache(None),
                                    exports.Footer(date=BUILD_DATE.isoformat()), workers=1)
        generated.update(pages.render_pages(atlas, today=BUILD_DATE, site_url="", downloads=dictionary.NO_DOWNLOADS,
                                            history=[], maps=notes, lang=lang))
        for name in MAPS:
            result[f"maps__{name}{'' if lang == routes.DEFAULT_LANGUAGE else f'.{lang}'}.html"] = maps.render_map(
                specs[name], atlas, maps.MapOptions(), outlines=outlines, paper=notes[name].orientation)
    return {**{path.replace("/", "__"): generated[path] for path in PAGES}, **result}


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, text in outputs().items():
        (GOLDEN / name).write_text(text, encoding="utf-8")
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
