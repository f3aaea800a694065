from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from forum.posts.models import Post

FEED_LENGTH = 20


class LatestPostsFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("home")
    subtitle = _("The latest discussions.")

    def title(self):
        return settings.SITE_NAME

    def items(self):
        return Post.objects.for_listing()[:FEED_LENGTH]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.body_html

    def item_author_name(self, post):
        return post.author.public_name

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        # A scheduled post is last saved before it goes public; it cannot be updated before it appears.
        return max(post.updated_at, post.published_at)

    def item_categories(self, post):
        return [category.name for category in post.categories.all()]
