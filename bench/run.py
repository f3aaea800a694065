"""`make bench`: a fresh database, seeded discussions, measurements in process and over HTTP.

Prints a table and writes every figure, and the issue's targets, to
bench/results/latest.json. Whatever it started (gunicorn, wrk) is stopped on the
way out, also after an error or Ctrl-C.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench import BASE_DIR, RESULTS_DIR
from bench.environment import DATABASE_NAME, bench_env, create_database, start_django
from bench.machine import LoadSampler

DEFAULT_SIZES = (10, 100, 1000, 10000)
HTTP_SIZES = (100, 1000)
STARTED = time.perf_counter()


def progress(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(sorted({int(part) for part in text.split(",") if part.strip()}))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="run on a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES, help="thread sizes, e.g. 10,100,1000,10000")
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026, help="the random seed of the data")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn sync workers (default: 2 x cores)"
    )
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page in process")
    parser.add_argument("--time-budget", type=float, default=20.0, help="seconds at most per page timing (min 5 runs)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument(
        "--turns", type=int, default=4, help="rounds of the floor query and the 100-comment page in turns (0: none)"
    )
    parser.add_argument("--turn-seconds", type=int, default=4, help="seconds of each run in those rounds")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--write-seconds", type=int, default=10)
    parser.add_argument("--no-http", action="store_true", help="measure in process only (no gunicorn, no wrk)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the 1,000-comment page and posting, into bench/results/profile-*.txt",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    return parser.parse_args(argv)


def _terminate(signum, frame):
    # Turn a polite kill into an exception, so every `finally` and `with` below stops what it started.
    raise SystemExit(128 + signum)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="forum-bench-"))
    finished = False
    try:
        results = run(args, workdir)
        finished = True
    except KeyboardInterrupt:
        print("Interrupted: the servers the benchmark started are stopped.", file=sys.stderr)
        return 130
    finally:
        if finished:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"Server logs kept in {workdir}", file=sys.stderr)
    from bench.report import render_table

    print(render_table(results))
    print(f"\nAll figures: {args.output}")
    return 0


def machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        names = [line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else ""
    return {"cores": os.cpu_count(), "cpu": cpu, "platform": platform.platform(), "python": platform.python_version()}


def git_state() -> dict:
    def git(*command: str) -> str:
        try:
            return subprocess.run(["git", *command], cwd=BASE_DIR, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    return {"commit": git("rev-parse", "HEAD").strip(), "dirty": bool(git("status", "--porcelain").strip())}


def run(args: argparse.Namespace, workdir: Path) -> dict:
    load_before = [round(value, 2) for value in os.getloadavg()]
    sampler = LoadSampler(database=DATABASE_NAME)
    sampler.start()
    started_at = datetime.now(UTC)
    progress(f"Creating the {'SQLite' if args.sqlite else 'PostgreSQL'} database")
    env = bench_env(create_database(sqlite=args.sqlite, workdir=workdir))
    start_django(env)

    import django
    from django.conf import settings
    from django.db import connection

    from bench import seed

    progress(f"Seeding {args.members} members and threads of {', '.join(f'{s:,}' for s in args.sizes)} comments")
    began = time.perf_counter()
    site = seed.seed_site(sizes=args.sizes, members=args.members, seed=args.seed)
    seed.analyze()
    seed_seconds = round(time.perf_counter() - began, 1)
    progress(f"Seeded in {seed_seconds} s: {site.counts}")
    run_id = f"bench-{uuid.uuid4().hex[:8]}"
    results = {
        "meta": {
            "started_at": started_at.isoformat(timespec="seconds"),
            "database": connection.vendor,
            "database_version": _database_version(connection),
            "django": django.get_version(),
            **machine(),
            **git_state(),
            "seed": args.seed,
            "sizes": list(args.sizes),
            "comments_per_page": settings.COMMENTS_PER_PAGE,
            "repeats": args.repeats,
            "time_budget_s": args.time_budget,
            "gunicorn_workers": None if args.no_http else args.workers,
        },
        "data": {
            "counts": site.counts,
            "seed_seconds": seed_seconds,
            "threads": {
                str(size): {"slug": t.slug, "comments": size, "top_level": t.top_level, "max_depth": t.max_depth}
                for size, t in sorted(site.threads.items())
            },
        },
    }
    results.update(measure_in_process(site, args, run_id))
    if args.no_http:
        progress("Skipping the HTTP measurements (--no-http)")
    else:
        over_http = measure_over_http(site, env, args, workdir, run_id)
        results["meta"].update(over_http.pop("meta"))
        results["posting"].update(over_http.pop("posting"))
        results.update(over_http)
        writes = results["posting"]["http"]
        results["posting"]["integrity"] = check_writes(run_id, writes.pop("accepted_markers"), site)
        writes.pop("attempted_markers")
    sampler.stopped.set()
    results["meta"]["load_average"] = {
        "before": load_before,
        "after": [round(value, 2) for value in os.getloadavg()],
        **sampler.summary(),
    }
    results["meta"]["duration_s"] = round(time.perf_counter() - STARTED, 1)
    from bench.report import evaluate_targets

    results["targets"] = evaluate_targets(results)
    write_results(results, args.output)
    return results


def _database_version(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        return cursor.fetchone()[0]


def write_results(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    partial.replace(path)


def members_by_activity(site, count: int) -> list[int]:
    """The members with the most comments: trusted, so their new comments are not held."""
    from django.db.models import Count

    from forum.comments.models import Comment

    rows = (
        Comment.objects.filter(author_id__in=site.member_ids)
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by("-n", "author_id")[:count]
    )
    return [row["author_id"] for row in rows]


def write_profile(name: str, text: str) -> None:
    target = RESULTS_DIR / f"profile-{name}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    progress(f"Profile written to {target.relative_to(BASE_DIR)}")


def measure_in_process(site, args, run_id: str) -> dict:
    from django.urls import reverse

    from bench import measure

    budget = measure.Budget(repeats=args.repeats, seconds=args.time_budget)
    active = members_by_activity(site, 12)
    reader = active[-1]  # an active member, so some comments on the page are theirs to edit
    progress("Timing the floor views in process")
    floor = measure.measure_floor(budget)
    progress("Timing the thread pages in process (queries, server time, bytes)")
    profile_sizes = (1000,) if args.profile else ()
    pages = measure.measure_pages(site, reader_id=reader, budget=budget, profile_sizes=profile_sizes)
    for page in pages:
        if "profile" in page:
            write_profile(f"thread-{page['thread']}-{page['reader']}", page.pop("profile"))
    other_pages = {
        "post list signed out": measure.measure_view(reverse("home"), budget),
        "post list signed in": measure.measure_view(reverse("home"), budget, user_id=reader),
    }
    progress("Timing comment posting in process")
    posting = measure.measure_posting(
        site.writing[0], poster_id=active[0], run_id=run_id, budget=budget, seed=args.seed, profile=args.profile
    )
    if "profile" in posting:
        write_profile("posting", posting.pop("profile"))
    return {
        "floor": {"in_process": floor},
        "pages": pages,
        "other_pages": other_pages,
        "posting": {"in_process": posting},
        "readers": {"signed_in_member_id": reader, "poster_member_id": active[0]},
    }


def measure_over_http(site, env: dict, args, workdir: Path, run_id: str) -> dict:
    from django.conf import settings
    from django.urls import reverse

    from bench import load, measure
    from bench.server import Gunicorn
    from forum.comments.models import Comment

    if not load.wrk_available():
        raise SystemExit("wrk is not installed: `make bench` installs it with apt-get (apt-get install wrk).")
    wrk_settings = load.WrkSettings(
        threads=args.wrk_threads, connections=args.wrk_connections, seconds=args.wrk_seconds
    )
    active = members_by_activity(site, max(12, args.writers))
    reader_session = measure.session_cookie(active[11])
    runs, in_turns = {}, {}
    one_page_env = {**env, "COMMENTS_PER_PAGE": str(measure.ONE_PAGE)}
    progress(f"Starting gunicorn ({args.workers} workers, every thread on one page)")
    with Gunicorn(one_page_env, workers=args.workers, log_path=workdir / "gunicorn-one-page.log") as server:
        for name in ("floor_short", "floor_query"):
            progress(f"wrk {name}")
            runs[name] = load.wrk(server.base_url + reverse(f"bench-{name.replace('_', '-')}"), wrk_settings)
        for size in (size for size in HTTP_SIZES if size in site.threads):
            path = reverse("posts:detail", kwargs={"slug": site.threads[size].slug})
            cookie = load.signed_in_cookie(server.base_url, path, reader_session, settings.CSRF_COOKIE_NAME)[0]
            for reader, reader_cookie in (("signed_out", ""), ("signed_in", cookie)):
                progress(f"wrk {size:,}-comment page, {reader.replace('_', ' ')}")
                runs[f"thread_{size}_{reader}"] = load.wrk(server.base_url + path, wrk_settings, cookie=reader_cookie)
                if (size, reader) == (100, "signed_out") and args.turns:
                    # Right after its single run, before larger pages have grown the workers' heaps.
                    progress(f"wrk floor_query and this page in turns, {args.turns} rounds of {args.turn_seconds} s")
                    in_turns = load.in_turns(
                        {
                            "floor_query": server.base_url + reverse("bench-floor-query"),
                            f"thread_{size}_{reader}": server.base_url + path,
                        },
                        wrk_settings,
                        rounds=args.turns,
                        seconds=args.turn_seconds,
                    )
        progress(f"{args.writers} writers posting for {args.write_seconds} s")
        writers = []
        for index, member in enumerate(active[: args.writers]):
            thread = site.writing[index % len(site.writing)]
            writers.append(
                load.Writer(
                    index=index,
                    session_cookie=measure.session_cookie(member),
                    csrf_cookie_name=settings.CSRF_COOKIE_NAME,
                    path=reverse("posts:detail", kwargs={"slug": thread.slug}),
                    parents=list(Comment.objects.filter(post_id=thread.post_id).values_list("pk", flat=True)),
                    run_id=run_id,
                    seed=args.seed,
                )
            )
        writing = load.run_writers(server.base_url, writers, seconds=args.write_seconds)
        before_largest = server.worker_memory()
        largest = fetch_largest(server, site, reverse)
        memory = server.worker_memory()
    per_page = settings.COMMENTS_PER_PAGE
    paginated = [size for size in HTTP_SIZES if size in site.threads and site.threads[size].top_level > per_page]
    if paginated:
        progress(f"Starting gunicorn with the site's pagination ({per_page} top-level comments a page)")
        with Gunicorn(env, workers=args.workers, log_path=workdir / "gunicorn-paginated.log") as server:
            for size in paginated:
                path = reverse("posts:detail", kwargs={"slug": site.threads[size].slug})
                cookie = load.signed_in_cookie(server.base_url, path, reader_session, settings.CSRF_COOKIE_NAME)[0]
                for reader, reader_cookie in (("signed_out", ""), ("signed_in", cookie)):
                    progress(f"wrk {size:,}-comment thread, page 1 of {per_page} top-level, {reader}")
                    runs[f"thread_{size}_page_1_{reader}"] = load.wrk(
                        server.base_url + path, wrk_settings, cookie=reader_cookie
                    )
    # The site as deployed: its own pagination and its cache, which may hold whole pages for
    # signed-out readers. Signed-in readers are never served from it, so only they are left out.
    cached_env = {key: value for key, value in env.items() if key != "BENCH_CACHE"}
    page_cache = {}
    progress("Starting gunicorn with the site's cache, for signed-out readers")
    with Gunicorn(cached_env, workers=args.workers, log_path=workdir / "gunicorn-cached.log") as server:
        # The floor again on this server, minutes later: the cached pages' ratio compares like with like.
        progress("wrk floor_short, on the server with the site's cache")
        runs["floor_short_site_cache"] = load.wrk(server.base_url + reverse("bench-floor-short"), wrk_settings)
        for size in (size for size in HTTP_SIZES if size in site.threads):
            path = reverse("posts:detail", kwargs={"slug": site.threads[size].slug})
            progress(f"wrk {size:,}-comment thread, page 1, signed out, through the site's cache")
            name = f"thread_{size}_signed_out_site_cache"
            runs[name] = load.wrk(server.base_url + path, wrk_settings)
            page_cache[name] = cache_answers(server, path)
    peak = max((worker["peak_rss_mb"] for worker in memory), default=None)
    return {
        "meta": {"wrk": wrk_settings.as_dict(), "gunicorn_workers": args.workers},
        "http": {"runs": runs, "in_turns": in_turns, "largest_page": largest, "page_cache_answers": page_cache},
        "posting": {"http": writing},
        # Read before the largest thread too: how much of the peak that one page causes.
        "memory": {"workers": memory, "peak_rss_mb": peak, "workers_before_largest_page": before_largest},
    }


def cache_answers(server, path: str) -> dict[str, int]:
    """How a few signed-out requests were answered: the X-Page-Cache header's values."""
    from bench import load

    answers = Counter()
    for _ in range(2 * server.workers):
        status, headers, _, _ = load.fetch(server.base_url, path)
        answers[f"{status} {headers.get('X-Page-Cache', 'no page cache')}"] += 1
    return dict(answers)


