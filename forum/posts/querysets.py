import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from operator import itemgetter

from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import Expression
from django.db.models.functions import Now
from django.utils import timezone

from forum.compiled import CompiledQuery, Placeholder


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts every reader may see: published, or scheduled with their time come."""
        return self.filter(status__in=PUBLIC_STATUSES, published_at__lte=timezone.now())

    def visible_to(self, user):
        """What `user` may open: published posts, plus their own drafts (all drafts for staff)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        visible = Q(status__in=PUBLIC_STATUSES, published_at__lte=timezone.now())
        if user.is_authenticated:
            visible |= Q(author=user)
        return self.filter(visible)

    def for_listing(self):
        """Published posts, newest first, each with its author and its categories (read
        through `Post.listed_categories`): one query for a page of them."""
        # Raising on a forgotten relation keeps the listing at a fixed number of queries.
        return (
            self.published()
            .select_related("author")
            .annotate(categories_found=_CategoriesColumn(self.model))
            .order_by("-published_at", "-pk")
            .fetch_mode(models.FETCH_RAISE)
        )

    def listing_page(self, *, older_than: "Cursor | None" = None, newer_than: "Cursor | None" = None, size: int):
        """One page of this listing (newest first), read by position rather than by counting.

        A page is the `size` posts just older than `older_than`, just newer than
        `newer_than`, or the newest. Where a page starts is a post's (publishing time,
        id), so the database finds it in the index at any depth and needs no count of
        the whole listing, and a post published meanwhile does not push the page's
        posts onto the next one. One query for the posts (and one more, with a
        cursor, to see whether there are any on the other side).
        """
        if newer_than is not None:
            # Read towards the newest, then put back in the listing's order.
            found = list(self._beyond(newer_than, newer=True).reverse()[: size + 1])[::-1]
            posts = found[-size:]
            more_newer = len(found) > size
            more_older = bool(posts) and self._beyond(Cursor.of(posts[-1]), newer=False).exists()
        else:
            found = list((self if older_than is None else self._beyond(older_than, newer=False))[: size + 1])
            posts = found[:size]
            more_older = len(found) > size
            more_newer = bool(posts) and older_than is not None
            more_newer = more_newer and self._beyond(Cursor.of(posts[0]), newer=True).exists()
        return ListingPage(
            object_list=posts,
            newer=Cursor.of(posts[0]) if more_newer else None,
            older=Cursor.of(posts[-1]) if more_older else None,
        )

    def _beyond(self, cursor: "Cursor", *, newer: bool):
        """The posts after `cursor` in the listing's order (`newer`: before it)."""
        if newer:
            # The plain bound lets the database start its walk of the index at the cursor.
            after = Q(published_at__gt=cursor.published_at) | Q(published_at=cursor.published_at, pk__gt=cursor.pk)
            return self.filter(after, published_at__gte=cursor.published_at)
        before = Q(published_at__lt=cursor.published_at) | Q(published_at=cursor.published_at, pk__lt=cursor.pk)
        return self.filter(before, published_at__lte=cursor.published_at)

    def for_author(self, user):
        """Everything `user` wrote, whatever its status, most recently written first."""
        return self.filter(author=user).order_by("-created_at", "-pk")

    def visible_one(self, user, slug: str, *, without_body: bool = False, with_links: bool = False):
        """The post at `slug` with its author if `user` may open it (as `visible_to`), or None.

        The post page and every comment posted look a post up this way, so the query is
        compiled once (forum.compiled). `without_body` leaves the body behind, for
        writes that need the post's state and not its text; `with_links` brings the
        post's `links` in the same query, for its page.
        """
        staff = user.is_authenticated and user.is_staff
        query = _compiled_lookup(self.model, staff=staff, without_body=without_body, with_links=with_links)
        post = query.first(self.db, slug=slug, reader=user.pk, now=timezone.now())
        if post is not None and with_links:
            rows = json.loads(post.links_found)
            if connections[self.db].vendor != "postgresql":
                rows.sort(key=itemgetter(0, 2))  # by kind and name, as SQLite compares text
            post.links = _links_from(self.model, rows)
        return post

    def links_of(self, post) -> "PostLinks":
        """What the post page links to besides the post: the published posts just before
        and after it, and its categories and tags, each by name.

        One query for all four, written as SQL once per database (see `_links_sql`): built
        through the ORM it took longer to put together than to run. Ties in publishing
        time are broken by id, as in the listing; comparing the pair as one row value lets
        the (published_at, id) index find each neighbour in one step.
        """
        connection = connections[self.db]
        # Times as the database stores them (SQLite compares them as text).
        now, published_at = map(connection.ops.adapt_datetimefield_value, (timezone.now(), post.published_at))
        here = (published_at, post.pk)
        params = [*PUBLIC_STATUSES, now, *here, *PUBLIC_STATUSES, now, *here, post.pk, post.pk]
        with connection.cursor() as cursor:
            cursor.execute(_links_sql(self.model, self.db), params)
            return _links_from(self.model, cursor.fetchall())


PUBLIC_STATUSES = ("published", "scheduled")


@cache
def _compiled_lookup(model, *, staff: bool, without_body: bool, with_links: bool) -> CompiledQuery:
    """`visible_one`'s query: `visible_to` with the database's clock for "now"."""

    def build():
        posts = model._default_manager.select_related("author").filter(slug=Placeholder("slug", models.CharField()))
        if not staff:
            published = Q(status__in=PUBLIC_STATUSES, published_at__lte=Now())
            posts = posts.filter(published | Q(author_id=Placeholder("reader", models.BigIntegerField())))
        if without_body:
            posts = posts.defer("body", "body_html")
        if with_links:
            posts = posts.annotate(links_found=_LinksColumn(model))
        return posts.order_by()[:1]  # the slug is unique: no need to sort

    return CompiledQuery(build)


class _LinksColumn(Expression):
    """`links_of`'s rows as one column of the post's own query: a JSON array of
    [kind, slug, title or name], in the same order; a round trip fewer for every post
    page. Written for the database it is compiled for."""

    output_field = models.TextField()

    def __init__(self, model):
        super().__init__()
        self.model = model

    def as_sql(self, compiler, connection):
        outer = connection.ops.quote_name(self.model._meta.db_table)
        union, params = _links_union(self.model, connection.alias, outer=outer)
        if connection.vendor == "postgresql":
            aggregate = "COALESCE(json_agg(json_build_array(x.k, x.s, x.t) ORDER BY x.k, x.t), '[]')::text"
            return f"(SELECT {aggregate} FROM ({union}) x)", params
        # SQLite may aggregate in any order: `visible_one` sorts the rows as it would.
        return f"(SELECT json_group_array(json_array(x.k, x.s, x.t)) FROM ({union}) x)", params


class _CategoriesColumn(Expression):
    """A listed post's categories as one column of the listing's own query: a JSON array
    of [slug, name], by name on PostgreSQL (SQLite aggregates in any order); a query
    fewer than fetching them for the page's posts."""

    output_field = models.TextField()

    def __init__(self, model):
        super().__init__()
        self.model = model

    def as_sql(self, compiler, connection):
        quote = connection.ops.quote_name
        outer = f"{quote(self.model._meta.db_table)}.{quote(self.model._meta.pk.column)}"
        rows = _labels_of(self.model, "categories", quote, outer)
        slug, name = f"l.{quote('slug')}", f"l.{quote('name')}"
        if connection.vendor == "postgresql":
            aggregate = f"COALESCE(json_agg(json_build_array({slug}, {name}) ORDER BY {name}), '[]')::text"
        else:
            aggregate = f"json_group_array(json_array({slug}, {name}))"
        return f"(SELECT {aggregate}{rows})", []


def _labels_of(model, name: str, quote, post_id: str) -> str:
    """The FROM and WHERE of a post's labels (`name`: "categories" or "tags") as `l`, for
    the post whose id is the SQL `post_id` (a column or a parameter)."""
    field = model._meta.get_field(name)
    label = field.related_model._meta
    return (
        f" FROM {quote(label.db_table)} l"
        f" JOIN {quote(field.m2m_db_table())} t ON t.{quote(field.m2m_reverse_name())} = l.{quote(label.pk.column)}"
        f" WHERE t.{quote(field.m2m_column_name())} = {post_id}"
    )


