from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.restrictions import restriction_for
from forum.posts import page_cache, rules, services
from forum.posts.closing import next_state_change
from forum.posts.forms import PostForm
from forum.posts.models import Category, Post, Tag
from forum.posts.pages import post_page_context, render_post_page
from forum.posts.querysets import Cursor
from forum.posts.rendering import render_post_body

POSTS_PER_PAGE = 10


def _render_listing(request, posts, *, heading: str = "", scope=None):
    # An unreadable cursor shows the newest posts, as an unknown page number would.
    older_than, newer_than = Cursor.parse(request.GET.get("older")), Cursor.parse(request.GET.get("newer"))
    page = posts.listing_page(older_than=older_than, newer_than=newer_than, size=POSTS_PER_PAGE)
    if not page.object_list and (older_than or newer_than):
        # Nothing beyond that place (its posts were unpublished since): start again at the newest.
        return redirect(request.path)
    context = {"page": page, "heading": heading, "scope": scope}
    return render(request, "posts/post_list.html", context, using="jinja2")


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


@login_required
def my_posts(request):
    page = Paginator(Post.objects.for_author(request.user), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "posts/my_posts.html", {"page": page})


def post_detail(request, slug):
    cached = page_cache.lookup_once(request, slug)
    if isinstance(cached, HttpResponse):
        return cached
    post = Post.objects.visible_one(request.user, slug, with_links=True)
    if post is None:
        raise Http404
    # Absolute addresses, for sharing and for the Open Graph tags.
    post_url = request.build_absolute_uri(post.get_absolute_url())
    image_url = request.build_absolute_uri(post.image.url) if post.image else ""
    context = post_page_context(request, post, post_url=post_url, image_url=image_url)
    response = render_post_page(request, context)
    if not post.is_published:
        return response
    return page_cache.store(request, cached, response, post, expires_at=next_state_change(post))


@login_required
def post_create(request):
    if not rules.can_start_discussion(request.user):
        raise _refusal(request.user)
    return _post_form(request, post=None)


@login_required
def post_edit(request, slug):
    post = get_object_or_404(Post.objects.visible_to(request.user), slug=slug)
    if not rules.can_edit_post(request.user, post):
        raise _refusal(request.user)
    return _post_form(request, post=post)


def _refusal(user) -> PermissionDenied:
    """403, saying why when a restriction (a suspension) is the reason."""
    restriction = restriction_for(user)
    return PermissionDenied(restriction.message if restriction else "")


def _post_form(request, *, post: Post | None):
    """The write and edit page: "Preview" shows the body as it will look, "Save" saves."""
    preview_html = None
    image_dropped = False
    if request.method == "POST":
        is_preview = "preview" in request.POST
        form = PostForm(request.POST, request.FILES, instance=post, preview=is_preview)
        if is_preview:
            preview_html = render_post_body(request.POST.get("body", ""))
            # Browsers cannot put a chosen file back into a form, so say so.
            image_dropped = "image" in request.FILES
        elif form.is_valid():
            if post is None:
                saved = services.post_create(author=request.user, **form.service_arguments())
            else:
                saved = services.post_update(post=post, editor=request.user, **form.service_arguments())
            messages.success(request, _saved_message(saved))
            return redirect(saved)
    else:
        form = PostForm(instance=post)
    context = {"form": form, "post": post, "preview_html": preview_html, "image_dropped": image_dropped}
    return render(request, "posts/post_form.html", context)


def _saved_message(post: Post) -> str:
    if post.status == Post.Status.DRAFT:
        return _("Draft saved. Only you and the site staff can see it.")
    if post.is_published:
        return _("Your post is published.")
    when = date_format(timezone.localtime(post.published_at), "DATETIME_FORMAT")
    return _("Your post is scheduled to go public on %(when)s.") % {"when": when}
