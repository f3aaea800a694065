"""Django's gettext and ngettext, kept per language.

Each call of Django's own looks the active language up (a context variable) and then
the message in its catalog; a post page asks for some fifty texts. A language's
catalog does not change while the process runs, so a text is translated once per
language and message; only the active language is looked up on each call.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation


def gettext(message: str) -> str:
    return translated(translation.get_language(), message)


def ngettext(singular: str, plural: str, number: int) -> str:
    return translated_plural(translation.get_language(), singular, plural, number)


# `language` must be the active one (a page that knows it saves looking it up again):
# the translation is Django's, for the language active then.
@lru_cache(maxsize=2048)
def translated(language: str | None, message: str) -> str:
    return translation.gettext(message)


@lru_cache(maxsize=2048)
def translated_plural(language: str | None, singular: str, plural: str, number: int) -> str:
    return translation.ngettext(singular, plural, number)


@receiver(setting_changed)
def _forget(**kwargs):
    # Tests may add catalogs (LOCALE_PATHS) or change the site's language.
    translated.cache_clear()
    translated_plural.cache_clear()
