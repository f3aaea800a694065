"""The issue's targets, judged from one run's figures, and the table printed at the end."""

import operator

OPERATORS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, "==": operator.eq}


def _page(results: dict, thread: int, layout: str, reader: str) -> dict | None:
    for page in results.get("pages", []):
        if (page["thread"], page["layout"], page["reader"]) == (thread, layout, reader):
            return page
    return None


def _http(results: dict, name: str) -> dict | None:
    return (results.get("http") or {}).get("runs", {}).get(name)


def _rps(results: dict, name: str) -> float | None:
    run = _http(results, name)
    return run["requests_per_s"] if run else None


def _in_turns(results: dict) -> tuple[dict, dict] | None:
    """The floor query's and the 100-comment page's figures from their rounds in turns, if the run has them."""
    turns = (results.get("http") or {}).get("in_turns") or {}
    if "floor_query" in turns and "thread_100_signed_out" in turns:
        return turns["floor_query"], turns["thread_100_signed_out"]
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


# The issue set its targets in milliseconds, requests and comments a second on a machine
# where the framework's one-query page serves about this many requests a second.
REFERENCE_FLOOR_QUERY_RPS = 1200


def _of_floor(rate: float | None, floor_query: float | None) -> str:
    """A rate set beside this run's one-query floor, for targets that are not ratios."""
    ratio = _ratio(rate, floor_query)
    return "" if ratio is None else f"; {_fmt(ratio, 3)} of the floor's one-query page ({_fmt(floor_query)} req/s)"


def evaluate_targets(results: dict) -> list[dict]:
    """One entry per target of the issue: name, value, target, met (and unit, comparison, note)."""
    targets: list[dict] = []

    def add(name: str, value, op: str, target, unit: str, note: str = "", *, met: bool | None = None) -> None:
        if met is None:
            met = value is not None and OPERATORS[op](value, target)
        if value is None and not note:
            note = "not measured in this run"
        entry = {"name": name, "value": value, "op": op, "target": target, "unit": unit, "met": met, "note": note}
        targets.append(entry)

    pages = results.get("pages", [])
    sizes = sorted({page["thread"] for page in pages})
    small, large = (sizes[0], sizes[-1]) if sizes else (None, None)

    spread = None
    for layout in ("one_page", "paginated"):
        for reader in ("signed_out", "signed_in"):
            first, last = _page(results, small, layout, reader), _page(results, large, layout, reader)
            if first and last:
                spread = max(spread or 0, abs(last["queries"] - first["queries"]))
    add("queries_same_at_any_size", spread, "==", 0, "queries", f"largest difference, {small} vs {large} comments")
    for reader, limit in (("signed_out", 6), ("signed_in", 10)):
        counts = [page["queries"] for page in pages if page["reader"] == reader]
        add(f"queries_{reader}", max(counts) if counts else None, "<=", limit, "queries", "most on any thread page")

    one_thousand = _page(results, 1000, "one_page", "signed_out")
    ten_thousand = _page(results, 10000, "one_page", "signed_out")
    add(
        "server_time_1000_one_page",
        one_thousand["time"]["median_ms"] if one_thousand else None,
        "<=",
        25,
        "ms",
        "median, in process, signed out",
    )
    per_comment = None
    if one_thousand and ten_thousand:
        extra = ten_thousand["time"]["median_ms"] - one_thousand["time"]["median_ms"]
        per_comment = round(extra * 1000 / 9000, 2)
    add("server_time_per_extra_comment", per_comment, "<=", 25, "µs", "from 1,000 to 10,000 comments on one page")

    floor_query, floor_short = _rps(results, "floor_query"), _rps(results, "floor_short")
    page_100 = _rps(results, "thread_100_signed_out")
    note = "100-comment page, signed out, nothing cached / the floor's one-query page"
    ratio = _ratio(page_100, floor_query)
    pair = ("floor_query", "thread_100_signed_out")
    errors = sum(sum((_http(results, name) or {}).get("errors", {}).values()) for name in pair)
    if in_turns := _in_turns(results):
        floor, page = in_turns
        rounds = len(floor["rounds_requests_per_s"])
        note += f", over {rounds} rounds of the two in turns (single runs: {_fmt(ratio, 3)})"
        ratio = _ratio(page["requests_per_s"], floor["requests_per_s"])
        errors += floor["errors"] + page["errors"]
    if errors:
        note += f"; {errors} requests failed, so the rate does not count"
    add("throughput_100_vs_floor_query", ratio, ">=", 0.4, "ratio", note, met=False if errors else None)
    page_1000 = _rps(results, "thread_1000_signed_out")
    note = "1,000 comments on one page" + _of_floor(page_1000, floor_query)
    add("throughput_1000", page_1000, ">=", 100, "req/s", note)
    cached = _rps(results, "thread_100_signed_out_site_cache")
    answers = (results.get("http") or {}).get("page_cache_answers", {}).get("thread_100_signed_out_site_cache", {})
    hits = sum(count for answer, count in answers.items() if answer.endswith(" hit"))
    if cached is None:
        note, met = "", False
    elif hits:
        note = f"100-comment page through the site's cache / the short floor on that server; answers {answers}"
        met = None
    else:
        note, met = f"no page came from a full-page cache (sampled answers {answers}): this is the uncached page", False
    floor_beside = _rps(results, "floor_short_site_cache") or floor_short
    add("cached_anonymous_vs_floor_short", _ratio(cached, floor_beside), ">=", 0.7, "ratio", note, met=met)

    markup = [
        page["markup_bytes_per_comment"]
        for page in (_page(results, 1000, "one_page", reader) for reader in ("signed_out", "signed_in"))
        if page and page["markup_bytes_per_comment"] is not None
    ]
    add(
        "markup_per_comment",
        max(markup) if markup else None,
        "<=",
        600,
        "bytes",
        "beyond the comment's text, 1,000 comments on one page, the larger of signed out and in",
    )

    posting = results.get("posting") or {}
    in_process = posting.get("in_process")
    add("posting_median", in_process["time"]["median_ms"] if in_process else None, "<=", 20, "ms", "POST to redirect")
    over_http = posting.get("http")
    database = results.get("meta", {}).get("database", "")
    add(
        "posting_throughput",
        over_http["comments_per_s"] if over_http else None,
        ">=",
        200,
        "comments/s",
        f"{over_http['writers']} concurrent writers over HTTP"
        + _of_floor(over_http["comments_per_s"], floor_query)
        + ("" if database == "postgresql" else "; the target is for PostgreSQL")
        if over_http
        else "",
    )
    integrity = posting.get("integrity")
    add(
        "posting_none_lost_or_duplicated",
        integrity["lost"] + integrity["duplicated"] + integrity["unexpected"] if integrity else None,
        "==",
        0,
        "comments",
        "accepted but missing + stored twice + stored though refused",
    )
    memory = results.get("memory") or {}
    peak = memory.get("peak_rss_mb")
    add("worker_peak_rss", peak, "<", 150, "MB", "largest VmHWM (peak resident) of a gunicorn worker after the run")
    return targets


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(headers: list[str], rows: list[list]) -> str:
    cells = [[_fmt(cell) if not isinstance(cell, str) else cell for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))
    ]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
    return "\n".join(lines)


