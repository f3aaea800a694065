"""The email for a delivery, built when it is sent, so it says what is still true then.

Each email goes to one member only and names other people by their public name;
no address but the recipient's appears in it. Comment text comes from the stored,
already sanitised HTML, cleaned again for mail with absolute links and no images.
"""

import html
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.notifications import tokens
from forum.notifications.audience import has_verified_email, preference_for
from forum.notifications.models import Channel, Delivery, Follow, Kind, Notification
from forum.posts.rendering import ATTRIBUTES, BASE_TAGS, URL_SCHEMES

QUOTE_CHARS = 1500  # a long comment is quoted up to here, then linked
_BLOCK_END = re.compile(r"</(p|li|blockquote|pre|h[2-6]|tr)>|<br\s*/?>|<hr\s*/?>")


class OneLineHeader(str):
    """A header value written out on one line, as it is.

    The email package folds header lines longer than 78 characters, and folds a value
    without spaces (an unsubscribe URL) only by RFC 2047-encoding it, which mail
    providers do not undo in List-Unsubscribe. A value with a matching `name` is taken
    as a header object already parsed (email.policy.EmailPolicy.header_store_parse)
    and written with its own `fold()`.
    """

    def __new__(cls, name: str, value: str):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __reduce__(self):
        # Copies (the test mail outbox keeps one) are made the same way.
        return (OneLineHeader, (self.name, str(self)))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def one_line(name: str, value: str) -> str:
    return OneLineHeader(name, value) if value.isascii() else value


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def contact_path() -> str:
    try:
        return reverse("moderation:contact")
    except NoReverseMatch:
        return "/moderation/contact/"


def sender() -> str:
    """DEFAULT_FROM_EMAIL, with the site's name shown if the setting names nobody."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or settings.SITE_NAME, address))


def comment_html(comment) -> str:
    """The comment's HTML for an email: shortened, links made absolute, images left out."""
    shortened = Truncator(comment.body_html).chars(QUOTE_CHARS, html=True)
    return nh3.clean(
        shortened,
        tags=BASE_TAGS,
        attributes={tag: attrs for tag, attrs in ATTRIBUTES.items() if tag in BASE_TAGS},
        url_schemes=URL_SCHEMES,
        url_relative=("rewrite_with_base", absolute("/")),
        link_rel="nofollow noopener",
    )


def comment_text(comment) -> str:
    """The comment as plain text, each line quoted with "> "."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", comment.body_html)))
    text = Truncator(text.strip()).chars(QUOTE_CHARS)
    lines = re.sub(r"\n{3,}", "\n\n", text).splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines)


@dataclass(frozen=True)
class Item:
    headline: str
    url: str = ""
    link_label: str = ""
    reason: str = ""
    contact_url: str = ""
    text: str = ""
    html: str = ""


def item(notification: Notification) -> Item:
    """One notification as an email shows it."""
    fields = {"headline": notification.headline}
    target = notification.target_url
    if target:
        fields["url"] = absolute(target)
        if notification.kind == Kind.CLOSING:
            fields["link_label"] = _("Open the discussion")
        elif notification.kind == Kind.MODERATION:
            fields["link_label"] = _("See your comment")
        else:
            fields["link_label"] = _("Read it in context")
    if notification.kind == Kind.MODERATION:
        fields["reason"] = notification.reason
        if notification.may_question:
            fields["contact_url"] = absolute(contact_path())
    elif notification.comment_id is not None:
        fields["text"] = comment_text(notification.comment)
        fields["html"] = comment_html(notification.comment)
    return Item(**fields)


def still_to_email(delivery: Delivery) -> list[Notification]:
    """The delivery's notifications the member still wants emailed and can still read."""
    recipient = delivery.recipient
    if recipient.deleted_at is not None or not recipient.is_active or not has_verified_email(recipient):
        return []
    preference = preference_for(recipient)
    notifications = list(delivery.notifications.select_related("actor", "post", "comment").order_by("created_at", "pk"))
    muted = set(
        Follow.objects.filter(
            user=recipient, state=Follow.State.MUTED, post_id__in={n.post_id for n in notifications}
        ).values_list("post_id", flat=True)
    )

    def wanted(notification: Notification) -> bool:
        if not notification.wants_email or preference.channel(notification.kind) != Channel.EMAIL:
            return False
        if notification.kind == Kind.MODERATION:
            return True
        if notification.post_id in muted:
            return False
        return notification.comment is None or notification.comment.is_visible

    return [notification for notification in notifications if wanted(notification)]


def build(delivery: Delivery) -> EmailMultiAlternatives | None:
    """The email to send for `delivery`, or None when nothing in it is to be sent any more."""
    notifications = still_to_email(delivery)
    if not notifications:
        return None
    recipient = delivery.recipient
    if delivery.is_digest:
        scope = tokens.ALL
        subject = ngettext(
            "Your daily digest: %(count)s notification",
            "Your daily digest: %(count)s notifications",
            len(notifications),
        ) % {"count": len(notifications)}
    else:
        scope = notifications[0].kind
        subject = notifications[0].headline.rstrip(".")
    unsubscribe_url = absolute(reverse("notifications:unsubscribe", kwargs={"token": tokens.make(recipient, scope)}))
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": absolute("/"),
        "recipient_name": recipient.public_name,
        "items": [item(notification) for notification in notifications],
        "is_digest": delivery.is_digest,
        "unsubscribe_url": unsubscribe_url,
        "unsubscribe_what": tokens.describe(scope),
        "settings_url": absolute(reverse("notifications:settings")),
        "notifications_url": absolute(reverse("notifications:list")),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string("notifications/email/message.txt", context),
        from_email=sender(),
        to=[recipient.email],
        headers={
            "List-Unsubscribe": one_line("List-Unsubscribe", f"<{unsubscribe_url}>"),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # The same for every try, so mail systems can recognise a repeat.
            "Message-ID": one_line(
                "Message-ID",
                f"<notification-delivery-{delivery.pk}.{delivery.created_at:%Y%m%d%H%M%S}@{_mail_domain()}>",
            ),
        },
    )
    message.attach_alternative(render_to_string("notifications/email/message.html", context), "text/html")
    return message


def _mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"
