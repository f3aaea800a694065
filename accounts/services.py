from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase a member's personal data but keep the row, so their comments keep their place.

    The comments stay, shown as from "deleted user"; the email addresses, names,
    bio and password are gone, and the account can never sign in again.
    """
    EmailAddress.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.display_name = ""
    user.bio = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
