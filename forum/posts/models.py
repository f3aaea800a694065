import json
from functools import lru_cache
from operator import attrgetter

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from forum.addresses import address
from forum.posts.querysets import Neighbour, PostLinks, PostQuerySet
from forum.posts.rendering import first_words, render_post_body

EXCERPT_WORDS = 40


@lru_cache(maxsize=256)
def _excerpt(language: str | None, body_html: str) -> str:
    # A pure function of the stored HTML (and of the language, which words the "…"),
    # asked for on every post page and ten times on every listing: worked out once.
    return first_words(body_html, EXCERPT_WORDS)


class Category(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("posts:category", "slug", self.slug)

    @property
    def shown_name(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("posts:tag", "slug", self.slug)

    @property
    def shown_name(self) -> str:
        return f"#{self.name}"


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    image = models.ImageField(_("featured image"), upload_to="posts/%Y/%m/", blank=True)
    image_alt = models.CharField(_("image description (alt text)"), max_length=200, blank=True)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # The time the post goes (or went) public; for a scheduled post, in the future.
    published_at = models.DateTimeField(_("publish at"), null=True, blank=True, db_index=True)
    # Counters kept in the row, updated in the transaction that changes them.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    last_comment_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The discussion's state. Moderation writes these through its services and logs who
    # did it; they live on the post row because every comment write locks that row.
    # A future `closed_at` is a scheduled close; `reopens_at` a scheduled reopening.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    close_reason = models.CharField(max_length=500, blank=True, editable=False)
    reopens_at = models.DateTimeField(null=True, blank=True, editable=False)
    # "Where to go now" links shown with the closure: [{"label": ..., "url": ...}].
    close_links = models.JSONField(default=list, blank=True, editable=False)
    auto_close_exempt = models.BooleanField(default=False, editable=False)
    slow_mode_seconds = models.PositiveIntegerField(default=0, editable=False)
    hold_all_comments = models.BooleanField(default=False, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="post_listing_idx"),
            # The previous and next post, found as a range of (published_at, id) row values.
            models.Index(fields=["published_at", "id"], name="post_neighbours_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="post_public_has_publish_time",
                violation_error_message=_("A published or scheduled post needs a publish time."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_post_body(self.body)
        self.__dict__.pop("excerpt", None)  # worked out from the old text
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("posts:detail", "slug", self.slug)

    @property
    def is_published(self) -> bool:
        return (
            self.status != self.Status.DRAFT and self.published_at is not None and self.published_at <= timezone.now()
        )

    @cached_property
    def excerpt(self) -> str:
        """The first words of the body as plain text; escape it like any other text."""
        return _excerpt(get_language(), self.body_html)

    @cached_property
    def listed_categories(self) -> list[Category]:
        """Its categories by name, as a listing's query brought them (`for_listing`),
        or read now for a post from elsewhere."""
        found = self.__dict__.get("categories_found")
        if found is None:
            return list(self.categories.all())
        categories = [Category(slug=slug, name=name) for slug, name in json.loads(found)]
        if connections[self._state.db].vendor != "postgresql":
            categories.sort(key=attrgetter("name"))  # as SQLite compares text
        return categories

    @cached_property
    def links(self) -> PostLinks:
        """Its neighbours and labels, read together the first time any of them is asked for."""
        return Post.objects.links_of(self)

    @property
    def previous_post(self) -> Neighbour | None:
        return self.links.previous

    @property
    def next_post(self) -> Neighbour | None:
        return self.links.next

    @property
    def filed_under(self) -> list[Category | Tag]:
        """The post's categories by name, then its tags by name."""
        return self.links.filed_under

    def closed_state_at(self, moment) -> bool:
        if self.closed_at is None or self.closed_at > moment:
            return False
        return self.reopens_at is None or self.reopens_at > moment

    @property
    def is_closed(self) -> bool:
        return self.closed_state_at(timezone.now())

    @property
    def closes_at(self):
        """A close already scheduled but not yet in effect, for "Comments close on ..."."""
        if self.closed_at and self.closed_at > timezone.now():
            return self.closed_at
        return None
