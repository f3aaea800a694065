"""Moderation journeys in Chromium: each person in a browser of their own, axe-core on every page."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.roles import MODERATORS_GROUP
from forum.moderation.models import Suspension
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Night buses after the timetable change"
COMMENTS_CLOSED = "Comments are closed."
# The site's default "where to go now" links (SITE_HELP_LINKS): one plain line, one link.
HELP_LINE = "If you or someone near you is in danger, call your local emergency number"
HELP_LINK = "Talk to the moderators"


@pytest.fixture
def post():
    return PostFactory(title=TITLE)


@pytest.fixture
def moderator():
    moderator = UserFactory(display_name="Mira Castell")
    # A data migration makes the group, but after an earlier browser test in the session emptied
    # the tables it is not always restored: make sure it is there.
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return moderator


@pytest.fixture
def open_as(browser, live_server, page_watcher, _cookies_over_http):
    """Open a tab in a browser context of its own, signed in as `user` or signed out.

    Each person keeps their own cookies, as on their own device; the shared watcher
    sees every tab, so the axe check still fails on foreign requests or script errors.
    """
    contexts = []

    def open_tab(user=None):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 800})
        context.set_default_timeout(5_000)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        tab = context.new_page()
        tab.on("request", page_watcher.on_request)
        tab.on("console", page_watcher.on_console)
        tab.on("pageerror", page_watcher.on_page_error)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def heading(page):
    return page.get_by_role("heading", level=2, name=re.compile(rf"comments? on “{TITLE}”$"))


def comments_heading(count: int) -> str:
    return f"{count} comment{'' if count == 1 else 's'} on “{TITLE}”"


def thread_comment(page, text: str):
    return page.get_by_role("article").filter(has_text=text)


def comment_box(page):
    return page.get_by_role("textbox", name="Your comment")


def post_by_hand(page, post, text: str):
    """Send a comment the page did not offer, as a hand-made form would, and return the answer.

    The form reuses the page's CSRF token: only the rules on the server stand in the way.
    """
    action = reverse("comments:create", kwargs={"slug": post.slug})
    with page.expect_response(
        lambda response: response.request.method == "POST" and response.url.endswith(action)
    ) as answer:
        page.evaluate(
            """([action, text]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
                for (const [name, value] of [["csrfmiddlewaretoken", token], ["body", text]]) {
                    const input = document.createElement("input");
                    input.type = "hidden";
                    input.name = name;
                    input.value = value;
                    form.append(input);
                }
                document.body.append(form);
                form.submit();
            }""",
            [action, text],
        )
    page.wait_for_load_state("load")
    return answer.value


def expect_refusal_keeps_text(page, message: str, text: str):
    expect(page.get_by_role("heading", level=1)).to_have_text(message)
    expect(page.get_by_label("Your text was not posted. Here it is, so nothing is lost:")).to_have_value(text)


def test_closed_discussion_shows_the_reason_and_links_and_refuses_comments(
    page, axe, sign_in, open_as, moderator, post
):
    CommentFactory(post=post, body="The 93 still runs past midnight.")
    commenter = open_as(UserFactory(display_name="Noor Haddad"))
    commenter.goto(post.get_absolute_url())
    expect(thread_comment(commenter, "The 93 still runs").get_by_role("link", name="Reply")).to_be_visible()
    sign_in(moderator)
    page.goto(post.get_absolute_url())
    axe(page)

    page.get_by_role("link", name="Discussion settings").click()
    axe(page)
    close_section = page.get_by_role("region", name="Close comments")
    close_section.get_by_label("Reason (optional)").fill("This timetable is out of date; see the new thread.")
    close_section.get_by_role("button", name="Close comments").click()

    expect(page.get_by_role("status").filter(has_text=COMMENTS_CLOSED)).to_be_visible()
    axe(page)
    commenter.reload()
    notice = commenter.get_by_role("status").filter(has_text=COMMENTS_CLOSED)
    expect(notice).to_contain_text("This timetable is out of date; see the new thread.")
    expect(notice).to_contain_text(HELP_LINE)
    expect(notice.get_by_role("link", name=HELP_LINK)).to_have_attribute("href", reverse("moderation:contact"))
    expect(thread_comment(commenter, "The 93 still runs")).to_be_visible()
    expect(commenter.get_by_role("link", name="Reply")).to_have_count(0)
    expect(comment_box(commenter)).to_have_count(0)
    expect(commenter.get_by_role("button", name="Post comment")).to_have_count(0)
    axe(commenter)
    answer = post_by_hand(commenter, post, "But the 93 skips my stop now.")
    assert answer.status == HTTPStatus.FORBIDDEN
    expect_refusal_keeps_text(commenter, COMMENTS_CLOSED, "But the 93 skips my stop now.")
    expect(commenter.get_by_role("status")).to_contain_text("This timetable is out of date; see the new thread.")
    axe(commenter)
    assert post.comments.count() == 1


def test_new_members_first_comment_waits_for_approval(page, axe, sign_in, open_as, moderator, post, settings):
    CommentFactory(post=post, body="The 93 still runs past midnight.")
    settings.MODERATION_TRUST_AFTER = 1
    newcomer = open_as(UserFactory(display_name="Pim de Vries"))
    reader = open_as()
    newcomer.goto(post.get_absolute_url())
    axe(newcomer)

    comment_box(newcomer).fill("The N12 now leaves from stop C.")
    newcomer.get_by_role("button", name="Post comment").click()

    held = thread_comment(newcomer, "The N12 now leaves from stop C.")
    expect(held).to_contain_text("Your comment is awaiting moderation.")
    axe(newcomer)
    reader.goto(post.get_absolute_url())
    expect(heading(reader)).to_have_text(comments_heading(1))
    expect(reader.get_by_role("main")).not_to_contain_text("The N12 now leaves from stop C.")
    axe(reader)

    sign_in(moderator)
    page.goto(reverse("home"))
    main_nav(page).get_by_role("link", name="Queue (1)").click()
    axe(page)
    item = page.get_by_role("article", name="Comment by Pim de Vries")
    expect(item).to_contain_text("Held for approval")
    expect(item).to_contain_text("The N12 now leaves from stop C.")
    item.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Comment approved: everyone can see it now.")).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="Queue (0)")).to_be_visible()
    expect(page.get_by_role("article", name="Comment by Pim de Vries")).to_have_count(0)
    axe(page)

    reader.reload()
    expect(thread_comment(reader, "The N12 now leaves from stop C.")).to_be_visible()
    expect(heading(reader)).to_have_text(comments_heading(2))
    axe(reader)


def test_three_reports_hide_a_comment_until_a_moderator_keeps_it(page, axe, sign_in, open_as, moderator, post):
    author = UserFactory(display_name="Oskar Lind")
    CommentFactory(post=post, author=author, body="Drivers on this route are all useless.")
    reasons = ["Harassment or abuse", "Harassment or abuse", "Shares someone's personal information"]
    reader = open_as()
    reader.goto(post.get_absolute_url())
    expect(thread_comment(reader, "Drivers on this route")).to_be_visible()

    for number, reason in enumerate(reasons, start=1):
        reporter = open_as(UserFactory(display_name=f"Reporter {number}"))
        reporter.goto(post.get_absolute_url())
        thread_comment(reporter, "Drivers on this route").get_by_role("link", name="Report").click()
        expect(reporter.get_by_role("heading", level=1)).to_have_text("Report a comment")
        axe(reporter)
        reporter.get_by_label(reason).check()
        reporter.get_by_label("Anything moderators should know").fill(f"Report number {number}.")
        reporter.get_by_role("button", name="Send report").click()
        expect(reporter.get_by_text("Thank you. A moderator will look at your report")).to_be_visible()
        axe(reporter)

    reader.reload()
    expect(reader.get_by_role("main")).not_to_contain_text("Drivers on this route are all useless.")
    axe(reader)
    sign_in(moderator)
    page.goto(reverse("home"))
    main_nav(page).get_by_role("link", name="Queue (1)").click()
    item = page.get_by_role("article", name="Comment by Oskar Lind")
    expect(item).to_contain_text("Hidden after reports")
    expect(item).to_contain_text("3 reports")
    expect(item.get_by_role("listitem").filter(has_text="Harassment or abuse")).to_have_count(2)
    expect(item.get_by_role("listitem").filter(has_text="Shares someone's personal information")).to_contain_text(
        "Report number 3."
    )
    axe(page)
    item.get_by_role("button", name="Keep it up, dismiss reports").click()

    expect(page.get_by_text("Dismissed 3 reports; the comment stays up.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting.")).to_be_visible()
    axe(page)
    reader.reload()
    expect(thread_comment(reader, "Drivers on this route are all useless.")).to_be_visible()
    axe(reader)


def test_suspended_member_can_read_but_not_comment_until_lifted(page, axe, sign_in, open_as, moderator, post):
    CommentFactory(post=post, body="The 93 still runs past midnight.")
    member = UserFactory(display_name="Lena Brandt")
    sign_in(moderator)
    page.goto(reverse("accounts:profile", kwargs={"username": member.username}))
    axe(page)

    page.get_by_role("link", name="Moderate this member").click()
    axe(page)
    suspend_form = page.get_by_role("form", name="Suspend this member")
    suspend_form.get_by_label("3 days").check()
    suspend_form.get_by_role("textbox", name=re.compile(r"^Reason")).fill("Third warning about insults this month.")
    suspend_form.get_by_label("Public reason (optional)").fill("Repeated personal attacks.")
    suspend_form.get_by_role("button", name="Suspend", exact=True).click()

    expect(page.get_by_text("Lena Brandt is suspended.")).to_be_visible()
    axe(page)
    suspension = Suspension.objects.get(member=member)
    assert timezone.timedelta(days=3) - (suspension.ends_at - timezone.now()) < timezone.timedelta(minutes=1)
    end = date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")
    message = (
        f"Your account is suspended until {end}, so you can read but not post, comment, like or report. "
        "Reason: Repeated personal attacks."
    )
    suspended = open_as(member)
    suspended.goto(post.get_absolute_url())
    expect(suspended.get_by_role("status").filter(has_text="Your account is suspended")).to_contain_text(message)
    expect(thread_comment(suspended, "The 93 still runs")).to_be_visible()
    expect(comment_box(suspended)).to_have_count(0)
    expect(suspended.get_by_role("link", name="Reply")).to_have_count(0)
    expect(suspended.get_by_role("link", name="Report")).to_have_count(0)
    axe(suspended)
    thread_comment(suspended, "The 93 still runs").get_by_role("button", name="Like").click()
    expect(suspended.get_by_role("heading", level=1)).to_have_text(message)
    axe(suspended)
    suspended.goto(post.get_absolute_url())
    answer = post_by_hand(suspended, post, "Only the facts, I promise.")
    assert answer.status == HTTPStatus.FORBIDDEN
    expect_refusal_keeps_text(suspended, message, "Only the facts, I promise.")
    axe(suspended)
    assert post.comments.count() == 1

    page.get_by_role("button", name="Lift this suspension now").click()
    expect(page.get_by_text("The suspension of Lena Brandt is lifted.")).to_be_visible()
    axe(page)
    suspended.goto(post.get_absolute_url())
    expect(suspended.get_by_text("Your account is suspended")).to_have_count(0)
    comment_box(suspended).fill("Only the facts, I promise.")
    suspended.get_by_role("button", name="Post comment").click()
    expect(thread_comment(suspended, "Only the facts, I promise.")).to_be_visible()
    expect(heading(suspended)).to_have_text(comments_heading(2))
    axe(suspended)
