"""Restrictions on what a member may do, decided by apps that know why.

Moderation registers a check (a suspended member may read but not write); posts,
comments and reports ask `restriction_for` before any write, so none of them
imports moderation. The answer is kept on the user object for the request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Restriction:
    code: str
    message: str
    until: datetime | None = None


type RestrictionCheck = Callable[..., Restriction | None]
_checks: list[RestrictionCheck] = []
_UNSET = object()
# Columns computed when the signed-in user is loaded, so checks need no query of their own.
_annotations: dict[str, Callable[[], object]] = {}


def register_session_annotation(name: str, expression: Callable[[], object]) -> None:
    """Load `name` with the signed-in user, from the query expression `expression()` builds."""
    _annotations[name] = expression


def session_annotations() -> dict[str, object]:
    return {name: build() for name, build in _annotations.items()}


def register_restriction(check: RestrictionCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def restriction_for(user) -> Restriction | None:
    """What stops `user` from writing anything, or None. Anonymous users have none here."""
    if not user.is_authenticated:
        return None
    cached = getattr(user, "_restriction", _UNSET)
    if cached is _UNSET:
        cached = next((found for check in _checks if (found := check(user))), None)
        user._restriction = cached
    return cached


def forget_restriction(user) -> None:
    """Drop the cached answer, after a write that changes it."""
    user.__dict__.pop("_restriction", None)
