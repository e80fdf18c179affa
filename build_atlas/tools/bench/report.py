"""The bench's tables: each stage at each scale, the real site's weights, and the targets against the figures."""

from __future__ import annotations

from .lighthouse import PERFORMANCE_TARGET, TBT_TARGET_MS
from .stages import STAGES, row
from .weigh import PAGE_TARGET

SHOWN_WEIGHTS = 12  # the table lists the heaviest pages; results.json holds every page


def stage_table(scales: list[dict]) -> list[str]:
    """One time and one memory column per scale: seconds, and peak RSS (+ what the stage itself added)."""
    def cells(f: dict) -> list[str]:
        if "seconds" not in f:  # an earlier stage failed (the error is listed below the table) or it failed itself
            return ["error" if "error" in f else "not run", "—"]
        memory = f"{f['peak_rss_mb']} (+{f['peak_rss_mb'] - f['pre_stage_rss_mb']})"
        return [f"{f['seconds']:.1f}", memory + (f"; {f['peak_tree_pss_mb']}" if "peak_tree_pss_mb" in f else "")]

    out = [row("stage", *[h for s in scales for h in (
        f"{s['factor']}× s", f"{s['factor']}× peak RSS MB (+stage); with its workers, PSS MB")]),
           "|---|" + "---:|---:|" * len(scales)]
    st = [s["stages"] for s in scales]
    out.append(row("data", *[c for t in st for c in (
        f"{t['load'].get('measures', '?')} measures, {t['load'].get('features', '?')} features",
        f"{t.get('maps', {}).get('maps', '?')} maps, {t.get('build', {}).get('pages', '?')} pages")]))
    out += [row(label, *[c for t in st for c in cells(t.get(stage, {}))]) for stage, label in STAGES.items()]
    ratio = [s["build_to_plain"] for s in scales]
    out += [row(f"{STAGES[k]} ÷ plain", *[c for r in ratio for c in (f"{r[k]}×" if k in r else "—", "")])
            for k in ("build", "build-warm")]
    return out + [f"\n{s['factor']}× {stage}: {f['error']}" for s in scales for stage, f in s["stages"].items()
                  if "error" in f]


def real_site_tables(results: dict) -> list[str]:
    out = ["", row("page (first visit, tiles blocked)", "bytes", "gzip estimate", "requests", "iframes", "largest",
                   "< 1 MB"), "|---|---:|---:|---:|---:|---|---|"]
    weights = results.get("page_weight", [])
    visits = sorted((p for p in weights if "query" not in p), key=lambda p: -p["bytes"])
    out += [row(p["page"], f"{p['bytes']:,}", f"{p['gzip_bytes']:,}", p["requests"], p["iframes"],
                f"{p['largest'][0][0]} ({p['largest'][0][1]:,})", "pass" if p["pass"] else "FAIL")
            for p in visits[:SHOWN_WEIGHTS]]
    if visits:
        failed = [p["page"] for p in visits if not p["pass"]]
        out += [row(f"all {len(visits)} pages (the {min(len(visits), SHOWN_WEIGHTS)} heaviest above)",
                    f"max {visits[0]['bytes']:,}", f"median {visits[len(visits) // 2]['bytes']:,}", "", "", "",
                    "pass" if not failed else "FAIL: " + ", ".join(failed))]
    out += ["", row("first query (typed on index.html)", "bytes downloaded", "requests", "results", "largest"),
            "|---|---:|---:|---:|---|"]
    out += [row(p["query"], f"{p['bytes']:,}", p["requests"], p["results"],
                "; ".join(f"{path} ({size:,})" for path, size in p["largest"][:1]) or "—")
            for p in weights if "query" in p]
    maps_ = [m for m in results.get("map_data", []) if not m["map"].startswith("project-")]
    projects = [m for m in results.get("map_data", []) if m["map"].startswith("project-")]
    if projects:  # one map per feature: the largest stands for them, and any failure is named
        failed, big = [m["map"] for m in projects if not m["pass"]], max(projects, key=lambda m: m["data_bytes"])
        maps_.append({**big, "map": f"project-* ({len(projects)} maps; largest {big['map']})", "pass": not failed,
                      "failed": failed})
    out += ["", row("map", "HTML KB", "GeoJSON KB", "< 200 KB"), "|---|---:|---:|---|"]
    out += [row(m["map"], round(m["html_bytes"] / 1000), round(m["data_bytes"] / 1000),
                "pass" if m["pass"] else " ".join(["FAIL", *m.get("failed", [])])) for m in maps_]
    for key in ("rebuild", "rebuild_feature", "rebuild_event"):
        if r := results.get(key):
            out += ["", f"Rebuild under `mkdocs serve --dirty` after a one-cell edit ({r['measure']} "
                    f"{r.get('edit', 'title')}): median {r['median_s']} s (runs: {r['runs_s']}); first build before "
                    f"serving: {r['first_build_s']} s, its print images drawn {r.get('images_s')} s later."]
    out += lighthouse_table(results.get("lighthouse", []))
    return out + [f"{key}: {value}" for key, value in results.items() if key.endswith("_error")]


