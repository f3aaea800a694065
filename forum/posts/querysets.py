from django.db import models
from django.db.models import Q
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
        return self.published().select_related("author").order_by("-published_at", "-pk")
