"""Account journeys as a member makes them, in Chromium, with axe-core on every page."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD, CommentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet-lantern-over-the-harbour"
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def sign_in_with_form(page, axe, *, login: str, password: str = PASSWORD):
    page.goto(reverse("account_login"))
    axe(page)
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def test_sign_up_confirm_email_and_sign_out(page, axe):
    page.goto(reverse("home"))
    axe(page)
    main_nav(page).get_by_role("link", name="Sign up").click()
    axe(page)

    page.get_by_label("Username").fill("harbourlight")
    page.get_by_label("Email").fill("harbourlight@example.com")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()  # not until the address is confirmed
    axe(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["harbourlight@example.com"]
    link = CONFIRMATION_LINK.search(mail.outbox[0].body).group(0)
    page.goto(link)
    axe(page)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()
    expect(main_nav(page)).to_contain_text("harbourlight")
    axe(page)

    main_nav(page).get_by_role("button", name="Sign out").click()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    expect(main_nav(page)).not_to_contain_text("harbourlight")
    axe(page)


@pytest.mark.parametrize("login_with", ["username", "email"])
def test_sign_in(page, axe, login_with):
    member = UserFactory(display_name="Rowan Ash")

    sign_in_with_form(page, axe, login=getattr(member, login_with))

    expect(main_nav(page)).to_contain_text("Rowan Ash")
    expect(main_nav(page).get_by_role("button", name="Sign out")).to_be_visible()
    axe(page)


def test_changed_display_name_shows_in_header_and_public_profile(page, axe):
    member = UserFactory(display_name="")
    sign_in_with_form(page, axe, login=member.username)

    main_nav(page).get_by_role("link", name="Settings").click()
    axe(page)
    page.get_by_label("Display name").fill("Kestrel Moon")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status")).to_contain_text("Your profile has been updated.")
    expect(main_nav(page)).to_contain_text("Kestrel Moon")
    axe(page)
    page.goto(reverse("accounts:profile", kwargs={"username": member.username}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kestrel Moon")
    axe(page)


def test_deleted_account_cannot_sign_in_and_its_comment_shows_deleted_user(page, axe):
    member = UserFactory(display_name="Tamsin Reed")
    comment = CommentFactory(author=member, body="I carry two doses now.")
    sign_in_with_form(page, axe, login=member.username)

    page.goto(reverse("accounts:delete"))
    axe(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_role("status")).to_contain_text("Your account has been deleted.")
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    axe(page)
    sign_in_with_form(page, axe, login=member.username)
    expect(page.get_by_role("main").locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()
    axe(page)
    page.goto(comment.post.get_absolute_url())
    thread_comment = page.locator("article", has_text="I carry two doses now.").last
    expect(thread_comment).to_contain_text("deleted user")
    expect(page.get_by_role("main")).not_to_contain_text("Tamsin Reed")
    axe(page)
