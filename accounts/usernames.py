"""Username rules: one place decides which names may exist.

A name is stored as typed (after NFKC normalisation) and also as a *key*: the
case-folded name with every non-ASCII look-alike replaced by the ASCII letter it
imitates. The key is unique in the database, so "Alice", "ALICE" and "Alice"
spelled with a Cyrillic first letter cannot all exist.
"""

import re
import unicodedata

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RESERVED = frozenset(
    {
        "admin", "administrator", "root", "system", "sysop", "staff", "moderator", "moderators", "mod", "mods",
        "support", "help", "security", "official", "forum", "team", "owner", "webmaster", "postmaster",
        "abuse", "noreply", "no-reply", "deleted", "deleted-user", "anonymous", "guest", "null", "none",
        "undefined", "api", "www", "mail", "account", "accounts", "login", "logout", "signup", "settings",
        "static", "media", "healthz", "readyz",
    }
)  # fmt: skip
# Account deletion renames the row to "deleted-<id>"; nobody may take that shape.
RESERVED_PREFIXES = ("deleted-", "deleted_", "deleted.")
ALLOWED_SHAPE = re.compile(r"^[\w.-]+\Z")
# Direction overrides, zero-width and other format characters can disguise a name.
INVISIBLE_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Zl", "Zp", "Zs"}


def normalize(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip()


def _ascii_lookalike(char: str) -> str:
    if char.isascii():
        return char
    for glyph in confusables.confusables_data.get(char, ()):
        if glyph["c"].isascii():
            return glyph["c"].casefold()
    return char


def username_key(username: str) -> str:
    """The form two names must not share: case-folded, look-alikes mapped to ASCII."""
    folded = normalize(username).casefold()
    return "".join(_ascii_lookalike(char) for char in folded)


def validate_username(username: str) -> None:
    name = normalize(username)
    if any(unicodedata.category(char) in INVISIBLE_CATEGORIES for char in name):
        raise ValidationError(_("Usernames cannot contain spaces or invisible characters."), code="invisible")
    if not ALLOWED_SHAPE.match(name):
        raise ValidationError(_("Use only letters, digits, dots, hyphens and underscores."), code="invalid")
    if confusables.is_mixed_script(name, allowed_aliases=["COMMON", "INHERITED"]):
        raise ValidationError(
            _("Use letters from one alphabet only; mixing alphabets makes names look alike."), code="mixed_script"
        )
    key = username_key(name)
    if key in RESERVED or key.startswith(RESERVED_PREFIXES):
        raise ValidationError(_("This username is reserved. Please choose another."), code="reserved")
