from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST

from accounts.restrictions import restriction_for
from accounts.roles import is_moderator
from forum.comments import rules, services
from forum.comments.forms import CommentEditForm, CommentForm
from forum.comments.models import Comment, PostLike
from forum.comments.querysets import DEFAULT_SORT, SORTS
from forum.comments.render import ThreadRenderer
from forum.comments.tree import layout_thread, prune_hidden
from forum.posts.closing import refresh_discussion_state, upcoming_close
from forum.posts.feeds import discussion_state_text
from forum.posts.models import Post
from forum.posts.pages import post_page_context, render_post_page

# Translated by the page (`_(label)`), which keeps each text per language.
SORT_LABELS = {
    "oldest": gettext_noop("Oldest first"),
    "newest": gettext_noop("Newest first"),
    "liked": gettext_noop("Most liked"),
}


HELP_SESSION_KEY = "comments_help_for"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def discussion_context(request, post) -> dict:
    """The thread section of the post page: one page of comments, ready to render."""
    user = request.user
    moderator = is_moderator(user)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else DEFAULT_SORT
    # The thread is paged by its top-level comments, each shown with its replies.
    page, rows = Comment.objects.thread_page(
        post, sort=sort, number=request.GET.get("page"), per_page=settings.COMMENTS_PER_PAGE
    )

    def can_see(comment):
        if comment.deleted_at or comment.removed_at:
            return False
        return comment.held_at is None or moderator or (user.is_authenticated and comment.author_id == user.pk)

    def removed(comment):
        return comment.removed_at is not None and comment.deleted_at is None

    # Moderators see where removed comments were, to reach each one's moderation page.
    shown = prune_hidden(rows, can_see=can_see, keep_placeholder=removed if moderator else None)
    comments = layout_thread(shown, max_depth=settings.COMMENTS_MAX_DISPLAY_DEPTH)
    refusal = rules.comment_refusal(user, post)
    may_comment = refusal is None
    # Moderators act on a comment directly rather than reporting it.
    may_report = user.is_authenticated and not moderator and restriction_for(user) is None
    liked = Comment.objects.liked_by(user, post=post) if user.is_authenticated and comments else set()
    # The page offers editing and deleting on the reader's own comments only (moderators
    # act from the moderation page), so the rules are asked about those alone.
    own_pk = user.pk if user.is_authenticated else None
    for comment in comments:
        comment.post = post  # the rules read it: share the page's post, don't load it again
        comment.is_liked = comment.pk in liked
        visible = comment.is_visible
        own = own_pk is not None and comment.author_id == own_pk
        comment.may_reply = may_comment and visible and (comment.locked_by is None or moderator)
        comment.may_edit = own and rules.can_edit(user, comment)
        comment.may_delete = own and rules.can_delete(user, comment)
        comment.may_report = may_report and visible and not own
    # Set by comment_create after an urgent hold: the writer sees where to find help, once.
    help_for = request.session.pop(HELP_SESSION_KEY, None)
    # A reply form comes back under its comment after a failed POST, or opens there by link.
    reply_to = _int_or_none(request.POST.get("parent") if request.method == "POST" else request.GET.get("replyto"))
    return {
        "comments": comments,
        # A failed POST shows this page at the form's address, which takes only POSTs:
        # the page's links and "come back here" values point at the post instead.
        "thread_url": post.get_absolute_url(),
        "return_url": request.get_full_path() if request.method == "GET" else post.get_absolute_url(),
        "comment_page": page,
        "comment_sort": sort,
        "comment_sorts": SORT_LABELS.items(),
        # Only a reader who may comment sees the form.
        "comment_form": CommentForm(post=post, user=user, initial={"parent": reply_to}) if may_comment else None,
        "reply_to_id": reply_to if reply_to in {c.pk for c in comments if c.may_reply} else None,
        "may_comment": may_comment,
        "is_moderator": moderator,
        "may_report_post": may_report and post.author_id != user.pk,
        "help_for": help_for,
        "help_inline": help_for in {c.pk for c in comments},
        "help_links": settings.SITE_HELP_LINKS,
        "may_close": rules.can_manage_discussion(user, post),
        "comment_refusal": refusal,
        "post_liked": user.is_authenticated and PostLike.objects.liked(user, post),
        "max_display_depth": settings.COMMENTS_MAX_DISPLAY_DEPTH,
        "closes_at": upcoming_close(post),
    }