def fetch_largest(server, site, reverse) -> dict:
    """Every worker serves the largest thread on one page a few times, before memory is read."""
    from bench import load

    size = max(site.threads)
    path = reverse("posts:detail", kwargs={"slug": site.threads[size].slug})
    progress(f"Fetching the {size:,}-comment page from every worker")
    requests = 2 * server.workers
    with ThreadPoolExecutor(max_workers=server.workers) as pool:
        answers = list(pool.map(lambda _: load.fetch(server.base_url, path), range(requests)))
    statuses = Counter(status for status, *_ in answers)
    if set(statuses) != {200}:
        raise RuntimeError(f"the {size:,}-comment page answered {dict(statuses)}")
    seconds = sorted(answer[3] for answer in answers)
    return {
        "thread": size,
        "requests": requests,
        "concurrency": server.workers,
        "median_ms": round(seconds[len(seconds) // 2] * 1000, 1),
        "max_ms": round(seconds[-1] * 1000, 1),
        "html_bytes": len(answers[0][2]),
    }


def check_writes(run_id: str, accepted: list[str], site) -> dict:
    """Every accepted comment stored exactly once, nothing stored that was refused, counters right."""
    from forum.comments.models import Comment
    from forum.posts.models import Post

    pattern = re.compile(rf"{re.escape(run_id)}-w\d+-\d+")
    stored = Counter()
    rows = Comment.objects.filter(body__contains=f"{run_id}-w")
    for body in rows.values_list("body", flat=True):
        stored.update(pattern.findall(body))
    accepted_set = set(accepted)
    counters = {}
    for thread in site.writing:
        post = Post.objects.get(pk=thread.post_id)
        visible = Comment.objects.public().filter(post_id=thread.post_id).count()
        counters[thread.slug] = {"comment_count": post.comment_count, "visible_comments": visible}
    return {
        "accepted": len(accepted_set),
        "stored": sum(stored.values()),
        "lost": len(accepted_set - stored.keys()),
        "duplicated": sum(1 for count in stored.values() if count > 1),
        "unexpected": len(stored.keys() - accepted_set),
        "held": rows.filter(held_at__isnull=False).count(),
        "post_counters": counters,
        "post_counters_agree": all(c["comment_count"] == c["visible_comments"] for c in counters.values()),
    }


if __name__ == "__main__":
    sys.exit(main())
