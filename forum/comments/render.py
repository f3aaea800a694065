"""Thread markup in one pass over the laid-out rows.

A thread page can hold thousands of comments, and a template include per comment
costs a lookup, a context and a dozen filter calls each time. Everything that is the
same for the whole page (translated words, URL prefixes, month names) is worked out
once here; each comment then costs a few string joins. Every interpolated value is
escaped except `body_html`, which is stored already sanitised. The loop escapes with
the standard library's `html.escape`, which is what Django's `escape` runs, without
the lazy-string and safe-string wrapping that adds up over thousands of calls.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from html import escape as escape_text
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import escape
from django.utils.translation import get_language

from accounts.models import PublicIdentity
from forum.addresses import halves
from forum.comments.rows import AnyComment
from forum.translations import gettext as _
from forum.translations import translated_plural

# "HH:MM" for each minute of a day, by its number (hour * 60 + minute).
_CLOCK = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60))


def _url_around_slot(name: str, kwarg: str) -> tuple[str, str]:
    """A link's address in two halves around a comment id or a username, escaped for HTML."""
    head, tail = halves(name, kwarg)
    return escape(head), escape(tail)


@dataclass(frozen=True, slots=True)
class _Phrasebook:
    """What every page in one language shares: words, month names and link halves."""

    months_3: dict[int, str]
    months: dict[int, str]
    words: dict[str, str]
    profile_url: tuple[str, str]
    links: dict[str, tuple[str, str]]  # each footer link but "reply", in halves around the id


@lru_cache(maxsize=16)
def _phrasebook(language: str | None, script_prefix: str) -> _Phrasebook:
    """Worked out once per language and address prefix (the arguments are the cache's key)."""
    words = {
        "deleted": escape(_("This comment was deleted.")),
        "removed": escape(_("Removed by a moderator.")),
        "reviewed": escape(_("This comment is hidden while a moderator reviews it.")),
        "moderate": escape(_("Moderate")),
        "edited": escape(_("edited")),
        "edited_by_moderator": escape(_("edited by a moderator")),
        "your_held": escape(_("Your comment is awaiting moderation.")),
        "held": escape(_("Awaiting moderation")),
        "locked": escape(_("Replies to this part of the discussion are closed.")),
        "reopen": escape(_("They reopen on")),
        "like": escape(_("Like")),
        "reply": escape(_("Reply")),
        "edit": escape(_("Edit")),
        "delete": escape(_("Delete")),
        "report": escape(_("Report")),
    }
    links = {}
    for action, name, kwarg in (
        ("edit", "comments:edit", "pk"),
        ("delete", "comments:delete", "pk"),
        ("report", "moderation:report-comment", "pk"),
        ("moderate", "moderation:comment", "pk"),
    ):
        head, tail = _url_around_slot(name, kwarg)
        css = ' class="moderate-link"' if action == "moderate" else ""
        links[action] = (f'<a{css} href="{head}', f'{tail}">{words[action]}</a>')
    return _Phrasebook(
        months_3={number: escape_text(str(name).title()) for number, name in MONTHS_3.items()},
        months={number: escape_text(str(name)) for number, name in MONTHS.items()},
        words=words,
        profile_url=_url_around_slot("accounts:profile", "username"),
        links=links,
    )


@receiver(setting_changed)
def _forget_phrasebooks(**kwargs):
    # Tests may swap the URLs or the languages.
    _phrasebook.cache_clear()
    _counted.cache_clear()


@lru_cache(maxsize=1024)
def _counted(language: str | None, singular: str, plural: str, count: int) -> str:
    """A count of likes or replies ("3 likes"), translated, filled in and escaped once per language and number."""
    return escape(translated_plural(language, singular, plural, count) % {"counter": count})


def _avatar(member: PublicIdentity) -> str:
    initials = escape_text(member.initials)
    return f'<span class="avatar avatar-c{member.avatar_colour}" aria-hidden="true">{initials}</span>'


@lru_cache(maxsize=4096)
def _member_halves(username: str, display_name: str, profile_url: tuple[str, str]) -> tuple[str, str]:
    """A member's avatar and linked name, in two halves around the comment's anchor.

    The markup follows from these arguments alone (a deleted account, whose name is
    translated, is not written here), so it is kept for the pages that follow: a
    member's initials, name and address are escaped once rather than on every page.
    """
    member = _Member(username, display_name)
    href = f"{profile_url[0]}{escape_text(quote(username))}{profile_url[1]}"
    return (f'{_avatar(member)}<a class="author" id="', f'" href="{href}">{escape_text(member.public_name)}</a>')


class _Member(PublicIdentity):
    """A live account, as `_member_halves` knows it."""

    __slots__ = ("deleted_at", "display_name", "username")

    def __init__(self, username: str, display_name: str):
        self.username, self.display_name, self.deleted_at = username, display_name, None


