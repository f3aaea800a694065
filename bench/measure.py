"""Measurements inside this process, through Django's test client: queries, server time, bytes.

The client calls the same handler and middleware as gunicorn does, without the
network, so these times are the server's own work for one page.
"""

import cProfile
import gc
import io
import pstats
import random
import re
import statistics
import sys
import sysconfig
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import User
from bench import BASE_DIR, data
from bench.seed import Site, Thread
from forum.comments.models import Comment

ONE_PAGE = 1_000_000  # COMMENTS_PER_PAGE that puts any thread on one page
HOST = "127.0.0.1"
ANCHOR = re.compile(rb'id="comment-(\d+)"')


@dataclass(frozen=True)
class Budget:
    """How long one timing may take: `repeats` runs, fewer (not under `minimum`) past `seconds`."""

    repeats: int = 30
    minimum: int = 5
    seconds: float = 20.0
    warmup: int = 2


def client_for(user_id: int | None) -> Client:
    client = Client(HTTP_HOST=HOST)
    if user_id is not None:
        client.force_login(User.objects.get(pk=user_id))
    return client


def session_cookie(user_id: int) -> str:
    """A signed-in session for `user_id`, as the Cookie header gunicorn will accept."""
    cookie = client_for(user_id).cookies[settings.SESSION_COOKIE_NAME]
    return f"{cookie.key}={cookie.value}"


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def time_request(call, budget: Budget, *, expect: int = 200) -> dict:
    """Median and spread of `call()` (which returns a response), run as the budget allows."""
    for _ in range(budget.warmup):
        _check(call(), expect)
    gc.collect()
    samples = []
    deadline = time.perf_counter() + budget.seconds
    while len(samples) < budget.repeats and (len(samples) < budget.minimum or time.perf_counter() < deadline):
        started = time.perf_counter()
        response = call()
        samples.append(time.perf_counter() - started)
        _check(response, expect)
    return {
        "median_ms": _ms(statistics.median(samples)),
        "min_ms": _ms(min(samples)),
        "max_ms": _ms(max(samples)),
        "runs": len(samples),
        "samples_ms": [_ms(s) for s in samples],
    }


def _check(response, expect: int) -> None:
    if response.status_code != expect:
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}, expected {expect}")


