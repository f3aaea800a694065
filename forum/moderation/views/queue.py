"""The moderation queue, one comment's moderation page, watch phrases and members' reports."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.restrictions import restriction_for
from forum.comments.models import Comment
from forum.comments.rules import Refusal
from forum.moderation import services
from forum.moderation.forms.queue import (
    BulkForm,
    ModeratorEditForm,
    RemoveForm,
    ReportForm,
    SpamForm,
    WatchPhraseForm,
)
from forum.moderation.models import Report, WatchPhrase
from forum.moderation.queue import APPROVE, DISMISS, REMOVE, SPAM, load_items, waiting_items
from forum.moderation.rules import ModerationDenied
from forum.moderation.views import moderator_required
from forum.posts.models import Post

QUEUE_PAGE_SIZE = 50
MY_REPORTS_PAGE_SIZE = 50


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


def _comment(pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("post", "author"), pk=pk)


# --- The queue -----------------------------------------------------------------


@moderator_required
def moderation_queue(request):
    """The queue; a POST applies one action to the selected items (the bulk form)."""
    form = BulkForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.queue_act(
                actor=request.user,
                action=data["action"],
                items=data["items"],
                reason=data["reason"],
                show_reason=data["show_reason"],
                suspend_author=data["suspend_author"],
            )
        except ModerationDenied as denied:
            messages.error(request, denied.message)
        else:
            messages.success(request, _bulk_message(data["action"], done))
        return redirect(request.get_full_path())
    page = Paginator(waiting_items(), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "items": load_items(list(page.object_list)),
        "bulk_form": form,
        "selected": set(request.POST.getlist("items")),
    }
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    return render(request, "moderation/queue/queue.html", context, status=status)


def _bulk_message(action: str, done: int) -> str:
    if not done:
        return _("Nothing to do: those items had already been handled.")
    messages_by_action = {
        APPROVE: ngettext("Approved %(count)s item.", "Approved %(count)s items.", done),
        REMOVE: ngettext("Removed %(count)s comment.", "Removed %(count)s comments.", done),
        SPAM: ngettext(
            "Marked %(count)s comment as spam and removed it.",
            "Marked %(count)s comments as spam and removed them.",
            done,
        ),
        DISMISS: ngettext(
            "Dismissed the reports on %(count)s item.", "Dismissed the reports on %(count)s items.", done
        ),
    }
    return messages_by_action[action] % {"count": done}


# --- One comment ---------------------------------------------------------------


def _comment_page(request, comment: Comment, *, status=HTTPStatus.OK, **bound):
    """The comment's moderation page, with any form that failed validation in place of its blank one."""
    reports = list(comment.reports.order_by("-created_at"))
    context = {
        "comment": comment,
        "is_locked": comment.is_locked_at(timezone.now()),
        "reply_count": Comment.objects.filter(parent=comment).count(),
        "revisions": list(comment.revisions.select_related("replaced_by")),
        "reports": reports,
        "open_report_count": sum(report.resolved_at is None for report in reports),
        "can_suspend_author": _can_suspend(comment),
        "remove_form": bound.get("remove_form") or RemoveForm(auto_id="remove-%s"),
        "spam_form": SpamForm(auto_id="spam-%s"),
        "edit_form": bound.get("edit_form") or ModeratorEditForm(auto_id="edit-%s", initial={"body": comment.body}),
        "has_errors": bool(bound),
    }
    return render(request, "moderation/queue/comment_moderate.html", context, status=status)


def _can_suspend(comment: Comment) -> bool:
    author = comment.author
    return author is not None and not (author.is_staff or author.is_superuser)


@moderator_required
def comment_moderate(request, pk):
    return _comment_page(request, _comment(pk))


@moderator_required
@require_POST
def comment_approve(request, pk):
    comment = services.comment_approve(comment=_comment(pk), actor=request.user)
    messages.success(request, _("Comment approved: everyone can see it now."))
    return _back(request, reverse("moderation:comment", kwargs={"pk": comment.pk}))


@moderator_required
@require_POST
def comment_remove(request, pk):
    comment = _comment(pk)
    form = RemoveForm(request.POST, auto_id="remove-%s")
    if not form.is_valid():
        return _comment_page(request, comment, remove_form=form, status=HTTPStatus.BAD_REQUEST)
    services.comment_remove(
        comment=comment,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        show_reason=form.cleaned_data["show_reason"],
    )
    messages.success(request, _("Comment removed. It can be restored from its moderation page."))
    return _back(request, reverse("moderation:comment", kwargs={"pk": comment.pk}))


@moderator_required
@require_POST
def comment_restore(request, pk):
    comment = services.comment_restore(comment=_comment(pk), actor=request.user)
    messages.success(request, _("Comment restored, exactly as it was."))
    return _back(request, reverse("moderation:comment", kwargs={"pk": comment.pk}))


@moderator_required
@require_POST
def comment_spam(request, pk):
    comment = _comment(pk)
    form = SpamForm(request.POST)
    suspend = form.is_valid() and form.cleaned_data["suspend_author"] and _can_suspend(comment)
    services.comment_mark_spam(comment=comment, actor=request.user, suspend_author=suspend)
    if suspend:
        messages.success(request, _("Comment marked as spam and removed; its author is suspended."))
    else:
        messages.success(request, _("Comment marked as spam and removed."))
    return _back(request, reverse("moderation:comment", kwargs={"pk": comment.pk}))