class ThreadRenderer:
    """Writes one page of a thread for one reader."""

    def __init__(self, *, user, is_moderator: bool, reply_base: str, page_number: int, max_display_depth: int):
        """`reply_base` starts the reply links: the thread's address, or "" when the page
        is served at that address and a link of just "?replyto=..." reaches it."""
        self.user_pk = user.pk
        self.signed_in = user.is_authenticated
        self.is_moderator = is_moderator
        self.max_display_depth = max_display_depth
        zone = timezone.get_current_timezone()
        # The same zone, several times faster to convert into than its zoneinfo form.
        self.zone = UTC if getattr(zone, "key", None) == "UTC" else zone
        self.language = get_language()
        book = _phrasebook(self.language, get_script_prefix())
        self.months_3, self.months = book.months_3, book.months
        self.words, self.profile_url = book.words, book.profile_url
        page = f"&amp;page={page_number}" if page_number > 1 else ""
        reply_head, reply_tail = f"{escape(reply_base)}?replyto=", f"{page}#reply-form"
        self.links = {**book.links, "reply": (f'<a href="{reply_head}', f'{reply_tail}">{self.words["reply"]}</a>')}
        self._likes: dict[int, str] = {}
        self._replies: dict[int, str] = {}
        self._authors: dict[int, tuple[str, str]] = {}
        self._days: dict[int, tuple[str, str]] = {}
        # UTC, the zone most sites show, ends every time the same way; other zones
        # change their offset with the seasons, and it is looked up per moment.
        self._fixed_offset = "Z" if self.zone is UTC else None
        self._offsets: dict[timedelta | None, str] = {}

    # --- Words that depend on a number: one translation per distinct number on the page.

    def likes(self, count: int) -> str:
        text = self._likes.get(count)
        if text is None:
            text = self._likes[count] = _counted(self.language, "%(counter)s like", "%(counter)s likes", count)
        return text

    def replies(self, count: int) -> str:
        text = self._replies.get(count)
        if text is None:
            text = self._replies[count] = _counted(self.language, "%(counter)s reply", "%(counter)s replies", count)
        return text

    # --- Dates, in the reader's time zone, as the templates' "c" and "j M Y, H:i" formats.

    def time(self, moment: datetime, *, with_year: bool = True, full_month: bool = False) -> str:
        # Stored times are aware (USE_TZ) and come from the database in UTC, often the zone shown.
        local = moment if moment.tzinfo is self.zone else moment.astimezone(self.zone)
        # The machine-readable form is the ISO one to the minute (seconds add bytes, not
        # meaning). Formatting takes a microsecond or more a call, so the day is written
        # once per day on the page and the offset once per offset ("+01:00", "Z" for none).
        offset = self._fixed_offset
        if offset is None:
            offset = self._offsets.get(delta := local.utcoffset())
            if offset is None:
                offset = self._offsets[delta] = local.isoformat(timespec="minutes")[16:].replace("+00:00", "Z")
        clock = _CLOCK[local.hour * 60 + local.minute]
        if with_year and not full_month:  # every comment's own time
            day = self._days.get(ordinal := local.toordinal())
            if day is None:
                day = self._days[ordinal] = (
                    local.date().isoformat(),
                    f"{local.day} {self.months_3[local.month]} {local.year}",
                )
            iso_day, shown = day
        else:
            iso_day = local.date().isoformat()
            month = self.months[local.month] if full_month else self.months_3[local.month]
            shown = f"{local.day} {month} {local.year}" if with_year else f"{local.day} {month}"
        return f'<time datetime="{iso_day}T{clock}{offset}">{shown}, {clock}</time>'

    # --- One comment.

    def author(self, comment: AnyComment, label: str) -> str:
        """The avatar and the name, linked to the profile while the account exists."""
        if comment.author_id is None:
            name = escape_text(comment.author_name)
            avatar = '<span class="avatar avatar-c11" aria-hidden="true">?</span>'
            return f'{avatar}<span class="author" id="{label}">{name}</span>'
        # The same member writes many comments on a page: their part is built once,
        # in two halves around the comment's anchor.
        known = self._authors.get(comment.author_id)
        if known is None:
            member = comment.author
            if member.is_deleted:
                avatar = _avatar(member)
                known = (f'{avatar}<span class="author" id="', f'">{escape_text(member.public_name)}</span>')
            else:
                known = _member_halves(member.username, member.display_name, self.profile_url)
            self._authors[comment.author_id] = known
        return f"{known[0]}{label}{known[1]}"

    def comment(self, comment: AnyComment) -> str:
        """The <article> of one comment, or its placeholder."""
        pk = comment.pk
        # What names the article for assistive technology: its author, or its placeholder.
        label = f"by-{pk}"
        if comment.deleted_at or comment.removed_at or comment.is_placeholder:
            return self._placeholder(comment, label)
        words = self.words
        notes = ""
        if comment.edited_at:
            edited = words["edited_by_moderator"] if comment.edited_by_moderator else words["edited"]
            notes = f' <span class="comment-edited">{edited} {self.time(comment.edited_at, with_year=False)}</span>'
        parent = comment.parent_comment
        if comment.depth > self.max_display_depth and parent is not None:
            name = escape_text(_("in reply to %(name)s") % {"name": parent.author_name})
            notes += f' <a class="comment-in-reply" href="#comment-{parent.pk}">{name}</a>'
        # Deleted and removed comments are placeholders: a held one is the only kind left
        # that not everyone sees.
        is_visible = comment.held_at is None
        if not is_visible:
            notes += f'<p class="comment-held" role="status">{self._held_note(comment)}</p>'
        locked = self._lock_note(comment) if comment.locked_by is comment else ""
        if self.signed_in and is_visible:
            pressed = "true" if comment.is_liked else "false"
            like = (
                f'<button form="likes" name="comment" value="{pk}" aria-pressed="{pressed}">'
                f"{words['like']} <span>{comment.like_count}</span></button>"
            )
        elif comment.like_count:
            like = f'<span class="like-total">{self.likes(comment.like_count)}</span>'
        else:
            like = ""
        links = self._link("reply", pk) if comment.may_reply else ""
        if comment.may_edit or comment.may_delete or comment.may_report or self.is_moderator:
            links += self._rarer_links(comment)
        # The author, time and notes sit in the article's first row (see comments.css):
        # no wrapper, a few bytes less on every comment.
        return (
            f'<article{"" if is_visible else ' class="comment-gone"'} aria-labelledby="{label}">'
            f'{self.author(comment, label)} <a href="#comment-{pk}">{self.time(comment.created_at)}</a>{notes}'
            f'<div class="comment-body">{comment.body_html}</div>{locked}<footer>{like}{links}</footer></article>'
        )

    def _placeholder(self, comment: AnyComment, label: str) -> str:
        words = self.words
        if comment.deleted_at:
            text = words["deleted"]
        elif comment.removed_at:
            text = words["removed"]
            if comment.removal_reason_public and comment.removal_reason:
                text += f" {escape_text(comment.removal_reason)}"
            if self.is_moderator:
                text += f" {self._link('moderate', comment.pk)}"
        else:
            text = words["reviewed"]
        # Past the display depth a comment sits beside the one it answers, which a shown
        # comment names ("in reply to ..."); a placeholder says it to the page's script.
        answers = ""
        if comment.depth > self.max_display_depth and comment.parent_id:
            answers = f' data-reply-to="comment-{comment.parent_id}"'
        return (
            f'<article class="comment-gone" aria-labelledby="{label}"{answers}>'
            f'<p class="comment-placeholder" id="{label}">{text}</p></article>'
        )

    def _held_note(self, comment: AnyComment) -> str:
        """As the author sees it; a guest's own held comment too, in the answer to their post."""
        words = self.words
        if comment.author_id == self.user_pk:
            return words["your_held"]
        if comment.hold_reason:
            return f"{words['held']}: {escape_text(comment.hold_reason)}"
        return words["held"]

    def _lock_note(self, comment: AnyComment) -> str:
        words = self.words
        note = words["locked"]
        if comment.lock_reason:
            note += f" {escape_text(comment.lock_reason)}"
        if comment.lock_until:
            note += f" {words['reopen']} {self.time(comment.lock_until, full_month=True)}."
        return f'<p class="comment-locked" role="note">{note}</p>'

    def _link(self, action: str, pk: int) -> str:
        head, tail = self.links[action]
        return f"{head}{pk}{tail}"

    def _rarer_links(self, comment: AnyComment) -> str:
        """Edit and delete for the author, report for other members, moderate for moderators."""
        pk = comment.pk
        links = self._link("edit", pk) if comment.may_edit else ""
        if comment.may_delete:
            links += self._link("delete", pk)
        if comment.may_report:
            # Only signed-in readers see it, so no crawler follows it: no rel="nofollow" needed.
            links += self._link("report", pk)
        if self.is_moderator:
            links += self._link("moderate", pk)
        return links

    # --- The tree.

    def thread(self, comments: Iterable[AnyComment], *, before: dict[int, str], after: dict[int, str]) -> str:
        """The nested lists of a page of comments laid out by `tree.layout_thread`.

        `before` and `after` hold markup to place in a comment's item around its
        article (the help panel, the reply form), by comment id.
        """
        parts = ['<ol class="comment-list">']
        append = parts.append
        render = self.comment
        capped_at = self.max_display_depth
        for comment in comments:
            pk = comment.pk
            capped = ' data-depth-capped="true"' if comment.display_depth >= capped_at else ""
            if comment.opens_replies:
                end = f'<details class="replies" open><summary>{self.replies(comment.reply_total)}</summary><ol>'
            else:
                end = "</li>"
            append(
                f'<li id="comment-{pk}"{capped}>{before.get(pk, "")}{render(comment)}{after.get(pk, "")}{end}'
                f"{'</ol></details></li>' * comment.closes}"
            )
        append("</ol>")
        return "".join(parts)
