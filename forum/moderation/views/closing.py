"""Closing and calming discussions: the discussion settings page and sub-thread locks."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.comments.models import Comment
from forum.moderation import services
from forum.moderation.forms.closing import (
    CloseForm,
    CommentLockForm,
    CommentUnlockForm,
    ReopenForm,
    SlowModeForm,
    SwitchForm,
    slow_mode_label,
)
from forum.moderation.models import ModerationAction
from forum.moderation.rules import ModerationDenied, can_close, can_moderate
from forum.posts.closing import auto_close_time, refresh_discussion_state, upcoming_close
from forum.posts.models import Post

HISTORY_LENGTH = 20


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _post_for(request, slug, *, moderators_only: bool = False) -> Post:
    post = get_object_or_404(Post.objects.visible_to(request.user), slug=slug)
    allowed = can_moderate(request.user) if moderators_only else can_close(request.user, post)
    if not allowed:
        raise PermissionDenied
    return refresh_discussion_state(post)


def _settings_page(request, post: Post, *, status=HTTPStatus.OK, **bound):
    """The page, with any form that failed validation in place of its blank version."""
    moderator = can_moderate(request.user)
    forms = {
        "close_form": bound.get("close_form") or CloseForm(post=post, prefix="close"),
        "reopen_form": bound.get("reopen_form") or ReopenForm(post=post, prefix="reopen"),
    }
    if moderator:
        forms["slow_mode_form"] = bound.get("slow_mode_form") or SlowModeForm(post=post, prefix="slow")
    history = ModerationAction.objects.filter(post=post).select_related("actor")[:HISTORY_LENGTH]
    context = {
        "post": post,
        "is_moderator": moderator,
        "closes_at": upcoming_close(post),
        "auto_closes_at": auto_close_time(post),
        "slow_mode": slow_mode_label(post.slow_mode_seconds) if post.slow_mode_seconds else "",
        "history": history if moderator else [],
        "has_errors": bool(bound),
        **forms,
    }
    return render(request, "moderation/closing/post_settings.html", context, status=status)


def _done(request, post: Post, message: str):
    messages.success(request, message)
    return redirect("moderation:post", slug=post.slug)


@login_required
def post_settings(request, slug):
    return _settings_page(request, _post_for(request, slug))


@login_required
@require_POST
def post_close(request, slug):
    post = _post_for(request, slug)
    form = CloseForm(request.POST, post=post, prefix="close")
    if not form.is_valid():
        return _settings_page(request, post, close_form=form, status=HTTPStatus.BAD_REQUEST)
    try:
        post = services.discussion_close(post=post, actor=request.user, **form.service_arguments())
    except ModerationDenied as denied:
        raise PermissionDenied(denied.message) from None
    if post.is_closed:
        return _done(request, post, _("Comments are closed."))
    return _done(request, post, _("Comments will close on %(when)s.") % {"when": _when(post.closed_at)})


@login_required
@require_POST
def post_reopen(request, slug):
    post = _post_for(request, slug)
    form = ReopenForm(request.POST, post=post, prefix="reopen")
    if not form.is_valid():
        return _settings_page(request, post, reopen_form=form, status=HTTPStatus.BAD_REQUEST)
    at = form.cleaned_data["reopen_at"]
    try:
        services.discussion_reopen(post=post, actor=request.user, reason=form.cleaned_data["reason"], at=at)
    except ModerationDenied as denied:
        raise PermissionDenied(denied.message) from None
    if at:
        return _done(request, post, _("Comments will reopen on %(when)s.") % {"when": _when(at)})
    return _done(request, post, _("Comments are open again. This discussion no longer closes automatically."))


@login_required
@require_POST
def post_exempt(request, slug):
    post = _post_for(request, slug, moderators_only=True)
    exempt = SwitchForm(request.POST).wanted()
    services.discussion_set_exempt(post=post, actor=request.user, exempt=exempt)
    if exempt:
        return _done(request, post, _("This discussion will not close automatically."))
    return _done(request, post, _("This discussion follows the site's automatic closing again."))


@login_required
@require_POST
def post_slow_mode(request, slug):
    post = _post_for(request, slug, moderators_only=True)
    form = SlowModeForm(request.POST, post=post, prefix="slow")
    if not form.is_valid():
        return _settings_page(request, post, slow_mode_form=form, status=HTTPStatus.BAD_REQUEST)
    post = services.discussion_slow_mode(
        post=post, actor=request.user, seconds=form.seconds(), reason=form.cleaned_data["reason"]
    )
    if post.slow_mode_seconds:
        return _done(request, post, _("Slow mode is on."))
    return _done(request, post, _("Slow mode is off."))


@login_required
@require_POST
def post_hold_all(request, slug):
    post = _post_for(request, slug, moderators_only=True)
    hold = SwitchForm(request.POST).wanted()
    services.discussion_hold_all(post=post, actor=request.user, hold=hold)
    if hold:
        return _done(request, post, _("New comments here now wait for a moderator's approval."))
    return _done(request, post, _("New comments here no longer all wait for approval."))


def _comment_for(request, pk) -> Comment:
    if not can_moderate(request.user):
        raise PermissionDenied
    visible_posts = Post.objects.visible_to(request.user)
    return get_object_or_404(Comment.objects.select_related("post", "author").filter(post__in=visible_posts), pk=pk)


def _lock_state(comment: Comment) -> dict:
    # A lock whose end has passed no longer applies, though its row still says when it started.
    return {"is_locked": comment.is_locked_at(timezone.now())}


@login_required
def comment_lock(request, pk):
    """Lock the replies below a comment; the page is the form, for use without the queue."""
    comment = _comment_for(request, pk)
    form = CommentLockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.comment_lock(
            comment=comment, actor=request.user, reason=form.cleaned_data["reason"], until=form.cleaned_data["until"]
        )
        messages.success(request, _("Replies below this comment are locked."))
        return redirect(comment.get_absolute_url())
    context = {"comment": comment, "form": form, "unlock_form": CommentUnlockForm(), **_lock_state(comment)}
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    return render(request, "moderation/closing/comment_lock.html", context, status=status)


@login_required
@require_POST
def comment_unlock(request, pk):
    comment = _comment_for(request, pk)
    form = CommentUnlockForm(request.POST)
    if not form.is_valid():
        context = {"comment": comment, "form": CommentLockForm(), "unlock_form": form, **_lock_state(comment)}
        return render(request, "moderation/closing/comment_lock.html", context, status=HTTPStatus.BAD_REQUEST)
    services.comment_unlock(comment=comment, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Replies below this comment are open again."))
    return redirect(comment.get_absolute_url())


urlpatterns = [
    path("posts/<slug:slug>/", post_settings, name="post"),
    path("posts/<slug:slug>/close/", post_close, name="post-close"),
    path("posts/<slug:slug>/reopen/", post_reopen, name="post-reopen"),
    path("posts/<slug:slug>/exempt/", post_exempt, name="post-exempt"),
    path("posts/<slug:slug>/slow-mode/", post_slow_mode, name="post-slow-mode"),
    path("posts/<slug:slug>/hold/", post_hold_all, name="post-hold"),
    path("comments/<int:pk>/lock/", comment_lock, name="comment-lock"),
    path("comments/<int:pk>/unlock/", comment_unlock, name="comment-unlock"),
]
