from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from forum.moderation.rules import can_moderate


def moderator_required(view):
    """Visitors are asked to sign in; signed-in members who do not moderate get 403."""

    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked
