"""Who may be told something, and how: the checks every kind of notification shares."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from accounts.models import User
from forum.notifications.models import Follow, Preference
from forum.posts.models import Post


def preference_for(user) -> Preference:
    """The member's saved choices, or the defaults (unsaved) if they never chose."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def has_verified_email(user) -> bool:
    return bool(user.email) and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


@dataclass
class Audience:
    members: dict[int, User]
    preferences: dict[int, Preference] = field(default_factory=dict)
    verified: set[int] = field(default_factory=set)

    def preference(self, user_id: int) -> Preference:
        return self.preferences.get(user_id) or Preference(user_id=user_id)


def audience(user_ids, *, post: Post | None = None, exclude: int | None = None) -> Audience:
    """The members among `user_ids` who can be told anything, with their settings.

    Left out: `exclude` (whoever caused the event), deleted and deactivated accounts and,
    when the event is about `post`, members who muted it or cannot open it.
    """
    ids = {pk for pk in user_ids if pk is not None and pk != exclude}
    if post is not None and ids:
        ids -= set(
            Follow.objects.filter(post=post, user_id__in=ids, state=Follow.State.MUTED).values_list(
                "user_id", flat=True
            )
        )
    members = {user.pk: user for user in User.objects.filter(pk__in=ids, is_active=True, deleted_at__isnull=True)}
    if post is not None and not post.is_published:
        # Only the author and staff can open an unpublished post.
        members = {pk: user for pk, user in members.items() if _can_open(user, post)}
    if not members:
        return Audience(members={})
    preferences = {pref.user_id: pref for pref in Preference.objects.filter(user_id__in=members)}
    addresses = EmailAddress.objects.filter(user_id__in=members, verified=True).values_list("user_id", "email")
    verified = {
        user_id
        for user_id, email in addresses
        if members[user_id].email and email.casefold() == members[user_id].email.casefold()
    }
    return Audience(members=members, preferences=preferences, verified=verified)


def _can_open(user, post: Post) -> bool:
    return Post.objects.visible_to(user).filter(pk=post.pk).exists()
