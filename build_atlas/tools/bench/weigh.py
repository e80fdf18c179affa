"""What a reader downloads: every page's first visit weighed in Chromium, the bytes a first search query costs, and
each map's data."""

from __future__ import annotations

import gzip
import http.server
import json
import re
import subprocess
import sys
import threading
import time
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

from ...vocabulary import routes
from .lighthouse import CHROMIUM, lighthouse_scores
from .serve import rebuild_latency

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


NOT_READER_PAGES = ("maps", "exports", "search", "assets")  # weighed as part of the pages that embed or load them


QUERIES = ("包银高铁", "马铃薯")  # typical queries: a project's short name, a word inside one measure


PAGE_TARGET, MAP_DATA_TARGET = 1_000_000, 200_000  # decimal bytes: stricter than MiB/KiB, a pass holds for both


GEOJSON_CALL = re.compile(r"geo_json_\w+_add\((?=\{)")  # folium hands each layer's data to its _add function


def weigh_page(browser, url: str) -> dict:
    """Bytes a first visit transfers, iframes included; anything not from 127.0.0.1 (tiles) is blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # fresh context: empty HTTP cache
    page, blocked, finished = context.new_page(), [], []
    page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
               else (blocked.append(route.request.url), route.abort()))
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="load")
    for y in range(0, page.evaluate("document.documentElement.scrollHeight") + 900, 600):
        page.evaluate(f"window.scrollTo(0, {y})")  # read to the end: loading="lazy" iframes load on approach
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    sizes, gzipped = [], 0
    for request in finished:
        size, response = request.sizes(), request.response()
        sizes.append((urlparse(request.url).path, size["responseBodySize"] + size["responseHeadersSize"]))
        gzipped += len(gzip.compress(response.body())) if response and response.status == 200 else 0
    frames = len(page.frames) - 1
    context.close()
    total = sum(size for _, size in sizes)
    largest = sorted(sizes, key=lambda item: -item[1])[:3]
    return {"bytes": total, "gzip_bytes": gzipped, "requests": len(finished), "iframes": frames,
            "blocked": len(blocked), "largest": largest, "pass": total < PAGE_TARGET}


def query_bytes(browser, url: str, query: str) -> dict:
    """Bytes a reader's first query downloads on top of the page (the search index and the search scripts)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, finished = context.new_page(), []
    page.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
               else route.abort())
    page.goto(url, wait_until="networkidle")
    page.on("requestfinished", lambda request: finished.append(request))
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material listens for keyup
    page.wait_for_function("document.querySelector('.md-search-result__list').children.length > 0")
    page.wait_for_load_state("networkidle")
    sizes = [(urlparse(r.url).path, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]) for r in finished]
    results = page.locator(".md-search-result__item").count()
    context.close()
    return {"query": query, "bytes": sum(size for _, size in sizes), "requests": len(sizes), "results": results,
            "largest": sorted(sizes, key=lambda item: -item[1])[:3]}


def reader_pages(site: Path) -> list[str]:
    """Every page a reader opens (site-relative), 404 included; map pages count inside the pages that embed them."""
    def folder(path: Path) -> str:  # the folder under the edition's top (en/maps/… is a map page too)
        parts = path.relative_to(site).parts
        return parts[1] if parts[0] in routes.LANGUAGES and len(parts) > 1 else parts[0]

    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                  if folder(path) not in NOT_READER_PAGES)


def page_weights(site: Path) -> list[dict]:
    """Serve the built site on 127.0.0.1 (uncompressed: python's http.server) and weigh each page in Chromium."""
    from playwright.sync_api import sync_playwright  # only the parent drives a browser

    handler = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            base = f"http://127.0.0.1:{server.server_port}/"
            pages = [{"page": path, **weigh_page(browser, base + path)} for path in reader_pages(site)]
            return pages + [{"page": "index.html", **query_bytes(browser, base + "index.html", q)} for q in QUERIES]
    finally:
        server.shutdown()
        server.server_close()


def map_data_sizes(site: Path) -> list[dict]:
    """Each map's HTML size and the bytes of the GeoJSON literals inside it."""
    decoder, rows = json.JSONDecoder(), []
    for path in sorted((site / "maps").glob("*.html")):
        text, data = path.read_text(encoding="utf-8"), 0
        for match in GEOJSON_CALL.finditer(text):
            data += len(text[match.end():decoder.raw_decode(text, match.end())[1]].encode())
        rows.append({"map": path.stem, "html_bytes": path.stat().st_size, "data_bytes": data,
                     "pass": data < MAP_DATA_TARGET})
    return rows


def site_sizes(site: Path) -> dict:
    """The whole site's bytes, and the largest map page's own bytes (its HTML; shared scripts and styles apart)."""
    pages = {path.stem: path.stat().st_size for path in (site / "maps").glob("*.html")}
    biggest = max(pages, key=pages.get)
    return {"site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
            "largest_map": biggest, "largest_map_bytes": pages[biggest], "maps": len(pages)}


EVENT_RUNS = 3


def events_cost(work: Path) -> dict:
    """A warm `make site` of the 1× copy with its progress events and with none (the table's header alone), in
    turn EVENT_RUNS times each: the medians, and what the events add."""
    table = work / "geodata" / "progress.csv"
    events = table.read_bytes()
    header = events.split(b"\n", 1)[0] + b"\n"
    runs: dict[str, list[float]] = {"with": [], "without": []}
    try:
        for _ in range(EVENT_RUNS):
            for name, data in (("without", header), ("with", events)):
                table.write_bytes(data)
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "build_atlas", "build", "--date", date.today().isoformat(),
                                "--site-dir", str(work / f"site-events-{name}")], cwd=work, check=True,
                               capture_output=True)
                runs[name].append(round(time.perf_counter() - start, 1))
    finally:
        table.write_bytes(events)
    medians = {name: sorted(values)[len(values) // 2] for name, values in runs.items()}
    return {"runs_s": runs, "median_with_s": medians["with"], "median_without_s": medians["without"],
            "added": round(medians["with"] / medians["without"] - 1, 3)}


def real_site_checks(root: Path, tmp: Path) -> dict:
    """Page weight, map data and rebuild latency on the real data (the 1× build)."""
    site, checks = tmp / "x1" / "site", {"sizes": site_sizes(tmp / "x1" / "site")}
    for name, measure in (("page_weight", partial(page_weights, site)), ("map_data", partial(map_data_sizes, site)),
                          ("rebuild", partial(rebuild_latency, root, tmp, tmp / "x1" / ".cache")),
                          ("rebuild_feature", partial(rebuild_latency, root, tmp, tmp / "x1" / ".cache", "feature")),
                          ("rebuild_event", partial(rebuild_latency, root, tmp, tmp / "x1" / ".cache", "event")),
                          ("events_cost", partial(events_cost, tmp / "x1")),
                          ("lighthouse", partial(lighthouse_scores, root, site))):
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        try:
            checks[name] = measure()
        except Exception as error:  # report what could not be measured, measure the rest
            checks[f"{name}_error"] = f"{type(error).__name__}: {error}"
    return checks
