from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from forum.notifications import services, tokens
from forum.notifications.audience import has_verified_email, preference_for
from forum.notifications.emails import contact_path
from forum.notifications.forms import PreferenceForm
from forum.notifications.models import Follow, Notification
from forum.posts.models import Post

PER_PAGE = 30
FOLLOWS_SHOWN = 100


def follow_context(request, post) -> dict | None:
    """The post page's follow button: one small query for a signed-in reader of a
    published post; for anyone else, no section at all."""
    if not (request.user.is_authenticated and post.is_published):
        return None
    return {"follow_state": services.follow_state(request.user, post), "may_follow": True}


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_POST
def follow(request, slug):
    post = get_object_or_404(Post.objects.published(), slug=slug)
    following = request.POST.get("action") == "follow"
    services.follow_set(user=request.user, post=post, following=following)
    if following:
        messages.success(request, _("You follow this discussion: new comments will show in your notifications."))
    else:
        messages.success(request, _("You will not hear about this discussion any more, not even about replies."))
    return redirect(_back(request, f"{post.get_absolute_url()}#follow"))


@login_required
def notification_list(request):
    page = Paginator(Notification.objects.for_list(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "contact_url": contact_path()})


@login_required
def notification_open(request, pk):
    """Follow a notification to what it is about, marking it read on the way."""
    notification = get_object_or_404(Notification.objects.select_related("post"), pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, pk=notification.pk)
    return redirect(notification.target_url or "notifications:list")


@login_required
@require_POST
def notification_read(request, pk):
    services.notifications_mark_read(user=request.user, pk=pk)
    return redirect(_back(request, "notifications:list"))


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect(_back(request, "notifications:list"))


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, instance=preference_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:settings")
    follows = (
        Follow.objects.filter(user=request.user, post__in=Post.objects.published())
        .select_related("post")
        .order_by("state", "-changed_at")[:FOLLOWS_SHOWN]
    )
    context = {"form": form, "email_verified": has_verified_email(request.user), "follows": follows}
    return render(
        request,
        "notifications/preferences.html",
        context,
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


# No CSRF token: mail providers send the one-click POST of RFC 8058 themselves. The signed
# token in the address is what authorises it, and it can only turn emails off.
@csrf_exempt
def unsubscribe(request, token):
    """GET asks (link scanners follow links, and must not unsubscribe anyone); POST turns the emails off."""
    reading = tokens.read(token)
    if reading.problem:
        return render(
            request, "notifications/unsubscribe.html", {"problem": reading.problem}, status=HTTPStatus.BAD_REQUEST
        )
    context = {"what": tokens.describe(reading.scope), "member": reading.user}
    if request.method == "POST":
        services.emails_turn_off(user=reading.user, kinds=tokens.kinds(reading.scope))
        # Rendered, not redirected: the sender may be a mail provider, and there is no session to carry a message.
        return render(request, "notifications/unsubscribe.html", {**context, "done": True})
    return render(request, "notifications/unsubscribe.html", context)
