"""Sanctions, the moderation logs and the page on how to reach the moderators."""

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from forum.comments.models import Comment
from forum.moderation import services
from forum.moderation.forms.members import LiftForm, LogFilterForm, SuspendForm
from forum.moderation.models import ModerationAction, Suspension
from forum.moderation.rules import ModerationDenied
from forum.moderation.views import moderator_required

LOG_PER_PAGE = 50
RECENT_COMMENTS = 30
# Entries of the log whose details hold a time, turned into datetimes for the page.
TIME_DETAILS = ("until", "closes_at", "reopens_at")


# --- Members and suspensions -------------------------------------------------------


def _member_page(request, member, *, suspend_form=None, lift_form=None, status=HTTPStatus.OK):
    in_force = Exists(Suspension.objects.active().filter(pk=OuterRef("pk")))
    suspensions = list(member.suspensions.select_related("created_by", "lifted_by").annotate(is_in_force=in_force))
    for suspension in suspensions:
        if suspension.is_in_force:
            bound = lift_form is not None and lift_form.suspension.pk == suspension.pk
            suspension.lift_form = lift_form if bound else LiftForm(suspension=suspension)
    comments = Comment.objects.filter(author=member)
    totals = comments.aggregate(
        total=Count("pk"),
        held=Count("pk", filter=Q(held_at__isnull=False, removed_at__isnull=True)),
        removed=Count("pk", filter=Q(removed_at__isnull=False)),
    )
    context = {
        "member": member,
        "may_be_suspended": not (member.is_staff or member.is_superuser),
        "suspensions": suspensions,
        "is_suspended": any(suspension.is_in_force for suspension in suspensions),
        "comments": comments.select_related("post").order_by("-created_at", "-pk")[:RECENT_COMMENTS],
        "comment_totals": totals,
        "suspend_form": suspend_form or SuspendForm(),
    }
    return render(request, "moderation/members/member_detail.html", context, status=status)


def _member(username) -> User:
    return get_object_or_404(User, username=username)


@moderator_required
@require_safe
def member_detail(request, username):
    return _member_page(request, _member(username))


@moderator_required
@require_POST
def member_suspend(request, username):
    member = _member(username)
    form = SuspendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.member_suspend(
                member=member,
                actor=request.user,
                reason=data["reason"],
                until=data["until"],
                public_reason=data["public_reason"],
            )
        except ModerationDenied as denied:
            form.add_error(None, denied.message)
        else:
            messages.success(request, _("%(name)s is suspended.") % {"name": member.public_name})
            return redirect("moderation:member", username=member.username)
    return _member_page(request, member, suspend_form=form, status=HTTPStatus.BAD_REQUEST)


@moderator_required
@require_POST
def suspension_lift(request, pk):
    suspension = get_object_or_404(Suspension.objects.select_related("member"), pk=pk)
    member = suspension.member
    if not Suspension.objects.active().filter(pk=suspension.pk).exists():
        messages.info(request, _("That suspension had already ended."))
        return redirect("moderation:member", username=member.username)
    form = LiftForm(request.POST, suspension=suspension)
    if not form.is_valid():
        return _member_page(request, member, lift_form=form, status=HTTPStatus.BAD_REQUEST)
    services.suspension_lift(suspension=suspension, actor=request.user, reason=form.cleaned_data["note"])
    messages.success(request, _("The suspension of %(name)s is lifted.") % {"name": member.public_name})
    return redirect("moderation:member", username=member.username)


# --- The logs ------------------------------------------------------------------------


def _read_times(actions) -> None:
    for action in actions:
        action.times = {key: parse_datetime(action.details[key]) for key in TIME_DETAILS if action.details.get(key)}


def _page_query(request) -> str:
    """The current filters, for the pagination links to keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@moderator_required
@require_safe
def moderation_log(request):
    form = LogFilterForm(request.GET or None)
    actions = ModerationAction.objects.for_log()
    if form.is_bound:
        # Wrong filters list nothing rather than everything: no misleading page.
        actions = form.filter(actions) if form.is_valid() else actions.none()
    page = Paginator(actions, LOG_PER_PAGE).get_page(request.GET.get("page"))
    _read_times(page.object_list)
    context = {"form": form, "page": page, "page_query": _page_query(request)}
    return render(request, "moderation/members/log.html", context)


@require_safe
def public_log(request):
    name_moderators = settings.MODERATION_NAME_MODERATORS
    actions = ModerationAction.objects.public()
    if name_moderators:
        actions = actions.select_related("actor")
    page = Paginator(actions, LOG_PER_PAGE).get_page(request.GET.get("page"))
    _read_times(page.object_list)
    context = {"page": page, "name_moderators": name_moderators}
    return render(request, "moderation/members/public_log.html", context)


# --- Reaching the moderators ---------------------------------------------------------


@require_safe
def contact(request):
    help_links = [link for link in settings.SITE_HELP_LINKS if link["url"] != request.path]
    context = {"help_links": help_links, "contact_email": settings.MODERATION_CONTACT_EMAIL}
    return render(request, "moderation/members/contact.html", context)


urlpatterns = [
    path("members/<str:username>/", member_detail, name="member"),
    path("members/<str:username>/suspend/", member_suspend, name="member-suspend"),
    path("suspensions/<int:pk>/lift/", suspension_lift, name="suspension-lift"),
    path("log/", moderation_log, name="log"),
    path("public-log/", public_log, name="public-log"),
    path("contact/", contact, name="contact"),
]
