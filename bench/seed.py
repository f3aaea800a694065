"""Fill the benchmark database quickly: rows are computed here and inserted in bulk.

The tree columns are derived exactly as `forum.comments.services.comment_create`
derives them (path = parent's path + the comment's own zero-padded id, root = the
top-level ancestor, depth = parent's depth + 1), so ids are chosen before insertion.
Counters on posts and comments agree with the rows, as the services keep them.
PostgreSQL gets COPY, other databases large bulk_create batches.
"""

import contextlib
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max
from django.utils.text import slugify

from accounts.models import User
from accounts.usernames import username_key
from bench import data
from forum.comments.models import Comment, CommentLike, PostLike, path_segment
from forum.posts.models import Category, Post, Tag
from forum.posts.rendering import render_comment_body, render_post_body

MEMBER_PASSWORD = "bench-member-pass"
# Fixed times keep pages byte-for-byte the same from run to run (dates are printed on them).
NEWEST = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CATEGORIES = ["Transport", "Housing", "Parks", "Libraries", "Planning", "Repairs"]
TAGS = ["buses", "cycling", "trees", "budget", "schools", "winter", "noise", "water", "lighting", "markets"]
FIRST_NAMES = ["Ada", "Bram", "Cleo", "Dev", "Edda", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Milo", "Nia"]
BATCH_SIZE = 5000

type BodySource = Callable[[random.Random], tuple[str, str]]


@dataclass
class Thread:
    size: int
    post_id: int
    slug: str
    top_level: int = 0
    max_depth: int = 0


@dataclass
class Site:
    """What was seeded, for the measurements to find it again."""

    member_ids: list[int]
    threads: dict[int, Thread]  # by number of comments
    shell: Thread  # a post without comments: the page around a thread
    writing: list[Thread]  # posts that the posting measurements write to
    counts: dict[str, int] = field(default_factory=dict)


def rendered_body(rng: random.Random) -> tuple[str, str]:
    body = data.comment_body(rng)
    return body, render_comment_body(body)


def pooled_bodies(rng: random.Random, size: int) -> BodySource:
    """A source drawing from `size` bodies rendered once: for seeding millions of comments."""
    pool = [rendered_body(rng) for _ in range(size)]
    return lambda draw: draw.choice(pool)


def insert(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert rows (dicts by attribute name); missing columns get the field's default."""
    fields = list(model._meta.concrete_fields)
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = NEWEST
        else:
            defaults[f.attname] = f.get_default()  # None, or "" for text that cannot be NULL, without one
    if connection.vendor == "postgresql":
        return _copy(model, fields, defaults, rows)
    count = 0
    batch = []
    for row in rows:
        batch.append(model(**{**defaults, **row}))
        if len(batch) >= BATCH_SIZE:
            count += len(model.objects.bulk_create(batch))
            batch = []
    return count + len(model.objects.bulk_create(batch))


def _copy(model, fields, defaults, rows) -> int:
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    # The primary key comes from the sequence unless the rows bring their own.
    columns = [f for f in fields if not (f.primary_key and f.attname not in first)]
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in _chain(first, rows):
            values = {**defaults, **row}
            copy.write_row([f.get_db_prep_save(values[f.attname], connection) for f in columns])
            count += 1
    return count


def _chain(first, rest):
    yield first
    yield from rest


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1


def reset_sequences(*models_: type[models.Model]) -> None:
    """Move id sequences past the ids chosen here (nothing to do on SQLite)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(statement)


def seed_members(rng: random.Random, count: int) -> list[int]:
    password = make_password(MEMBER_PASSWORD)  # hashed once: every member shares it
    first = next_id(User)
    rows, emails = [], []
    for n in range(count):
        username = f"bench{first + n:05d}"
        display_name = f"{rng.choice(FIRST_NAMES)} {chr(65 + rng.randrange(26))}." if rng.random() < 0.6 else ""
        rows.append(
            {
                "id": first + n,
                "username": username,
                "username_key": username_key(username),
                "email": f"{username}@example.org",
                "display_name": display_name,
                "password": password,
                "date_joined": NEWEST - timedelta(days=400 - n % 300),
            }
        )
        emails.append({"user_id": first + n, "email": f"{username}@example.org", "verified": True, "primary": True})
    insert(User, rows)
    insert(EmailAddress, emails)
    reset_sequences(User)
    return [row["id"] for row in rows]


def _labels(model, names) -> list[int]:
    ids = []
    for name in names:
        obj, _ = model.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        ids.append(obj.pk)
    return ids


class Seeder:
    """Adds posts with whole threads; ids for posts and comments are handed out here."""

    def __init__(self, rng: random.Random, member_ids: list[int], bodies: BodySource):
        self.rng = rng
        self.member_ids = member_ids
        # A few members write much more than the rest, as on any forum.
        self.weights = [1 / (rank + 1) ** 0.7 for rank in range(len(member_ids))]
        self.bodies = bodies
        self.next_post = next_id(Post)
        self.next_comment = next_id(Comment)
        self.category_ids = _labels(Category, CATEGORIES)
        self.tag_ids = _labels(Tag, TAGS)
        self.comments = self.likes = 0

    def author(self) -> int:
        return self.rng.choices(self.member_ids, self.weights)[0]

    def add_posts(self, specs: list[tuple[str, int, datetime]]) -> list[Thread]:
        """Add one post per (slug, comment count, publication time), with its thread and likes."""
        rng = self.rng
        posts, comments, comment_likes, post_likes, categories, tags, threads = [], [], [], [], [], [], []
        for slug, size, published_at in specs:
            post_id = self.next_post
            self.next_post += 1
            thread = Thread(size=size, post_id=post_id, slug=slug)
            last_at = self._thread(thread, published_at, comments, comment_likes)
            likers = rng.sample(self.member_ids, min(len(self.member_ids), rng.randint(0, 40)))
            post_likes.extend({"post_id": post_id, "user_id": u, "created_at": published_at} for u in likers)
            body = data.post_body(rng)
            posts.append(
                {
                    "id": post_id,
                    "title": data.post_title(rng, post_id),
                    "slug": slug,
                    "body": body,
                    "body_html": render_post_body(body),
                    "author_id": self.author(),
                    "status": Post.Status.PUBLISHED,
                    "created_at": published_at - timedelta(hours=2),
                    "updated_at": published_at,
                    "published_at": published_at,
                    "comment_count": size,
                    "like_count": len(likers),
                    "last_comment_at": last_at,
                }
            )
            for category_id in rng.sample(self.category_ids, rng.randint(1, 2)):
                categories.append({"post_id": post_id, "category_id": category_id})
            for tag_id in rng.sample(self.tag_ids, rng.randint(0, 3)):
                tags.append({"post_id": post_id, "tag_id": tag_id})
            threads.append(thread)
        with transaction.atomic():
            insert(Post, posts)
            insert(Post.categories.through, categories)
            insert(Post.tags.through, tags)
            insert(Comment, comments)
            insert(CommentLike, comment_likes)
            insert(PostLike, post_likes)
        reset_sequences(Post, Comment)
        self.comments += len(comments)
        self.likes += len(comment_likes) + len(post_likes)
        return threads

    def _thread(self, thread: Thread, published_at: datetime, comments: list, likes: list) -> datetime | None:
        rng = self.rng
        rows = []
        span = (NEWEST - published_at).total_seconds()
        for node in data.thread_shape(rng, thread.size):
            pk = self.next_comment
            self.next_comment += 1
            parent = rows[node.parent] if node.parent is not None else None
            body, body_html = self.bodies(rng)
            created_at = published_at + timedelta(seconds=span * (node.index + 1) / (thread.size + 1))
            liked_by = rng.sample(self.member_ids, min(len(self.member_ids), data.like_count(rng)))
            row = {
                "id": pk,
                "post_id": thread.post_id,
                "parent_id": parent["id"] if parent else None,
                "root_id": parent["root_id"] if parent else pk,
                "path": (parent["path"] if parent else "") + path_segment(pk),
                "depth": node.depth,
                "author_id": self.author(),
                "body": body,
                "body_html": body_html,
                "created_at": created_at,
                "like_count": len(liked_by),
            }
            rows.append(row)
            likes.extend({"comment_id": pk, "user_id": user_id, "created_at": created_at} for user_id in liked_by)
            thread.top_level += parent is None
            thread.max_depth = max(thread.max_depth, node.depth)
        comments.extend(rows)
        return rows[-1]["created_at"] if rows else None


def seed_site(*, sizes: Iterable[int], members: int, seed: int, writing_posts: int = 4, others: int = 20) -> Site:
    """Members, one post per thread size, an empty post, posts to write to and ordinary posts for the list."""
    rng = random.Random(seed)
    member_ids = seed_members(rng, members)
    seeder = Seeder(rng, member_ids, rendered_body)
    sizes = sorted(sizes)
    moment = NEWEST - timedelta(days=1)
    specs = [(f"thread-{size}", size, moment - timedelta(hours=i)) for i, size in enumerate(sizes)]
    threads = seeder.add_posts(specs)
    shell = seeder.add_posts([("thread-0", 0, moment - timedelta(hours=len(sizes)))])[0]
    writing = seeder.add_posts(
        [(f"writing-{i}", 30, moment - timedelta(days=2, hours=i)) for i in range(writing_posts)]
    )
    seeder.add_posts([(f"discussion-{i}", rng.randint(0, 40), moment - timedelta(days=3 + i)) for i in range(others)])
    counts = {
        "members": len(member_ids),
        "posts": seeder.next_post - 1,
        "comments": seeder.comments,
        "likes": seeder.likes,
    }
    return Site(member_ids, {t.size: t for t in threads}, shell, writing, counts)


def seed_scale(*, posts: int, comments: int, seed: int, member_ids: list[int], progress=print) -> dict[str, int]:
    """Add `posts` posts sharing about `comments` comments, with older publication times.

    Thread sizes vary as on a real forum (most small, a few long); bodies come from a
    pool rendered once. Posts are inserted a chunk at a time to keep memory flat.
    """
    rng = random.Random(seed + 1)
    seeder = Seeder(rng, member_ids, pooled_bodies(rng, 3000))
    raw = [rng.expovariate(1.0) for _ in range(posts)]
    scale = comments / sum(raw) if raw else 0
    sizes = [min(5000, round(value * scale)) for value in raw]
    chunk = 200
    for start in range(0, posts, chunk):
        specs = [
            (f"archive-{seeder.next_post + i}", size, NEWEST - timedelta(days=2, minutes=37 * (start + i)))
            for i, size in enumerate(sizes[start : start + chunk])
        ]
        seeder.add_posts(specs)
        if (start // chunk) % 10 == 9:
            progress(f"  {start + len(specs):,} of {posts:,} posts, {seeder.comments:,} comments")
    return {"posts": posts, "comments": seeder.comments, "likes": seeder.likes}


def analyze() -> None:
    """Statistics and visibility maps as a database that grew over months would have them,
    and on PostgreSQL no bulk load still waiting to be written out while pages are timed."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "postgresql":
            # A role that may not checkpoint leaves the writer to catch up meanwhile.
            with contextlib.suppress(DatabaseError):
                cursor.execute("CHECKPOINT")
