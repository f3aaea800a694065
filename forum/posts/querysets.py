from django.db import models
from django.db.models import OuterRef, Q, Subquery
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
        return self.visible_to(user).select_related("author").prefetch_related("categories", "tags").with_neighbours()

    def with_neighbours(self):
        """Annotate the slug and title of the published posts just before and after each one.

        Subqueries rather than queries of their own: the post page reads them with the post.
        Ties in publishing time are broken by id, as in the listing.
        """
        published = self.model.objects.published()
        moment, pk = OuterRef("published_at"), OuterRef("pk")
        earlier = published.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk)).order_by(
            "-published_at", "-pk"
        )
        later = published.filter(Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk)).order_by(
            "published_at", "pk"
        )
        return self.annotate(
            previous_slug=Subquery(earlier.values("slug")[:1]),
            previous_title=Subquery(earlier.values("title")[:1]),
            next_slug=Subquery(later.values("slug")[:1]),
            next_title=Subquery(later.values("title")[:1]),
        )
