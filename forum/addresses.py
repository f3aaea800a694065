"""Addresses of posts, labels and members without a `reverse` for each one.

Django's `reverse` takes 15 to 20 µs a call: it tries the route's patterns against the
arguments and quotes the result. The home page asks for some 35 addresses of posts,
categories and members, the post page a dozen, all of the same few routes. `address`
reverses a route once per URL configuration and script prefix, around a stand-in
value, and then puts each value in the stand-in's place; `fixed` keeps the address of
a route without arguments. Only values that `reverse` would put in unchanged take that
way (ASCII letters, digits, `-` and `_`, which the `slug` and `str` converters take);
anything else goes through `reverse` itself.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Matches the stand-in and every value for which `reverse` gives what `address` gives:
# characters it does not quote, that the `slug` and `str` converters both take.
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
_STAND_IN = "999999999"  # digits: the `int` converter takes it too


def address(name: str, kwarg: str, value: str) -> str:
    """`reverse(name, kwargs={kwarg: value})`, for routes with that one argument."""
    if not isinstance(value, str) or not _PLAIN.fullmatch(value):
        return reverse(name, kwargs={kwarg: value})
    head, tail = halves(name, kwarg)
    return f"{head}{value}{tail}"


def fixed(name: str) -> str:
    """`reverse(name)`, for routes without arguments."""
    return _reversed(name, *_in_force())


@lru_cache(maxsize=128)
def _reversed(name: str, urlconf: str, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def halves(name: str, kwarg: str) -> tuple[str, str]:
    """The route's address before and after its one argument, for the URL configuration
    and script prefix in force: what goes around a value `reverse` would not quote."""
    return _around_stand_in(name, kwarg, *_in_force())


def _in_force() -> tuple[str, str]:
    # What `reverse` reads itself, and so what the addresses kept below are kept by.
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@lru_cache(maxsize=64)
def _around_stand_in(name: str, kwarg: str, urlconf: str, prefix: str) -> tuple[str, str]:
    head, tail = reverse(name, kwargs={kwarg: _STAND_IN}, urlconf=urlconf).split(_STAND_IN)
    return head, tail


@receiver(setting_changed)
def _forget(**kwargs):
    # Tests may swap the routes under the same module name.
    _around_stand_in.cache_clear()
    _reversed.cache_clear()
