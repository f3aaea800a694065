from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.posts.closing import refresh_discussion_state, upcoming_close
from forum.posts.models import Post

FEED_LENGTH = 20


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def discussion_state_text(post: Post) -> str:
    """Whether `post` takes comments, in plain sentences for feed readers; empty when nothing to say."""
    if post.is_closed:
        parts = [gettext("Comments are closed."), post.close_reason]
        if post.reopens_at:
            parts.append(gettext("They reopen on %(when)s.") % {"when": _moment(post.reopens_at)})
        return " ".join(part for part in parts if part)
    if closes_at := upcoming_close(post):
        return gettext("Comments close on %(when)s.") % {"when": _moment(closes_at)}
    return ""


class LatestPostsFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("home")
    subtitle = _("The latest discussions.")

    def title(self):
        return settings.SITE_NAME

    def items(self):
        posts = list(Post.objects.for_listing()[:FEED_LENGTH])
        # Timers and the closing policy are written down when someone asks; a feed asks too.
        return [refresh_discussion_state(post) for post in posts]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        if not post.is_closed:
            return post.body_html
        return post.body_html + format_html("<p><strong>{}</strong></p>", discussion_state_text(post))

    def item_author_name(self, post):
        return post.author.public_name

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        # A scheduled post is last saved before it goes public; it cannot be updated before it appears.
        return max(post.updated_at, post.published_at)

    def item_categories(self, post):
        return [category.name for category in post.listed_categories]
