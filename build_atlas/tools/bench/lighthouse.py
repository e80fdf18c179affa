"""How the main thread fares on a mid-range phone: Lighthouse's mobile profile (simulated slow 4G and a CPU four times
slower than this machine's) on one page of each template, the site served with gzip as a web server would serve it.
Lighthouse comes from npm (package.json, pinned) and drives Debian's Chromium."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import threading
from functools import partial
from pathlib import Path

from ...vocabulary import routes

CHROMIUM = "/usr/bin/chromium"
RUNS = 3  # each page's figures are the medians of this many runs: one run moves by 10 points on a shared machine
PERFORMANCE_TARGET, TBT_TARGET_MS = 95, 200
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".xml", ".geojson", ".txt")
AUDITS = {"tbt_ms": "total-blocking-time", "lcp_ms": "largest-contentful-paint", "fcp_ms": "first-contentful-paint",
          "si_ms": "speed-index", "cls": "cumulative-layout-shift"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Python's file server, gzipping text to readers that accept it."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if path.is_dir() else path
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


class QuietServer(http.server.ThreadingHTTPServer):
    """Lighthouse drops connections it no longer needs; that is not an error worth a traceback."""

    def handle_error(self, request, client_address) -> None:
        pass


def run_lighthouse(root: Path, url: str) -> dict:
    """One Lighthouse run (mobile, performance only): its score and the audits' figures."""
    command = [str(root / "node_modules/.bin/lighthouse"), url, "--quiet", "--only-categories=performance",
               "--output=json", "--output-path=stdout", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(done.stdout)
    figures = {key: report["audits"][audit]["numericValue"] for key, audit in AUDITS.items()}
    return {"performance": round(report["categories"]["performance"]["score"] * 100), **figures}


def page_scores(root: Path, url: str, runs: int = RUNS) -> dict:
    """A page's medians over `runs` runs, and each run's score and blocking time."""
    results = [run_lighthouse(root, url) for _ in range(runs)]
    medians = {key: statistics.median(r[key] for r in results) for key in results[0]}
    return {**{key: round(value, 3 if key == "cls" else 0) for key, value in medians.items()},
            "runs": [[r["performance"], round(r["tbt_ms"])] for r in results],
            "pass": medians["performance"] >= PERFORMANCE_TARGET and medians["tbt_ms"] <= TBT_TARGET_MS}


def sampled_pages() -> list[str]:
    """One page of each template (routes.samples), and the English edition's city and project pages: its heaviest
    template, and the one its readers reach from search and shared links."""
    english = (routes.city("hohhot"), routes.project("hsr-baotou-yinchuan"))
    return routes.samples() + [routes.html(routes.localized(source, "en")) for source in english]


def lighthouse_scores(root: Path, site: Path, pages: list[str] | None = None, runs: int = RUNS) -> list[dict]:
    """Serve `site` with gzip on 127.0.0.1 and score the sampled pages."""
    server = QuietServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        return [{"page": page, **page_scores(root, base + page, runs)} for page in pages or sampled_pages()]
    finally:
        server.shutdown()
        server.server_close()