def render_table(results: dict) -> str:
    meta = results.get("meta", {})
    out = []
    load = meta.get("load_average", {})
    server = "in process only"
    if meta.get("gunicorn_workers"):
        wrk = meta.get("wrk", {})
        server = (
            f"gunicorn {meta['gunicorn_workers']} sync workers, "
            f"wrk -t{wrk.get('threads')} -c{wrk.get('connections')} -d{wrk.get('seconds')}s"
        )
    out.append(
        f"Forum benchmark on {meta.get('database', '?')} {meta.get('database_version', '')}, "
        f"{meta.get('cores', '?')} cores, {server}"
    )
    samples = load.get("samples_1min") or []
    if samples:
        out.append(
            f"Load average (1 min): {load['before'][0]} before, {load['after'][0]} after, "
            f"{min(samples)} to {max(samples)} during the run; other processes kept "
            f"{load.get('other_processes_cores_mean')} cores busy on average "
            f"(at most {max(load.get('other_processes_cores') or [0])})"
        )
    counts = results.get("data", {}).get("counts", {})
    out.append("Data: " + ", ".join(f"{_fmt(v)} {k}" for k, v in counts.items()))

    floor = results.get("floor", {}).get("in_process", {})
    if floor:
        out.append("")
        out.append(
            "Floor in process: "
            + ", ".join(f"{name} {figures['time']['median_ms']:.2f} ms" for name, figures in floor.items())
        )

    rows = []
    for page in results.get("pages", []):
        rows.append(
            [
                f"{page['thread']:,} {page['layout'].replace('_', ' ')} {page['reader'].replace('_', ' ')}",
                page["queries"],
                page["comments_shown"],
                page["time"]["median_ms"],
                page["time"]["runs"],
                page["html_bytes"],
                page["html_bytes_per_comment"],
                page["markup_bytes_per_comment"],
                page["all_comments_rendered"],
            ]
        )
    for name, figures in (results.get("other_pages") or {}).items():
        rows.append([name, figures["queries"], None, figures["time"]["median_ms"], figures["time"]["runs"]])
        rows[-1] += [figures["html_bytes"], None, None, None]
    if rows:
        out.append("")
        out.append("Pages in process (server time, median)")
        headers = ["thread / page", "queries", "comments", "ms", "runs", "HTML bytes", "B/comment", "markup B/c", "all"]
        out.append(_table(headers, rows))

    runs = (results.get("http") or {}).get("runs", {})
    if runs:
        floor_query = _rps(results, "floor_query")
        rows = [
            [
                name,
                run["requests_per_s"],
                run["latency_ms"]["p50"],
                run["latency_ms"]["p99"],
                _fmt(_ratio(run["requests_per_s"], floor_query), 3),
                sum(run["errors"].values()),
            ]
            for name, run in runs.items()
        ]
        out.append("")
        out.append("HTTP with wrk (nothing cached, except runs named *_site_cache)")
        out.append(_table(["page", "req/s", "p50 ms", "p99 ms", "/ floor query", "errors"], rows))
        if in_turns := _in_turns(results):
            floor, page = in_turns
            by_round = ", ".join(
                _fmt(_ratio(p, f), 3)
                for p, f in zip(page["rounds_requests_per_s"], floor["rounds_requests_per_s"], strict=True)
            )
            rounds = len(floor["rounds_requests_per_s"])
            out.append(
                f"In turns ({rounds} rounds): floor_query {_fmt(floor['requests_per_s'])}, "
                f"thread_100_signed_out {_fmt(page['requests_per_s'])} req/s, "
                f"ratio {_fmt(_ratio(page['requests_per_s'], floor['requests_per_s']), 3)} "
                f"(by round {by_round}; errors {floor['errors'] + page['errors']})"
            )
        for name, answers in ((results.get("http") or {}).get("page_cache_answers") or {}).items():
            out.append(f"{name}: sampled answers {answers}")
        big = (results.get("http") or {}).get("largest_page")
        if big:
            out.append(
                f"Largest thread ({big['thread']:,} comments, one page) over HTTP: "
                f"median {big['median_ms']:.0f} ms over {big['requests']} requests"
            )

    posting = results.get("posting") or {}
    if posting:
        out.append("")
        parts = []
        if posting.get("in_process"):
            parts.append(f"in process median {posting['in_process']['time']['median_ms']:.2f} ms")
        if posting.get("http"):
            h = posting["http"]
            parts.append(
                f"{h['writers']} writers over HTTP {h['comments_per_s']:.1f} comments/s "
                f"({h['accepted']} accepted, refused {h['refused'] or 'none'}, p50 {h['latency_ms']['p50']} ms)"
            )
        if posting.get("integrity"):
            i = posting["integrity"]
            parts.append(f"lost {i['lost']}, duplicated {i['duplicated']}, unexpected {i['unexpected']}")
        out.append("Posting: " + "; ".join(parts))
    memory = results.get("memory") or {}
    if memory.get("workers"):
        out.append(
            "Worker memory (peak / now, MB): "
            + ", ".join(f"{w['peak_rss_mb']} / {w['rss_mb']}" for w in memory["workers"])
            + "; before the largest thread: "
            + ", ".join(f"{w['peak_rss_mb']} / {w['rss_mb']}" for w in memory.get("workers_before_largest_page", []))
        )

    targets = results.get("targets", [])
    if targets:
        out.append("")
        out.append("Targets")
        rows = [
            [t["name"], _fmt(t["value"], 2), f"{t['op']} {_fmt(t['target'], 2)} {t['unit']}", t["met"]] for t in targets
        ]
        out.append(_table(["target", "value", "target", "met"], rows))
        met = sum(1 for t in targets if t["met"])
        out.append(f"{met} of {len(targets)} targets met.")
        if floor_query := _rps(results, "floor_query"):
            out.append(
                f"The targets in ms, req/s and comments/s were set where the one-query floor serves about "
                f"{REFERENCE_FLOOR_QUERY_RPS:,} req/s; here it served {_fmt(floor_query)} "
                f"({_fmt(floor_query / REFERENCE_FLOOR_QUERY_RPS, 2)} of that)."
            )
    return "\n".join(out)