@moderator_required
@require_POST
def comment_dismiss(request, pk):
    comment = _comment(pk)
    dismissed = services.reports_dismiss(comment=comment, actor=request.user)
    messages.success(
        request,
        ngettext(
            "Dismissed %(count)s report; the comment stays up.",
            "Dismissed %(count)s reports; the comment stays up.",
            dismissed,
        )
        % {"count": dismissed},
    )
    return _back(request, reverse("moderation:comment", kwargs={"pk": comment.pk}))


@moderator_required
@require_POST
def comment_edit(request, pk):
    comment = _comment(pk)
    form = ModeratorEditForm(request.POST, auto_id="edit-%s")
    if not form.is_valid():
        return _comment_page(request, comment, edit_form=form, status=HTTPStatus.BAD_REQUEST)
    if form.cleaned_data["body"] == comment.body:
        messages.info(request, _("The text is unchanged, so nothing was saved."))
    else:
        services.comment_moderator_edit(
            comment=comment, actor=request.user, body=form.cleaned_data["body"], reason=form.cleaned_data["note"]
        )
        messages.success(request, _("Comment edited. Readers see that a moderator edited it."))
    return redirect("moderation:comment", pk=comment.pk)


@moderator_required
@require_POST
def post_dismiss(request, slug):
    post = get_object_or_404(Post, slug=slug)
    dismissed = services.reports_dismiss(post=post, actor=request.user)
    messages.success(
        request,
        ngettext("Dismissed %(count)s report on the post.", "Dismissed %(count)s reports on the post.", dismissed)
        % {"count": dismissed},
    )
    return _back(request, reverse("moderation:queue"))


# --- Watch phrases -------------------------------------------------------------


@moderator_required
def watch_phrases(request):
    form = WatchPhraseForm(request.POST or None, auto_id="phrase-%s")
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        watched = form.save()
        messages.success(request, _("Now watching for “%(phrase)s”.") % {"phrase": watched.phrase})
        return redirect("moderation:phrases")
    context = {"phrases": WatchPhrase.objects.select_related("created_by"), "form": form}
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    return render(request, "moderation/queue/watch_phrases.html", context, status=status)


@moderator_required
@require_POST
def watch_phrase_delete(request, pk):
    watched = get_object_or_404(WatchPhrase, pk=pk)
    watched.delete()
    messages.success(request, _("No longer watching for “%(phrase)s”.") % {"phrase": watched.phrase})
    return redirect("moderation:phrases")


# --- Reports -------------------------------------------------------------------


def _report(request, *, target, target_kwargs: dict, back_url: str):
    """The report form for a comment or a post; the service keeps it to one report per member."""
    user = request.user
    restriction = restriction_for(user)
    post = target if isinstance(target, Post) else target.post
    if restriction:
        refusal = Refusal(restriction.code, restriction.message)
        return render(
            request,
            "comments/comment_refused.html",
            {"post": post, "refusal": refusal, "refused_text": request.POST.get("note", "")},
            status=HTTPStatus.FORBIDDEN,
        )
    already = Report.objects.filter(reporter=user, **target_kwargs).first()
    form = ReportForm(request.POST if request.method == "POST" and not already else None, auto_id="report-%s")
    if form.is_bound and form.is_valid():
        try:
            services.report_create(reporter=user, **target_kwargs, **form.cleaned_data)
        except ModerationDenied as denied:
            messages.info(request, denied.message)
        else:
            messages.success(
                request,
                _("Thank you. A moderator will look at your report; you can follow it under “My reports”."),
            )
        return redirect(back_url)
    context = {"target": target, "post": post, "form": form, "already": already, "back_url": back_url}
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    return render(request, "moderation/queue/report_form.html", context, status=status)


def _may_report(request, *, author_id) -> None:
    if author_id == request.user.pk:
        raise PermissionDenied(_("You cannot report what you wrote yourself."))


@login_required
def report_comment(request, pk):
    visible_posts = Post.objects.visible_to(request.user)
    comment = get_object_or_404(
        Comment.objects.public().filter(post__in=visible_posts).select_related("post", "author"), pk=pk
    )
    _may_report(request, author_id=comment.author_id)
    return _report(request, target=comment, target_kwargs={"comment": comment}, back_url=comment.get_absolute_url())


@login_required
def report_post(request, slug):
    post = get_object_or_404(Post.objects.published().select_related("author"), slug=slug)
    _may_report(request, author_id=post.author_id)
    return _report(request, target=post, target_kwargs={"post": post}, back_url=post.get_absolute_url())


@login_required
def my_reports(request):
    reports = request.user.reports.select_related("comment__post", "post").order_by("-created_at", "-pk")
    page = Paginator(reports, MY_REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue/my_reports.html", {"page": page})


urlpatterns = [
    path("queue/", moderation_queue, name="queue"),
    path("comments/<int:pk>/", comment_moderate, name="comment"),
    path("comments/<int:pk>/approve/", comment_approve, name="comment-approve"),
    path("comments/<int:pk>/remove/", comment_remove, name="comment-remove"),
    path("comments/<int:pk>/restore/", comment_restore, name="comment-restore"),
    path("comments/<int:pk>/spam/", comment_spam, name="comment-spam"),
    path("comments/<int:pk>/dismiss-reports/", comment_dismiss, name="comment-dismiss"),
    path("comments/<int:pk>/edit/", comment_edit, name="comment-edit"),
    path("posts/<slug:slug>/dismiss-reports/", post_dismiss, name="post-dismiss"),
    path("phrases/", watch_phrases, name="phrases"),
    path("phrases/<int:pk>/delete/", watch_phrase_delete, name="phrase-delete"),
    path("report/comment/<int:pk>/", report_comment, name="report-comment"),
    path("report/post/<slug:slug>/", report_post, name="report-post"),
    path("my-reports/", my_reports, name="my-reports"),
]
