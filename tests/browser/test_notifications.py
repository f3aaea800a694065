"""Hearing about a reply, in Chromium: the bell, the notification, the reply in context, and unsubscribing."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from forum.comments.models import Comment
from forum.notifications.models import Channel, Preference
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNSUBSCRIBE_LINK = re.compile(r"https?://\S+/notifications/unsubscribe/\S+/")


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def post_comment(page, text: str, *, button: str = "Post comment"):
    form = page.locator("#reply-form")
    form.get_by_label("Your comment").fill(text)
    form.get_by_role("button", name=button).click()
    expect(page.locator(".comment-body", has_text=text)).to_be_visible()


def test_reply_reaches_the_author_who_opens_it_in_context_then_unsubscribes(
    page, context, axe, sign_in, live_server, settings
):
    settings.SITE_URL = live_server.url
    post = PostFactory(title="Night buses after the timetable change")
    author = UserFactory(display_name="Ada Quill")
    replier = UserFactory(display_name="Bram Soto")

    sign_in(author)
    page.goto(post.get_absolute_url())
    post_comment(page, "The last bus now leaves at 23:10.")
    comment = Comment.objects.get(body="The last bus now leaves at 23:10.")

    context.clear_cookies()
    sign_in(replier)
    page.goto(post.get_absolute_url())
    page.locator(f"#{comment.anchor} > article").get_by_role("link", name="Reply").click()
    post_comment(page, "On Sundays it is 22:40, sadly.", button="Post reply")
    reply = Comment.objects.get(body="On Sundays it is 22:40, sadly.")

    context.clear_cookies()
    sign_in(author)
    page.goto(reverse("home"))
    bell = main_nav(page).get_by_role("link", name="Notifications 1 unread")
    expect(bell).to_be_visible()
    axe(page)
    bell.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    axe(page)
    page.get_by_role("link", name=re.compile("Bram Soto replied to your comment")).click()

    expect(page).to_have_url(re.compile(rf"{post.get_absolute_url()}#{reply.anchor}$"))
    expect(page.locator(":target")).to_have_id(reply.anchor)
    expect(page.locator(f"#{reply.anchor}")).to_contain_text("On Sundays it is 22:40, sadly.")
    expect(main_nav(page).get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(page.locator("#follow")).to_contain_text("You follow this discussion")
    axe(page)

    [email] = [message for message in mail.outbox if message.to == [author.email]]
    assert "On Sundays it is 22:40, sadly." in email.body
    context.clear_cookies()
    page.goto(UNSUBSCRIBE_LINK.search(email.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop these emails?")
    axe(page)
    page.get_by_role("button", name="Unsubscribe").click()

    expect(page.get_by_role("status")).to_have_text(
        "We will not send you emails about replies to your comments any more."
    )
    axe(page)
    assert Preference.objects.get(user=author).reply == Channel.SITE
