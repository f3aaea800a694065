from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.models import User
from forum.comments.models import Comment


def profile(request, username):
    member = get_object_or_404(User, username=username, deleted_at__isnull=True)
    comments = Comment.objects.recent_by(member)
    return render(request, "account/profile.html", {"member": member, "comments": comments})


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been updated."))
        return redirect("accounts:profile-edit")
    return render(request, "account/profile_edit.html", {"form": form})


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request, _("Your account has been deleted. Your comments remain, shown as from “deleted user”.")
        )
        return redirect("home")
    return render(request, "account/account_delete.html", {"form": form})
