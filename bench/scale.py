"""`make bench-scale`: the post list and a 100-comment thread, on a small database and on a large one.

The small database is `make bench`'s (without the 10,000-comment thread); the
large one adds 20,000 posts sharing 1,000,000 comments (times --scale). Both pages
must stay within 1.25x of their small-database server time. A copy of the small
database is kept, and the two are timed in turns, a round on each, so that a machine
whose speed drifts over the minutes of seeding weighs on both sides alike. Writes
bench/results/scale.json.
"""

import argparse
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import RESULTS_DIR
from bench.environment import bench_env, copy_database, create_database, start_django
from bench.run import _terminate, progress, write_results

POSTS = 20_000
COMMENTS = 1_000_000
LIMIT = 1.25


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the large database, e.g. 0.02 for a try")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=30, help="timed requests per page in each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds on each database, in turns")
    parser.add_argument("--time-budget", type=float, default=20.0)
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "scale.json")
    return parser.parse_args(argv)


def measure_pages(site, budget) -> dict:
    from django.urls import reverse

    from bench import measure

    reader = site.member_ids[10]
    thread = reverse("posts:detail", kwargs={"slug": site.threads[100].slug})
    figures = {}
    for name, url in (("post_list", reverse("home")), ("thread_100", thread)):
        figures[f"{name}_signed_out"] = measure.measure_view(url, budget)
        figures[f"{name}_signed_in"] = measure.measure_view(url, budget, user_id=reader)
    return figures


def use_database(database_url: str) -> None:
    """Point this process's connection at another database of the same server (or file)."""
    import dj_database_url
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = dj_database_url.parse(database_url)["NAME"]


def pooled(rounds: list[dict]) -> dict:
    """Each page's figures over all rounds: the median of every timed request, and each
    round's own median beside it."""
    figures = {}
    for name, first in rounds[0].items():
        samples = [sample for one in rounds for sample in one[name]["time"]["samples_ms"]]
        figures[name] = {
            **first,
            "queries": max(one[name]["queries"] for one in rounds),
            "time": {
                "median_ms": round(statistics.median(samples), 3),
                "min_ms": min(samples),
                "max_ms": max(samples),
                "runs": len(samples),
                "round_medians_ms": [one[name]["time"]["median_ms"] for one in rounds],
                "samples_ms": samples,
            },
        }
    return figures


def evaluate(small: dict, large: dict) -> list[dict]:
    targets = []
    for name in ("post_list_signed_out", "thread_100_signed_out"):
        before, after = small[name]["time"]["median_ms"], large[name]["time"]["median_ms"]
        ratio = round(after / before, 3)
        targets.append(
            {
                "name": f"{name}_large_vs_small",
                "value": ratio,
                "op": "<=",
                "target": LIMIT,
                "unit": "ratio",
                "met": ratio <= LIMIT,
                "note": f"median server time {before:.2f} ms small, {after:.2f} ms large; round by round, "
                + ", ".join(
                    f"{one:.2f} / {other:.2f}"
                    for one, other in zip(
                        small[name]["time"]["round_medians_ms"], large[name]["time"]["round_medians_ms"], strict=True
                    )
                ),
            }
        )
    spread = max(abs(large[name]["queries"] - small[name]["queries"]) for name in small)
    targets.append(
        {
            "name": "queries_same_at_scale",
            "value": spread,
            "op": "==",
            "target": 0,
            "unit": "queries",
            "met": spread == 0,
            "note": "largest difference on these pages between the small and the large database",
        }
    )
    return targets


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="forum-bench-scale-"))
    try:
        large_url = create_database(sqlite=args.sqlite, workdir=workdir, name="forum_bench_scale")
        start_django(bench_env(large_url))
        from django.db import connection

        from bench import seed
        from bench.measure import Budget

        # Past psycopg's fifth run of a query, so each round times prepared statements.
        budget = Budget(repeats=args.repeats, seconds=args.time_budget, warmup=6)
        progress("Seeding the small database")
        site = seed.seed_site(sizes=(10, 100, 1000), members=500, seed=args.seed)
        seed.analyze()
        connection.close()
        small_url = copy_database(large_url, "forum_bench_scale_small")
        posts, comments = round(POSTS * args.scale), round(COMMENTS * args.scale)
        progress(f"Adding {posts:,} posts with {comments:,} comments")
        began = time.perf_counter()
        added = seed.seed_scale(posts=posts, comments=comments, seed=args.seed, member_ids=site.member_ids)
        seed_seconds = round(time.perf_counter() - began, 1)
        progress(f"Added in {seed_seconds} s: {added}; analysing")
        seed.analyze()
        from forum.posts.models import Post

        rounds, posts_timed = {"small": [], "large": []}, {}
        for number in range(1, args.rounds + 1):
            for which, url in (("small", small_url), ("large", large_url)):
                progress(f"Timing the post list and the 100-comment thread, {which} database, round {number}")
                use_database(url)
                posts_timed[which] = Post.objects.count()  # which database answered
                rounds[which].append(measure_pages(site, budget))
        use_database(large_url)
        small, large = pooled(rounds["small"]), pooled(rounds["large"])
        results = {
            "meta": {
                "database": connection.vendor,
                "scale": args.scale,
                "seed": args.seed,
                "seed_seconds": seed_seconds,
                "rounds": args.rounds,
                "posts_in_each_database": posts_timed,
            },
            "data": {"small": site.counts, "added": added},
            "small": small,
            "large": large,
            "targets": evaluate(small, large),
        }
        write_results(results, args.output)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(render(results))
    print(f"\nAll figures: {args.output}")
    return 0


def render(results: dict) -> str:
    lines = [f"Scale benchmark on {results['meta']['database']}: added {results['data']['added']}", ""]
    lines.append(f"{'page':<24}{'small ms':>10}{'large ms':>10}{'queries':>10}")
    for name, figures in results["small"].items():
        after = results["large"][name]
        lines.append(
            f"{name:<24}{figures['time']['median_ms']:>10.2f}{after['time']['median_ms']:>10.2f}"
            f"{figures['queries']:>5} → {after['queries']:<3}"
        )
    lines.append("")
    for target in results["targets"]:
        verdict = "met" if target["met"] else "NOT met"
        lines.append(f"{target['name']}: {target['value']} ({target['op']} {target['target']}) {verdict}")
        lines.append(f"  {target['note']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
