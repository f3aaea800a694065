"""Layout and keyboard checks that only a real browser can make."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# A display name near its 80-character limit, and words no line can break at a space.
LONG_NAME = "Bartholomew " * 5 + "Featherstonehaugh"
UNBROKEN = "pneumonoultramicroscopicsilicovolcanoconiosis" * 2
LONG_LINK = "https://example.org/" + "a-very-long-path-segment/" * 6
WORD_OF_2000 = "w" * 2000


@pytest.fixture
def thread():
    """A post with a long title and body, and a reply chain deeper than the display depth."""
    post = PostFactory(
        title=f"A title with {UNBROKEN} in it",
        body=f"{UNBROKEN}\n\nSee <{LONG_LINK}>.\n\n    {UNBROKEN} {UNBROKEN}\n",
    )
    parent = None
    for depth in range(8):
        parent = CommentFactory(post=post, parent=parent, body=f"Reply at depth {depth}: {UNBROKEN} {LONG_LINK}")
    CommentFactory(post=post, body=f"A 2,000-character word must wrap: {WORD_OF_2000}")
    PostFactory.create_batch(3)
    return post


@pytest.fixture
def member(sign_in):
    member = UserFactory(display_name=LONG_NAME)
    sign_in(member)
    return member


def scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def elements_past_right_edge(page) -> list[str]:
    """The innermost elements reaching past the viewport, to say what made a page scroll."""
    return page.evaluate(
        """() => [...document.body.querySelectorAll('*')]
            .filter((el) => el.getBoundingClientRect().right > innerWidth + 1)
            .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > innerWidth + 1))
            .map((el) => el.outerHTML.slice(0, 120))"""
    )


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_home_and_post_pages_fit_a_phone_screen(page, axe, thread, sign_in, signed_in):
    if signed_in:
        sign_in(UserFactory(display_name=LONG_NAME))
    page.set_viewport_size(PHONE)

    for url in (reverse("home"), thread.get_absolute_url()):
        page.goto(url)

        assert scroll_width(page) <= PHONE["width"], f"{url} scrolls sideways: {elements_past_right_edge(page)}"
        axe(page)


def test_header_on_a_phone_keeps_the_account_links_on_one_row(page, member):
    page.set_viewport_size(PHONE)

    page.goto(reverse("home"))

    nav = page.get_by_role("navigation", name="Main")
    profile = nav.get_by_role("link", name=LONG_NAME)
    sign_out = nav.get_by_role("button", name="Sign out")
    assert profile.bounding_box()["y"] == pytest.approx(sign_out.bounding_box()["y"], abs=8)
    assert sign_out.bounding_box()["x"] + sign_out.bounding_box()["width"] <= PHONE["width"]
    assert nav.bounding_box()["height"] < 120


def test_skip_link_appears_on_first_tab_and_moves_focus_to_main(page, thread):
    page.goto(thread.get_absolute_url())
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).not_to_be_in_viewport()

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    box = skip_link.bounding_box()
    assert box["width"] > 40
    assert box["height"] > 20
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def focus_outline(page) -> dict:
    return page.evaluate(
        """() => {
            const focused = document.activeElement;
            const style = getComputedStyle(focused);
            return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), tag: focused.tagName};
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_outlined(page, member, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(reverse("home"))
    nav = page.get_by_role("navigation", name="Main")

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site name
    page.keyboard.press("Tab")  # Discussions: a Bootstrap .nav-link, which drops the outline by default

    expect(nav.get_by_role("link", name="Discussions")).to_be_focused()
    outline = focus_outline(page)
    assert outline["style"] == "solid"
    assert outline["width"] >= 2
    nav.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = focus_outline(page)
    assert outline["tag"] == "BUTTON"
    assert outline["style"] == "solid"


def relative_luminance(css_colour: str) -> float:
    channels = [int(part) / 255 for part in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe_in_both_colour_schemes(page, axe, thread, scheme, sign_in):
    author = thread.author
    page.emulate_media(color_scheme=scheme)
    anonymous_pages = [reverse("account_login"), reverse("account_signup"), reverse("account_reset_password")]
    for url in anonymous_pages:
        page.goto(url)
        axe(page)

    sign_in(author)
    member_pages = [
        reverse("home"),
        thread.get_absolute_url(),
        author.get_absolute_url(),
        reverse("accounts:profile-edit"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("accounts:delete"),
    ]
    for url in member_pages:
        page.goto(url)
        axe(page)

    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    if scheme == "dark":
        assert page.evaluate("() => document.documentElement.dataset.bsTheme") == "dark"
        assert relative_luminance(background) < 0.05, background
    else:
        assert relative_luminance(background) > 0.9, background


def test_reader_pages_to_older_discussions_and_back(page, axe):
    for n in range(12):
        PostFactory(title=f"Discussion number {n}", published_at=timezone.now() - timedelta(days=n + 1))
    page.goto(reverse("home"))
    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.get_by_role("link", name="Newer")).to_have_count(0)

    pages.get_by_role("link", name="Older").click()
    axe(page)
    expect(page.get_by_role("link", name="Discussion number 11")).to_be_visible()
    expect(page.get_by_role("link", name="Discussion number 0")).to_have_count(0)

    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Newer").click()
    expect(page).to_have_url(re.compile(r"\?newer=\d+\.\d+$"))
    expect(page.get_by_role("link", name="Discussion number 0")).to_be_visible()
    expect(page.get_by_role("link", name="Discussion number 11")).to_have_count(0)
