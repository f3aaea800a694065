"""The framework floor: what the cheapest pages cost on this machine, under the same server.

Every page figure is read against these two, so a slower or busier machine moves
both sides of the ratio alike.
"""

from functools import cache

from django.http import HttpResponse
from django.template import engines

from forum.posts.models import Post

FLOOR_TEMPLATE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ SITE_NAME }}</title></head>'
    "<body><ul>{% for post in posts %}"
    "<li><a href=\"{% url 'posts:detail' post.slug %}\">{{ post.title }}</a></li>"
    "{% endfor %}</ul></body></html>"
)


@cache
def _floor_template():
    return engines["django"].from_string(FLOOR_TEMPLATE)


def floor_short(request):
    return HttpResponse("ok", content_type="text/plain")


def floor_query(request):
    """One query and a small template, rendered with the site's context processors."""
    posts = list(Post.objects.order_by("-published_at", "-pk").values("title", "slug")[:10])
    return HttpResponse(_floor_template().render({"posts": posts}, request))
