"""Signed unsubscribe links: they work without signing in, for one member and one kind of email."""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext as _

from accounts.models import User
from forum.notifications.models import Kind

SALT = "forum.notifications.unsubscribe"
ALL = "all"
# Long enough for an old email in someone's inbox; a dead link points to the settings page.
VALID_FOR = timedelta(days=90)


def make(user, scope: str) -> str:
    return signing.dumps({"member": user.pk, "scope": scope}, salt=SALT, compress=True)


@dataclass(frozen=True)
class Reading:
    user: User | None = None
    scope: str = ""
    problem: str = ""  # "expired" or "invalid" when the link cannot be used


def read(token: str) -> Reading:
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        return Reading(problem="expired")
    except signing.BadSignature:
        return Reading(problem="invalid")
    scope = data.get("scope") if isinstance(data, dict) else None
    user = User.objects.filter(pk=data.get("member"), deleted_at__isnull=True).first() if scope else None
    if user is None or scope not in {ALL, *Kind.values}:
        return Reading(problem="invalid")
    return Reading(user=user, scope=scope)


def kinds(scope: str) -> list[str]:
    return list(Kind.values) if scope == ALL else [scope]


def describe(scope: str) -> str:
    """What an unsubscribe link turns off, in words."""
    if scope == ALL:
        return _("all notification emails")
    return _("emails about %(kind)s") % {"kind": Kind(scope).label.lower()}
