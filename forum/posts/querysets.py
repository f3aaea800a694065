from dataclasses import dataclass
from functools import cache

from django.db import connections, models
from django.db.models import Q
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
        # Raising on a forgotten relation keeps the listing at a fixed number of queries.
        return (
            self.published()
            .select_related("author")
            .prefetch_related("categories")
            .order_by("-published_at", "-pk")
            .fetch_mode(models.FETCH_RAISE)
        )

    def for_author(self, user):
        """Everything `user` wrote, whatever its status, most recently written first."""
        return self.filter(author=user).order_by("-created_at", "-pk")

    def visible_one(self, user, slug: str, *, without_body: bool = False):
        """The post at `slug` with its author if `user` may open it (as `visible_to`), or None.

        The post page and every comment posted look a post up this way, so the query is
        compiled once (forum.compiled). `without_body` leaves the body behind, for
        writes that need the post's state and not its text.
        """
        staff = user.is_authenticated and user.is_staff
        query = _compiled_lookup(self.model, staff=staff, without_body=without_body)
        found = query.run(self.db, slug=slug, reader=user.pk)
        return found[0] if found else None

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
            rows = cursor.fetchall()
        neighbours = {kind: Neighbour(slug, title) for kind, slug, title in rows if kind < 2}
        label_models = tuple(self.model._meta.get_field(name).related_model for name in ("categories", "tags"))
        return PostLinks(
            previous=neighbours.get(0),
            next=neighbours.get(1),
            filed_under=[label_models[kind - 2](slug=slug, name=name) for kind, slug, name in rows if kind >= 2],
        )


PUBLIC_STATUSES = ("published", "scheduled")


@cache
def _compiled_lookup(model, *, staff: bool, without_body: bool) -> CompiledQuery:
    """`visible_one`'s query: `visible_to` with the database's clock for "now"."""

    def build():
        posts = model._default_manager.select_related("author").filter(slug=Placeholder("slug", models.CharField()))
        if not staff:
            published = Q(status__in=PUBLIC_STATUSES, published_at__lte=Now())
            posts = posts.filter(published | Q(author_id=Placeholder("reader", models.BigIntegerField())))
        if without_body:
            posts = posts.defer("body", "body_html")
        return posts.order_by()[:1]  # the slug is unique: no need to sort

    return CompiledQuery(build)


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
    quote = connections[alias].ops.quote_name
    posts = model._meta
    table, pk, slug, title = (quote(name) for name in (posts.db_table, posts.pk.column, "slug", "title"))
    status, published_at = quote(posts.get_field("status").column), quote(posts.get_field("published_at").column)

    def neighbour(kind: int, operator: str, direction: str) -> str:
        return (
            f"SELECT {kind}, n.{slug}, n.{title} FROM (SELECT {slug}, {title} FROM {table}"
            f" WHERE {status} IN (%s, %s) AND {published_at} <= %s AND ({published_at}, {pk}) {operator} (%s, %s)"
            f" ORDER BY {published_at} {direction}, {pk} {direction} LIMIT 1) n"
        )

    def labels(kind: int, name: str) -> str:
        field = model._meta.get_field(name)
        label = field.related_model._meta
        return (
            f"SELECT {kind}, l.{quote('slug')}, l.{quote('name')} FROM {quote(label.db_table)} l"
            f" JOIN {quote(field.m2m_db_table())} t ON t.{quote(field.m2m_reverse_name())} = l.{quote(label.pk.column)}"
            f" WHERE t.{quote(field.m2m_column_name())} = %s"
        )

    parts = [neighbour(0, "<", "DESC"), neighbour(1, ">", "ASC"), labels(2, "categories"), labels(3, "tags")]
    return " UNION ALL ".join(parts) + " ORDER BY 1, 3"
