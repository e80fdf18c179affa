"""Are two built sites the same, byte for byte? `python -m build_atlas.tools.samesite SITE_A SITE_B`

For a change that should not change what readers get (a restructuring, a faster cache): build the site before and
after at the same date (`python -m build_atlas build --date 2026-12-07 --site-dir /tmp/before`, then again after the
change into /tmp/after) and compare. Prints every file only one site has and every file whose bytes differ, with the
first differing line of a text file; exits 0 when the sites are the same, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path


def digests(site: Path) -> dict[str, str]:
    """Each file of a site (its path inside the site) → its SHA-256."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def first_difference(a: Path, b: Path) -> str:
    try:
        lines_a, lines_b = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        return f"binary, {a.stat().st_size:,} → {b.stat().st_size:,} bytes"
    for number, (left, right) in enumerate(zip(lines_a, lines_b, strict=False), 1):
        if left != right:
            return f"line {number}: {left[:100]!r} → {right[:100]!r}"
    return f"{len(lines_a)} → {len(lines_b)} lines"


def compare(site_a: Path, site_b: Path) -> list[str]:
    a, b = digests(site_a), digests(site_b)
    out = [f"only in {site_a}: {path}" for path in sorted(a.keys() - b.keys())]
    out += [f"only in {site_b}: {path}" for path in sorted(b.keys() - a.keys())]
    out += [f"differs: {path} ({first_difference(site_a / path, site_b / path)})"
            for path in sorted(a.keys() & b.keys()) if a[path] != b[path]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_atlas.tools.samesite", description=__doc__.splitlines()[0])
    parser.add_argument("site_a", type=Path)
    parser.add_argument("site_b", type=Path)
    args = parser.parse_args(argv)
    differences = compare(args.site_a, args.site_b)
    for line in differences:
        print(line)
    print(f"{len(digests(args.site_a)):,} files: " + ("the same, byte for byte" if not differences
                                                    else f"{len(differences)} differences"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
