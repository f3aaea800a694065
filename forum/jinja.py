"""The Jinja2 environment: the site's layout, its post page and its listings, the pages most read.

Django's own template language costs a few microseconds a tag, and the layout and
the post page around a thread hold a few hundred: 1.5 to 2 ms of a 5 ms page of 100
comments. Jinja2 compiles a template to Python once, and draws the same frame in a
fraction of that time. Every other page stays in Django's language (forms through
crispy-forms, allauth's pages) and reaches the same layout through `{% layout %}`
(forum/layout.py).

Templates see what Django's would: the same context processors, `url()` for
`{% url %}`, `static()` for `{% static %}`, `_()`/`{% trans %}` through Django's
translations (kept per language: forum.translations), and Django's `date` and
`urlencode` filters.
"""

from datetime import datetime
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.template.backends.utils import csrf_input
from django.templatetags.static import static as django_static
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment, pass_context

from forum import addresses
from forum.comments.jinja import comment_thread
from forum.posts.rules import can_edit_post, can_start_discussion
from forum.translations import translated, translated_plural


def url(name: str, *args, **kwargs) -> str:
    """`{% url %}`: `url("home")`, `url("posts:detail", slug=post.slug)`; a route with no
    argument or one named one is reversed once (forum.addresses)."""
    if args:
        return reverse(name, args=args, kwargs=kwargs or None)
    if not kwargs:
        return addresses.fixed(name)
    if len(kwargs) == 1:
        [(kwarg, value)] = kwargs.items()
        return addresses.address(name, kwarg, value)
    return reverse(name, kwargs=kwargs)


@pass_context
def date(context, value, format: str | None = None) -> str:
    """Django's `date` filter, given the time in the current time zone as Django's
    templates give it (the filter expects local time); ISO 8601 ("c") written directly."""
    value = template_localtime(value)
    if not isinstance(value, datetime):
        return defaultfilters.date(value, format)
    if format == "c":
        return value.isoformat()
    return _formatted(_language(context), format, value, value.tzinfo, value.utcoffset())


@lru_cache(maxsize=1024)
def _formatted(language: str | None, format: str | None, moment: datetime, zone, offset) -> str:
    # A post's times are the same on every view of its page: each is written once per
    # process. Aware datetimes are equal whenever they are the same instant, so the key
    # also holds the zone they are shown in (and its offset then).
    return defaultfilters.date(moment, format)


@lru_cache(maxsize=256)
def static(path: str) -> str:
    """`{% static %}`, kept per file: the storage's answer only changes with the settings."""
    return django_static(path)


def _language(context) -> str | None:
    # The page's language, from the i18n context processor, saves looking the active one
    # up for each of the fifty or so texts and dates of a page (forum.translations).
    return context.get("LANGUAGE_CODE") or translation.get_language()


@pass_context
def gettext(context, message: str) -> str:
    return translated(_language(context), message)


@pass_context
def ngettext(context, singular: str, plural: str, number: int) -> str:
    return translated_plural(_language(context), singular, plural, number)


def csrf_input_once(request) -> dict:
    """A context processor: the page's CSRF field, made at its first use and written
    again by every later form. Django's backend masks the token anew at each use (the
    post page has up to five forms), drawing 32 characters from the system's random
    source each time. Each page still gets its own masked value."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


@receiver(setting_changed)
def _forget(**kwargs):
    static.cache_clear()
    _formatted.cache_clear()  # date formats are settings too


def environment(**options) -> Environment:
    # As in Django's language, a missing value (no `request` on an error page, say) and
    # anything looked up on it print as nothing, rather than failing the page.
    options["undefined"] = ChainableUndefined
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # Old-style gettext: `_()` returns the text as it is, as `{% translate %}` does, so a
    # literal "%(name)s" meant for the page's script stays as written.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    # The extension's `_` looks `gettext` up and calls it: two calls through the
    # template's context for each of a page's few dozen texts. `_` is `gettext` itself.
    env.globals["_"] = gettext
    env.globals.update(
        static=static,
        url=url,
        can_edit_post=can_edit_post,
        can_start_discussion=can_start_discussion,
        comment_thread=comment_thread,
    )
    env.filters.update(date=date, urlencode=defaultfilters.urlencode)
    return env