def _links_from(model, rows) -> "PostLinks":
    neighbours = {kind: Neighbour(slug, title) for kind, slug, title in rows if kind < 2}
    labels = tuple(model._meta.get_field(name).related_model for name in ("categories", "tags"))
    return PostLinks(
        previous=neighbours.get(0),
        next=neighbours.get(1),
        filed_under=[labels[kind - 2](slug=slug, name=name) for kind, slug, name in rows if kind >= 2],
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A place in a listing: a post's publishing time and id, written in links as
    "microseconds since 1970.id" (digits, a dot and perhaps a minus: nothing to escape)."""

    published_at: datetime
    pk: int

    @classmethod
    def of(cls, post) -> "Cursor":
        return cls(post.published_at, post.pk)

    @classmethod
    def parse(cls, text: str | None) -> "Cursor | None":
        """The cursor `str` wrote, or None for anything else."""
        micros, dot, pk = (text or "").partition(".")
        digits = micros.removeprefix("-")  # a post dated before 1970, imported from an archive
        if not (dot and digits.isdigit() and pk.isdigit() and len(digits) <= 18 and len(pk) <= 18):
            return None
        try:
            return cls(_EPOCH + int(micros) * _MICROSECOND, int(pk))
        except OverflowError:  # outside the years 1 to 9999
            return None

    def __str__(self) -> str:
        return f"{(self.published_at - _EPOCH) // _MICROSECOND}.{self.pk}"


@dataclass(frozen=True, slots=True)
class ListingPage:
    object_list: list
    newer: Cursor | None  # where the page of newer posts starts, if there are any
    older: Cursor | None


@dataclass(frozen=True, slots=True)
class Neighbour:
    slug: str
    title: str


@dataclass(frozen=True, slots=True)
class PostLinks:
    previous: Neighbour | None
    next: Neighbour | None
    filed_under: list  # the post's categories, then its tags


@cache
def _links_sql(model, alias: str) -> str:
    """`links_of`'s query for the database `alias`: rows of (kind, slug, title or name),
    kind 0 the previous post, 1 the next, 2 a category, 3 a tag."""
    return _links_union(model, alias)[0] + " ORDER BY 1, 3"


def _links_union(model, alias: str, *, outer: str = "") -> tuple[str, list]:
    """The four parts of the links, and their fixed parameters. Without `outer`, the
    post's publishing time and id (twice) and then its id (twice) are parameters too,
    and "now" comes after each pair of statuses; with it, they are the columns of the
    post in the enclosing query's table `outer`, and "now" a `Placeholder`."""
    quote = connections[alias].ops.quote_name
    posts = model._meta
    table, pk, slug, title = (quote(name) for name in (posts.db_table, posts.pk.column, "slug", "title"))
    status, published_at = quote(posts.get_field("status").column), quote(posts.get_field("published_at").column)
    here = f"({outer}.{published_at}, {outer}.{pk})" if outer else "(%s, %s)"
    post_id = f"{outer}.{pk}" if outer else "%s"

    def neighbour(kind: int, operator: str, direction: str) -> str:
        return (
            f"SELECT {kind} AS k, n.{slug} AS s, n.{title} AS t FROM (SELECT m.{slug}, m.{title} FROM {table} m"
            f" WHERE m.{status} IN (%s, %s) AND m.{published_at} <= %s AND (m.{published_at}, m.{pk}) {operator} {here}"
            f" ORDER BY m.{published_at} {direction}, m.{pk} {direction} LIMIT 1) n"
        )

    def labels(kind: int, name: str) -> str:
        return f"SELECT {kind}, l.{quote('slug')}, l.{quote('name')}{_labels_of(model, name, quote, post_id)}"

    parts = [neighbour(0, "<", "DESC"), neighbour(1, ">", "ASC"), labels(2, "categories"), labels(3, "tags")]
    now = Placeholder("now", models.DateTimeField())
    params = [*PUBLIC_STATUSES, now, *PUBLIC_STATUSES, now] if outer else []
    return " UNION ALL ".join(parts), params
