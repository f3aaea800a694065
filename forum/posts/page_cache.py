"""Whole post pages for signed-out readers, kept until the thread changes.

Each post has a version in the cache: the time of its last change. Every write that
changes what a post page shows (a comment posted, edited, deleted, removed, approved,
a like, closing...) bumps it once its transaction commits, and any change to a post row
or a member's public name bumps a version shared by all pages (titles of neighbours,
names in threads).

A reader's page is looked up under the versions read *before* the database is queried;
so a page rendered from data older than a committed change can only be stored under a
version that no reader asks for again. Browsers get the version as an ETag and as
Last-Modified, and revalidate with a 304.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date

PAGE_TTL_SECONDS = 300
ALL_POSTS = "post-page:v:all"


def _version_key(post_id: int) -> str:
    return f"post-page:v:{post_id}"


def _slug_key(slug: str) -> str:
    return f"post-page:id:{slug}"


def _renew(key: str) -> None:
    """Now, and again once the transaction commits: a page rendered in between, from data
    about to be replaced, is then stored under a version nobody asks for any more."""
    cache.set(key, time.time_ns(), None)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), None))


def bump(post_id: int) -> None:
    """Mark post `post_id`'s page as changed."""
    _renew(_version_key(post_id))


def bump_all() -> None:
    """Mark every post page as changed."""
    _renew(ALL_POSTS)


@dataclass(frozen=True)
class Ticket:
    """What a cache miss must know to store the page it renders."""

    page_key: str
    etag: str
    changed_ns: int


def _cacheable(request) -> bool:
    # Only signed-out readers with no session and no pending message get shared pages.
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not settings.COMMENTS_ALLOW_GUESTS  # then pages hold a comment form with a CSRF token
    )


def lookup(request, slug: str) -> HttpResponse | Ticket | None:
    """A cached page or a 304 when there is one; a Ticket to store a fresh one; None: don't cache.

    Two cache round trips: the post's id with the shared version, then its own version with the page.
    """
    if not _cacheable(request):
        return None
    known = cache.get_many([_slug_key(slug), ALL_POSTS])
    post_id, shared = known.get(_slug_key(slug)), known.get(ALL_POSTS)
    if post_id is None:
        return None  # first view since the cache started: render, then remember the post's id
    query = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    page_key = _page_key(post_id, query)
    found = cache.get_many([_version_key(post_id), page_key])
    own, page = found.get(_version_key(post_id)), found.get(page_key)
    if own is None or shared is None:
        now = time.time_ns()
        own = own if own is not None else now
        shared = shared if shared is not None else now
        cache.add(_version_key(post_id), own, None)
        cache.add(ALL_POSTS, shared, None)
    etag = f'"{post_id}-{own}-{shared}-{query}"'
    changed_ns = max(own, shared)
    if etag in request.headers.get("If-None-Match", ""):
        not_modified = HttpResponseNotModified()
        _conditional_headers(not_modified, etag, changed_ns)
        return not_modified
    # The page is kept with the versions it was rendered under; an older one is a miss.
    if page is not None and page[0] == etag:
        response = HttpResponse(page[1])
        _conditional_headers(response, etag, changed_ns)
        response["X-Page-Cache"] = "hit"
        return response
    return Ticket(page_key=page_key, etag=etag, changed_ns=changed_ns)


def lookup_once(request, slug: str) -> HttpResponse | Ticket | None:
    """`lookup`, unless `PageCacheMiddleware` already looked this request up."""
    if hasattr(request, "page_cache_ticket"):
        return request.page_cache_ticket
    return lookup(request, slug)


def _page_key(post_id: int, query: str) -> str:
    return f'post-page:"{post_id}-{query}"'


def store(request, ticket: Ticket | None, response: HttpResponse, post, *, expires_at=None) -> HttpResponse:
    """Keep a freshly rendered page for the next signed-out reader; returns the response."""
    if not _cacheable(request) or response.status_code != 200:
        return response
    cache.add(_slug_key(post.slug), post.pk, None)
    # A page that asked for a CSRF token is personal to this browser: never share it.
    if ticket is None or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return response
    timeout = PAGE_TTL_SECONDS
    if expires_at is not None:
        # A timer (a scheduled close or reopening) changes the page without any write.
        timeout = max(1, min(timeout, int((expires_at - timezone.now()).total_seconds()) + 1))
    cache.set(ticket.page_key, (ticket.etag, response.content), timeout)
    _conditional_headers(response, ticket.etag, ticket.changed_ns)
    response["X-Page-Cache"] = "miss"
    return response


def _conditional_headers(response: HttpResponse, etag: str, changed_ns: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed_ns // 1_000_000_000)
    # Browsers may keep the page but must ask again (a cheap 304) before showing it.
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Cookie"
