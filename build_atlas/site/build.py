"""Stage 5: MkDocs turns the pages into site/, atomically.

The site is built into a temporary directory beside site/ and swapped in only when the whole build
has succeeded; a failed or interrupted build leaves the previous site/ exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


def pin_build_date(today: date) -> None:
    """Make MkDocs's own dates (sitemap) and ours the same input: reproducible output."""
    os.environ["ATLAS_BUILD_DATE"] = today.isoformat()
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(today, time(), UTC).timestamp()))


def swap_in(new: Path, site: Path) -> None:
    """Replace `site` by `new` with two renames, so a reader never sees a half-written site; if the second
    rename fails or is interrupted, the old site is put back."""
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    try:
        new.rename(site)
    except BaseException:
        if old.exists() and not site.exists():
            old.rename(site)
        raise
    shutil.rmtree(old, ignore_errors=True)


def usual_mode() -> int:
    """The mode `mkdir` would give under the current umask (mkdtemp's 0700 would hide the site from a web
    server running as another user)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def build_site(root: Path, site: Path | None = None, today: date | None = None, strict: bool = True) -> Path:
    """Build the atlas into `site` (default: mkdocs.yml's site_dir); raise MkDocsException on failure."""
    if today:
        pin_build_date(today)
    config_file = root / "mkdocs.yml"
    site = (site or root / "site").resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    try:
        staging.chmod(usual_mode())
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        # as `mkdocs build` does: a plugin kept from a `mkdocs serve` in this process (tests) forgets that session
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        swap_in(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return site


__all__ = ["build_site", "MkDocsException"]
