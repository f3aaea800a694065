from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from forum.comments.models import Comment
from forum.comments.tree import layout_thread
from forum.posts.models import Category, Post, Tag

POSTS_PER_PAGE = 10


def _render_listing(request, posts, *, heading: str = "", scope=None):
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "posts/post_list.html", {"page": page, "heading": heading, "scope": scope})


def post_list(request):
    return _render_listing(request, Post.objects.for_listing())


def category_posts(request, slug):
    category = get_object_or_404(Category, slug=slug)
    return _render_listing(
        request, Post.objects.for_listing().filter(categories=category), heading=category.name, scope=category
    )


def tag_posts(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    return _render_listing(request, Post.objects.for_listing().filter(tags=tag), heading=f"#{tag.name}", scope=tag)


def post_detail(request, slug):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("author"), slug=slug)
    comments = layout_thread(Comment.objects.for_thread(post), max_depth=settings.COMMENTS_MAX_DISPLAY_DEPTH)
    return render(request, "posts/post_detail.html", {"post": post, "comments": comments})
