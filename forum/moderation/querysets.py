from django.db import models
from django.db.models import Q
from django.utils import timezone


class SuspensionQuerySet(models.QuerySet):
    def active(self, *, at=None):
        """Suspensions in force now: started, not ended, not lifted."""
        moment = at or timezone.now()
        return self.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=moment), starts_at__lte=moment, lifted_at__isnull=True
        )


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class ModerationActionQuerySet(models.QuerySet):
    def public(self):
        """What the public log lists: closures, removals and suspensions, newest first."""
        from forum.moderation.models import ModerationAction

        return self.filter(kind__in=ModerationAction.PUBLIC_KINDS).select_related("post").order_by("-created_at", "-pk")

    def for_log(self):
        """The moderators' log: every entry with the people and post it names, newest first."""
        return self.select_related("actor", "post", "member").order_by("-created_at", "-pk")
