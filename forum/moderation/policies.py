"""The moderation rules that lower apps consult through their registries.

Registered in ModerationConfig.ready(): what holds a new comment for approval,
what makes a member unable to write, and slow mode.
"""

import logging
import re
from functools import lru_cache

import regex
from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from accounts.restrictions import Restriction
from accounts.roles import is_moderator
from forum.comments.models import Comment
from forum.comments.policies import HoldDecision, Submission
from forum.comments.rules import Refusal
from forum.compiled import CompiledQuery, Placeholder
from forum.moderation.models import Suspension, WatchPhrase

logger = logging.getLogger(__name__)

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
# How long one watch pattern may search one comment. A pattern that backtracks badly
# can take minutes on a short text; the comment waits for a moderator instead.
PATTERN_TIME_LIMIT_SECONDS = 0.05


def has_active_suspension():
    """Loaded with the signed-in user, so most pages never ask about suspensions separately.

    The database's clock, not this process's: the query is compiled once (forum.compiled)."""
    return Exists(Suspension.objects.active(at=Now()).filter(member_id=OuterRef("pk")))


def suspension_restriction(user) -> Restriction | None:
    if getattr(user, "has_active_suspension", True) is False:
        return None
    suspension = Suspension.objects.active().filter(member=user).order_by("-ends_at").first()
    if suspension is None:
        return None
    if suspension.ends_at:
        message = _(
            "Your account is suspended until %(end)s, so you can read but not post, comment, like or report."
        ) % {"end": date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")}
    else:
        message = _("Your account is suspended, so you can read but not post, comment, like or report.")
    if suspension.public_reason:
        message = f"{message} {_('Reason:')} {suspension.public_reason}"
    return Restriction(code="suspended", message=message, until=suspension.ends_at)


def hold_everything(submission: Submission) -> HoldDecision | None:
    if settings.MODERATION_HOLD_ALL or submission.post.hold_all_comments:
        return HoldDecision(_("All comments here are approved by a moderator first."))
    return None


def hold_guests(submission: Submission) -> HoldDecision | None:
    if submission.author is None:
        return HoldDecision(_("Comments from guests are approved by a moderator first."))
    return None


def hold_new_members(submission: Submission) -> HoldDecision | None:
    author = submission.author
    trust_after = settings.MODERATION_TRUST_AFTER
    if author is None or not trust_after or is_moderator(author):
        return None
    if len(_first_approved(trust_after).run(member=author.pk)) < trust_after:
        return HoldDecision(_("A new member's first comments are approved by a moderator."))
    return None


@lru_cache(maxsize=8)
def _first_approved(count: int) -> CompiledQuery:
    """Up to `count` of a member's approved comments: every comment written asks, so the
    query is compiled once per threshold (forum.compiled). It stops at the threshold, as a
    long-standing member has thousands; unordered, so the database takes the first rows
    it finds instead of sorting them all."""
    member = Placeholder("member", models.BigIntegerField())
    approved = Comment.objects.filter(author_id=member, held_at__isnull=True, removed_at__isnull=True)
    return CompiledQuery(lambda: approved.order_by().only("pk")[:count])


def hold_many_links(submission: Submission) -> HoldDecision | None:
    limit = settings.MODERATION_MAX_LINKS
    if len(LINK.findall(submission.body)) > limit:
        return HoldDecision(
            _("Comments with more than %(limit)s links are approved by a moderator.") % {"limit": limit}
        )
    return None


@lru_cache(maxsize=512)
def _compiled(phrase: str, is_pattern: bool) -> regex.Pattern | None:
    source = phrase if is_pattern else r"(?<!\w)" + regex.escape(phrase) + r"(?!\w)"
    try:
        return regex.compile(source, regex.IGNORECASE)
    except regex.error:
        return None


def pattern_runs_out_of_time(phrase: str) -> bool:
    """Whether a pattern backtracks so badly that it cannot search a long word in time:
    the check a moderator's new pattern meets before it is saved."""
    pattern = _compiled(phrase, True)
    if pattern is None:
        return False
    trial = "a" * 2000 + "!"
    try:
        pattern.search(f"{trial} {trial.upper()} 1{'0' * 2000}x", timeout=PATTERN_TIME_LIMIT_SECONDS)
    except TimeoutError:
        return True
    return False


WATCH_PHRASES_KEY = "moderation:watch-phrases"
# Saving or deleting a phrase clears the list at once; the timeout bounds how long a
# cache that other processes do not share (the per-process memory cache) keeps an old one.
WATCH_PHRASES_TTL_SECONDS = 60


# Read for every comment written when nothing is cached: compiled once (forum.compiled).
ALL_WATCH_PHRASES = CompiledQuery(WatchPhrase.objects.all)


def watch_phrases() -> list[WatchPhrase]:
    """Every watch phrase, read from the cache: each new comment is checked against all of them."""
    phrases = cache.get(WATCH_PHRASES_KEY)
    if phrases is None:
        phrases = ALL_WATCH_PHRASES.run()
        cache.set(WATCH_PHRASES_KEY, phrases, WATCH_PHRASES_TTL_SECONDS)
    return phrases


def forget_watch_phrases() -> None:
    """Now, and again once the transaction commits, so a list read in between is not kept."""
    cache.delete(WATCH_PHRASES_KEY)
    transaction.on_commit(lambda: cache.delete(WATCH_PHRASES_KEY))


def matching_phrases(text: str) -> tuple[list[WatchPhrase], list[WatchPhrase]]:
    """The phrases found in `text`, and the patterns that ran out of time looking."""
    found, undecided = [], []
    for watch in watch_phrases():
        pattern = _compiled(watch.phrase, watch.is_pattern)
        if pattern is None:
            continue
        try:
            if pattern.search(text, timeout=PATTERN_TIME_LIMIT_SECONDS):
                found.append(watch)
        except TimeoutError:
            logger.warning("Watch pattern %s ran out of time on a comment; it is held for review", watch.pk)
            undecided.append(watch)
    return found, undecided


def hold_watched_phrases(submission: Submission) -> list[HoldDecision]:
    found, undecided = matching_phrases(submission.body)
    decisions = []
    for watch in found:
        if watch.action == WatchPhrase.Action.REJECT:
            decisions.append(
                HoldDecision(
                    _("This comment contains wording this site does not accept. Please rephrase it."), reject=True
                )
            )
        else:
            label = watch.note or _("a watched phrase")
            decisions.append(HoldDecision(_("Matched %(label)s.") % {"label": label}, urgent=watch.action == "urgent"))
    for watch in undecided:
        # Neither refused nor let through on a guess: a person decides.
        label = watch.note or _("a watched pattern")
        decisions.append(
            HoldDecision(_("Could not check %(label)s in time.") % {"label": label}, urgent=watch.action == "urgent")
        )
    return decisions


def slow_mode(user, post, parent) -> Refusal | None:
    interval = post.slow_mode_seconds
    if not interval or not user.is_authenticated or is_moderator(user):
        return None
    last = (
        Comment.objects.filter(post=post, author=user)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return None
    ready_at = last + timezone.timedelta(seconds=interval)
    if ready_at <= timezone.now():
        return None
    return Refusal(
        code="slow_mode",
        message=_("This discussion is in slow mode. You can comment again in %(wait)s.")
        % {"wait": timeuntil(ready_at)},
        details={"retry_at": ready_at.isoformat(), "interval_seconds": interval},
    )