def _post_for(request, slug, *, without_body: bool = False) -> Post:
    # Posting a comment needs the post's state, not its text, unless the page comes back.
    post = Post.objects.visible_one(request.user, slug, without_body=without_body)
    if post is None:
        raise Http404
    return post


def _refused(request, post, refusal, *, text: str = ""):
    """403 with the reason, and the writer's text shown back so nothing is lost."""
    if wants_json(request):
        return JsonResponse({"code": refusal.code, "message": refusal.message, **refusal.details}, status=403)
    context = {"post": post, "refusal": refusal, "refused_text": text}
    return render(request, "comments/comment_refused.html", context, status=HTTPStatus.FORBIDDEN)


@require_POST
def comment_create(request, slug):
    post = _post_for(request, slug, without_body=True)
    refusal = rules.comment_refusal(request.user, post)
    if refusal:
        return _refused(request, post, refusal, text=request.POST.get("body", ""))
    form = CommentForm(request.POST, post=post, user=request.user)
    if not form.is_valid():
        if wants_json(request):
            return JsonResponse({"code": "invalid", "errors": form.errors.get_json_data()}, status=400)
        form.detach_from_missing_parent()
        post.refresh_from_db(fields=["body", "body_html"])
        context = post_page_context(request, post, comment_form=form)
        return render_post_page(request, context, status=HTTPStatus.BAD_REQUEST)
    data = form.cleaned_data
    try:
        comment = services.comment_create(
            post=post,
            author=request.user,
            body=data["body"],
            parent=data["parent"],
            guest_name=data.get("guest_name", ""),
            guest_email=data.get("guest_email", ""),
            submission_token=data["token"],
        )
    except services.CommentRefused as refused:
        return _refused(request, post, refused.refusal, text=data["body"])
    held = comment.held_at is not None
    needs_help = held and comment.is_urgent
    if held:
        message = _("Thank you. Your comment will appear once a moderator has approved it.")
    else:
        message = _("Your comment has been posted.")
    if wants_json(request):
        comment.display_depth = min(comment.depth, settings.COMMENTS_MAX_DISPLAY_DEPTH)
        comment.parent_comment = data["parent"]
        comment.may_reply = not held
        comment.may_edit = comment.may_delete = comment.author_id is not None
        # New, so nobody has liked, reported or locked it yet.
        comment.is_liked = comment.may_report = comment.is_placeholder = False
        comment.locked_by = None
        post.refresh_from_db(fields=["comment_count"])
        renderer = ThreadRenderer(
            user=request.user,
            is_moderator=is_moderator(request.user),
            reply_base=post.get_absolute_url(),
            page_number=1,
            max_display_depth=settings.COMMENTS_MAX_DISPLAY_DEPTH,
        )
        html = renderer.comment(comment)
        heading = ngettext(
            "%(count)s comment on “%(title)s”", "%(count)s comments on “%(title)s”", post.comment_count
        ) % {"count": post.comment_count, "title": post.title}
        help_html = ""
        if needs_help:
            help_context = {"help_links": settings.SITE_HELP_LINKS}
            help_html = render_to_string("comments/includes/_help_panel.html", help_context, request=request)
        return JsonResponse(
            {
                "id": comment.pk,
                "anchor": comment.anchor,
                "html": html,
                "count": post.comment_count,
                "heading": heading,
                # Replies to a comment at the last level sit beside it, so the script must know.
                "depth_capped": comment.display_depth >= settings.COMMENTS_MAX_DISPLAY_DEPTH,
                "held": held,
                "message": message,
                "help_html": help_html,
            }
        )
    messages.success(request, message)
    if needs_help:
        request.session[HELP_SESSION_KEY] = comment.pk
        if comment.author_id is None:
            # A guest cannot see their held comment, so the panel waits at the top of the discussion.
            return redirect(f"{post.get_absolute_url()}#help-panel")
    return redirect(comment.get_absolute_url())


