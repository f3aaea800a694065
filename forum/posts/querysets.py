from django.db import models
from django.db.models import Func, OuterRef, Q, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts every reader may see: published, or scheduled with their time come."""
        return self.filter(status__in=["published", "scheduled"], published_at__lte=timezone.now())

    def visible_to(self, user):
        """What `user` may open: published posts, plus their own drafts (all drafts for staff)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        visible = Q(status__in=["published", "scheduled"], published_at__lte=timezone.now())
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

    def for_detail(self, user):
        return self.visible_to(user).select_related("author").with_neighbours()

    def with_neighbours(self):
        """Annotate `previous_post` and `next_post`: the slug and title of the published posts
        just before and after each one, or None.

        Subqueries rather than queries of their own: the post page reads them with the post.
        Ties in publishing time are broken by id, as in the listing; comparing the pair as
        one row value lets the (published_at, id) index find the neighbour in one step.
        """
        published = self.model.objects.published()
        here = (OuterRef("published_at"), OuterRef("pk"))
        earlier = published.filter(RowCompare("<", ("published_at", "pk"), here)).order_by("-published_at", "-pk")
        later = published.filter(RowCompare(">", ("published_at", "pk"), here)).order_by("published_at", "pk")
        link = JSONObject(slug="slug", title="title")
        return self.annotate(
            previous_post=Subquery(earlier.values(link=link)[:1], output_field=models.JSONField()),
            next_post=Subquery(later.values(link=link)[:1], output_field=models.JSONField()),
        )


class RowCompare(Func):
    """`(a, b) < (c, d)`, compared as row values (PostgreSQL, and SQLite since 3.15)."""

    output_field = models.BooleanField()

    def __init__(self, operator: str, left: tuple, right: tuple):
        if operator not in {"<", ">"} or len(left) != len(right):
            raise ValueError("RowCompare takes < or > and two rows of one length")
        self.operator = operator
        super().__init__(*left, *right)

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(expression) for expression in self.get_source_expressions()]
        half = len(compiled) // 2
        left = ", ".join(sql for sql, _ in compiled[:half])
        right = ", ".join(sql for sql, _ in compiled[half:])
        params = [param for _, expression_params in compiled for param in expression_params]
        return f"(({left}) {self.operator} ({right}))", params