def lighthouse_table(scores: list[dict]) -> list[str]:
    if not scores:
        return []
    out = ["", row("page (Lighthouse mobile, gzip; medians)", "performance", "blocking ms", "LCP ms", "FCP ms", "CLS",
                   "runs (score, blocking ms)", f"≥ {PERFORMANCE_TARGET}, ≤ {TBT_TARGET_MS} ms"),
           "|---|---:|---:|---:|---:|---:|---|---|"]
    return out + [row(s["page"], s["performance"], f"{s['tbt_ms']:.0f}", f"{s['lcp_ms']:.0f}", f"{s['fcp_ms']:.0f}",
                      s["cls"], "; ".join(f"{a}, {b}" for a, b in s["runs"]), "pass" if s["pass"] else "FAIL")
                  for s in scores]


def targets(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """The targets in force: (what, measured, target, met?), None where it was not measured or no target is set."""
    scales = {s["factor"]: s for s in results["scales"]}
    one, sizes, out = scales.get(1, {}), results.get("sizes", {}), []
    for key, table, limit in (("rebuild", "measures.csv", 3), ("rebuild_feature", "geodata/features.csv", 5),
                              ("rebuild_event", "geodata/progress.csv", 3)):
        median = (results.get(key) or {}).get("median_s")
        out.append((f"one-cell edit of {table} visible under make serve (median)",
                    f"{median} s" if median is not None else "—", f"≤ {limit} s",
                    None if median is None else median <= limit))
    after = (results.get("rebuild_feature") or {}).get("site_after_serve")
    if after:
        out.append(("make site after a make serve session: map pages and images made again "
                    f"({after['after_serve']['seconds']} s; a warm make site {after['warm']['seconds']} s)",
                    str(after["after_serve"]["made"]), "0", after["after_serve"]["made"] == 0))
    if cost := results.get("events_cost"):
        out.append((f"warm make site with the progress events ÷ without ({cost['median_with_s']} s vs "
                    f"{cost['median_without_s']} s, medians)", f"+{cost['added']:.1%}", "≤ +10%",
                    cost["added"] <= 0.10))
    ratio = one.get("build_to_plain", {}).get("build-warm")
    out.append((f"1× {STAGES['build-warm']} ÷ plain mkdocs build", f"{ratio}×" if ratio else "—", "≤ 1.5×",
                None if ratio is None else ratio <= 1.5))
    ratio = one.get("build_to_plain", {}).get("build")
    out.append((f"1× {STAGES['build']} ÷ plain mkdocs build (no target: every map keeps its three images)",
                f"{ratio}×" if ratio else "—", "—", None))
    if sizes:
        out.append(("whole site, real size (no target since the images were kept)",
                    f"{sizes['site_bytes'] / 1e6:.1f} MB", "—", None))
        out.append((f"largest map page's own bytes ({sizes['largest_map']})",
                    f"{sizes['largest_map_bytes'] / 1e3:.0f} KB", "≤ 50 KB", sizes["largest_map_bytes"] <= 50e3))
    if scores := results.get("lighthouse"):
        worst = min(scores, key=lambda s: (s["performance"], -s["tbt_ms"]))
        out.append((f"Lighthouse mobile on one page of each template ({len(scores)}), medians: lowest performance "
                    f"({worst['page']})", str(worst["performance"]), f"≥ {PERFORMANCE_TARGET}",
                    all(s["performance"] >= PERFORMANCE_TARGET for s in scores)))
        longest = max(scores, key=lambda s: s["tbt_ms"])
        out.append((f"Lighthouse mobile: longest total blocking time ({longest['page']})",
                    f"{longest['tbt_ms']:.0f} ms", f"≤ {TBT_TARGET_MS} ms",
                    all(s["tbt_ms"] <= TBT_TARGET_MS for s in scores)))
    visits = [p for p in results.get("page_weight", []) if "query" not in p]
    if visits:
        heaviest = max(visits, key=lambda p: p["bytes"])
        out.append((f"heaviest first visit of all {len(visits)} pages ({heaviest['page']}, tiles blocked)",
                    f"{heaviest['bytes']:,} B", "< 1,000,000 B", heaviest["bytes"] < PAGE_TARGET))
    for factor, scale in scales.items():
        cold, base = scale["stages"].get("build", {}), one.get("stages", {}).get("build", {})
        if factor == 1 or "seconds" not in cold:
            continue
        times = cold["seconds"] / base["seconds"] if "seconds" in base else None
        out.append((f"{factor}× cold build ÷ 1× cold build", f"{times:.1f}×" if times else "—", f"≤ {factor}×",
                    None if times is None else times <= factor))
        out.append((f"{factor}× cold build", f"{cold['seconds']:.0f} s", "≤ 240 s", cold["seconds"] <= 240))
        peak = cold.get("peak_tree_pss_mb", cold["peak_rss_mb"])  # older results: the build's own process only
        out.append((f"{factor}× cold build peak memory (its workers' included)", f"{peak} MB", "≤ 1024 MB",
                    peak <= 1024))
    return out


def target_table(results: dict) -> list[str]:
    verdict = {True: "met", False: "NOT MET"}
    return ["", row("target", "measured", "target", ""), "|---|---:|---:|---|"] + [
        row(what, measured, limit, verdict.get(met, "—" if limit == "—" else "not measured"))
        for what, measured, limit, met in targets(results)]