def count_queries(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    _check(response, 200)
    return response, [query["sql"][:300] for query in queries.captured_queries]


def comments_on_first_page(thread: Thread, per_page: int) -> list[tuple[int, str]]:
    """(id, body_html) of the comments page 1 shows: the first `per_page` top-level ones and their replies."""
    roots = list(
        Comment.objects.filter(post_id=thread.post_id, parent__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:per_page]
    )
    return list(Comment.objects.filter(post_id=thread.post_id, root_id__in=roots).values_list("pk", "body_html"))


def page_figures(
    client: Client, thread: Thread, *, per_page: int, shell_bytes: int, budget: Budget, profile: bool = False
) -> dict:
    """Queries, server time and bytes of page 1 of `thread` with `per_page` top-level comments a page."""
    url = reverse("posts:detail", kwargs={"slug": thread.slug})
    with override_settings(COMMENTS_PER_PAGE=per_page):
        response, queries = count_queries(client, url)
        timing = time_request(lambda: client.get(url), budget)
        profile_text = profile_calls(lambda: client.get(url), f"GET {url}") if profile else None
    html = response.content
    shown = comments_on_first_page(thread, per_page)
    rendered = {int(pk) for pk in ANCHOR.findall(html)}
    text_bytes = sum(len(body.encode()) for _, body in shown)
    count = len(shown)
    figures = {
        "url": url,
        "queries": len(queries),
        "queries_sql": queries,
        "comments_shown": count,
        "all_comments_rendered": all(pk in rendered for pk, _ in shown),
        "html_bytes": len(html),
        "comment_text_bytes": text_bytes,
        "shell_bytes": shell_bytes,
        # The page around the thread (header, post, forms) is the same post page without comments.
        "html_bytes_per_comment": round((len(html) - shell_bytes) / count, 1) if count else None,
        "markup_bytes_per_comment": round((len(html) - shell_bytes - text_bytes) / count, 1) if count else None,
        "time": timing,
    }
    if profile_text:
        figures["profile"] = profile_text
    return figures


def profile_calls(call, label: str, runs: int = 3) -> str:
    """cProfile of `runs` calls: functions by own time, then by time including callees.

    Call counts divided by the comments on the page show the work per comment.
    """
    call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        call()
    profiler.disable()
    out = io.StringIO()
    out.write(f"{runs} x {label}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(80)
    text = out.getvalue()
    libraries = {str(Path(p)) + "/" for p in sys.path if p.endswith("site-packages")}
    for prefix in sorted(libraries | {sysconfig.get_paths()["stdlib"] + "/"}, key=len, reverse=True):
        text = text.replace(prefix, "")
    return text.replace(str(BASE_DIR) + "/", "")


def measure_pages(site: Site, *, reader_id: int, budget: Budget, profile_sizes=()) -> list[dict]:
    """Every thread size, all on one page and with the site's pagination, signed out and in."""
    per_page = settings.COMMENTS_PER_PAGE
    results = []
    for reader, user_id in (("signed_out", None), ("signed_in", reader_id)):
        client = client_for(user_id)
        shell_url = reverse("posts:detail", kwargs={"slug": site.shell.slug})
        shell_bytes = len(client.get(shell_url).content)
        for size, thread in sorted(site.threads.items()):
            for layout, page_size in (("one_page", ONE_PAGE), ("paginated", per_page)):
                figures = page_figures(
                    client,
                    thread,
                    per_page=page_size,
                    shell_bytes=shell_bytes,
                    budget=budget,
                    profile=layout == "one_page" and size in profile_sizes,
                )
                results.append({"thread": size, "layout": layout, "per_page": page_size, "reader": reader, **figures})
    return results


def measure_view(url: str, budget: Budget, *, user_id: int | None = None) -> dict:
    client = client_for(user_id)
    response, queries = count_queries(client, url)
    return {
        "url": url,
        "queries": len(queries),
        "html_bytes": len(response.content),
        "time": time_request(lambda: client.get(url), budget),
    }


def measure_floor(budget: Budget) -> dict:
    return {
        "short": measure_view(reverse("bench-floor-short"), budget),
        "query": measure_view(reverse("bench-floor-query"), budget),
    }


def marked_body(rng: random.Random, marker: str) -> str:
    return f"{data.comment_body(rng)}\n\n{marker}"


def measure_posting(
    thread: Thread, *, poster_id: int, run_id: str, budget: Budget, seed: int, profile: bool = False
) -> dict:
    """Median time from POST to redirect for a signed-in member, a third top-level, the rest replies."""
    client = client_for(poster_id)
    url = reverse("comments:create", kwargs={"slug": thread.slug})
    parents = list(Comment.objects.filter(post_id=thread.post_id).values_list("pk", flat=True))
    rng = random.Random(seed)
    sequence = iter(range(10**6))

    def post():
        # A browser shows "posted" on the page it is sent to, which empties the messages
        # cookie; this client goes no further than the redirect, so it empties it itself.
        client.cookies.pop(CookieStorage.cookie_name, None)
        n = next(sequence)
        parent = "" if n % 3 == 0 or not parents else rng.choice(parents)
        body = marked_body(rng, f"{run_id}-inprocess-{n:06d}")
        return client.post(url, {"body": body, "parent": parent, "token": str(uuid.uuid4())})

    timing = time_request(post, budget, expect=302)
    with CaptureQueriesContext(connection) as queries:
        _check(post(), 302)
    figures = {
        "url": url,
        "time": timing,
        "queries": len(queries.captured_queries),
        "queries_sql": [query["sql"][:300] for query in queries.captured_queries],
    }
    if profile:
        figures["profile"] = profile_calls(post, f"POST {url}", runs=20)
    sent = next(sequence)
    bodies = Comment.objects.filter(post_id=thread.post_id, body__contains=f"{run_id}-inprocess-")
    return {**figures, "sent": sent, "stored": bodies.count(), "held": bodies.filter(held_at__isnull=False).count()}