def comment_permalink(request, pk):
    """Open a comment in its thread: the right page, scrolled to it."""
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    if not Post.objects.visible_to(request.user).filter(pk=comment.post_id).exists():
        raise Http404
    page = Comment.objects.page_number_of(comment, per_page=settings.COMMENTS_PER_PAGE)
    query = f"?page={page}" if page > 1 else ""
    return redirect(f"{comment.post.get_absolute_url()}{query}#{comment.anchor}")


def _own_comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("post", "author", "parent"), pk=pk)
    if not Post.objects.visible_to(request.user).filter(pk=comment.post_id).exists():
        raise Http404
    refresh_discussion_state(comment.post)
    return comment


@login_required
def comment_edit(request, pk):
    comment = _own_comment(request, pk)
    refusal = rules.edit_refusal(request.user, comment)
    text = request.POST.get("body", "") if request.method == "POST" else ""
    if refusal:
        return _refused(request, comment.post, refusal, text=text)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        except services.CommentRefused as refused:
            return _refused(request, comment.post, refused.refusal, text=form.cleaned_data["body"])
        messages.success(request, _("Your comment has been updated."))
        return redirect(comment.get_absolute_url())
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    return render(request, "comments/comment_edit.html", {"comment": comment, "form": form}, status=status)


@login_required
def comment_delete(request, pk):
    comment = _own_comment(request, pk)
    if not rules.can_delete(request.user, comment):
        return _refused(
            request, comment.post, rules.Refusal("not_author", _("Only the author can delete this comment."))
        )
    if request.method == "POST":
        kept = services.comment_delete(comment=comment)
        messages.success(request, _("Your comment has been deleted."))
        target = comment.get_absolute_url() if kept else comment.post.get_absolute_url() + "#comments-heading"
        return redirect(target)
    return render(request, "comments/comment_delete.html", {"comment": comment})


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def comment_like(request):
    comment_pk = _int_or_none(request.POST.get("comment"))
    if comment_pk is None:
        return HttpResponseBadRequest(_("Which comment? The request did not say."))
    comment = get_object_or_404(Comment.objects.public().select_related("post"), pk=comment_pk)
    if not Post.objects.visible_to(request.user).filter(pk=comment.post_id).exists():
        raise Http404
    refusal = rules.like_refusal(request.user)
    if refusal:
        return _refused(request, comment.post, refusal)
    liked, count = services.comment_like_toggle(comment=comment, user=request.user)
    if wants_json(request):
        return JsonResponse({"liked": liked, "count": count})
    target = _back(request, comment.get_absolute_url())
    # Without a fragment the reader would land at the top of the page, far from the comment they liked.
    return redirect(target if "#" in target else f"{target}#{comment.anchor}")


@login_required
@require_POST
def post_like(request, slug):
    post = _post_for(request, slug)
    refusal = rules.like_refusal(request.user)
    if refusal:
        return _refused(request, post, refusal)
    liked, count = services.post_like_toggle(post=post, user=request.user)
    if wants_json(request):
        return JsonResponse({"liked": liked, "count": count})
    return redirect(_back(request, post.get_absolute_url()))


class PostCommentsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return refresh_discussion_state(get_object_or_404(Post.objects.published(), slug=slug))

    def title(self, post):
        return _("Comments on “%(title)s”") % {"title": post.title}

    def link(self, post):
        return post.get_absolute_url()

    def subtitle(self, post):
        return " ".join(filter(None, [_("The latest comments in this discussion."), discussion_state_text(post)]))

    def items(self, post):
        return Comment.objects.public().filter(post=post).select_related("author", "post").order_by("-created_at")[:50]

    def item_title(self, comment):
        return _("%(name)s on “%(title)s”") % {"name": comment.author_name, "title": comment.post.title}

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        return reverse("comments:permalink", kwargs={"pk": comment.pk})

    def item_pubdateupdated(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return comment.author_name
