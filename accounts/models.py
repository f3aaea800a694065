import re

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.usernames import normalize, username_key
from forum.addresses import address

AVATAR_COLOURS = 12
# Underscores, dots and hyphens separate the words of a name as spaces do.
WORD_SEPARATORS = re.compile(r"[\s_.-]+")


def initials_of(name: str) -> str:
    """The first letter or digit of the name's first two words that have one, in capitals:
    "Maya (moderator)" gives MM, "O'Brien" gives O, "(((" gives nothing.

    A thread page asks this of every member on it: it reads only up to the letters it needs.
    """
    letters = ""
    for part in WORD_SEPARATORS.split(name):
        for char in part:
            if char.isalnum():
                # upper() can lengthen a letter ("ß" gives "SS"); one letter per word.
                letters += char.upper()[0]
                if len(letters) == 2:
                    return letters
                break
    return letters


class PublicIdentity:
    """How a member appears beside what they write: name, initials, avatar colour.

    Reads `username`, `display_name` and `deleted_at`, so that a thread page can show
    its authors from plain rows (see forum.comments.rows) exactly as from accounts.
    """

    __slots__ = ()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_name(self) -> str:
        if self.is_deleted:
            return str(_("deleted user"))
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        if self.is_deleted:
            return "?"
        return initials_of(self.public_name) or initials_of(self.username) or "?"

    @property
    def avatar_colour(self) -> int:
        # Stable per account, independent of PYTHONHASHSEED.
        return sum(self.username.encode()) % AVATAR_COLOURS


class ForumUserManager(UserManager):
    def get_by_natural_key(self, username):
        # Sign-in by username ignores case and look-alike characters, like uniqueness does.
        return self.get(username_key=username_key(username))

    def for_session(self):
        """The signed-in user as every request loads it: with the facts each page asks
        about (is this a moderator? may they write?) read in the same query."""
        from accounts.restrictions import session_annotations

        return self.annotate(**session_annotations())


class User(PublicIdentity, AbstractUser):
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("short bio"), max_length=500, blank=True)
    username_key = models.CharField(max_length=150, unique=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ForumUserManager()

    def save(self, *args, **kwargs):
        self.username = normalize(self.username)
        self.username_key = username_key(self.username)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("accounts:profile", "username", self.username)
