"""Discussion journeys in Chromium, with and without JavaScript, with axe-core on every page."""

import re
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from forum.comments.models import Comment
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Winter cycling to work"
PHONE = {"width": 360, "height": 740}
# Set on the window after a page loads: still there later means no page load happened in between.
STAY_MARKER = "() => { window.stillTheSamePage = true; }"
STAYED = "() => window.stillTheSamePage === true"


@pytest.fixture
def javascript():
    """Whether pages run scripts; a test parametrizes this to walk the no-script path."""
    return True


@pytest.fixture
def context(browser, live_server, _cookies_over_http, javascript):
    # The shared context, with scripts switched on or off: Playwright fixes that when a context is made.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 800}, java_script_enabled=javascript
    )
    context.set_default_timeout(5_000)
    yield context
    context.close()


class PageCopy:
    """A script-enabled tab showing a copy of a page that runs no scripts, for axe to check.

    Axe waits on timers, and a page with scripts off never fires them. The copy gets the
    page's current markup under the same address, with the site's scripts blocked, so it
    looks and reads as the page without JavaScript does.
    """

    def __init__(self, browser):
        self.context = browser.new_context()
        self.tab = self.context.new_page()
        self.tab.route("**/*", self.serve)
        self.markup, self.address = "", ""

    def serve(self, route):
        if route.request.resource_type == "script":
            route.abort()
        elif route.request.url == self.address:
            route.fulfill(body=self.markup, content_type="text/html; charset=utf-8")
        else:
            route.continue_()

    def of(self, page):
        page.wait_for_load_state("load")
        self.markup, self.address = page.content(), page.url.split("#")[0]
        self.tab.set_viewport_size(page.viewport_size)
        self.tab.goto("about:blank")  # else a copy of the same address differing by #fragment would not load
        self.tab.goto(page.url)
        return self.tab


@pytest.fixture(scope="session")
def page_copy(browser):
    copy = PageCopy(browser)
    yield copy
    copy.context.close()


@pytest.fixture
def axe(axe, javascript, request):
    """The shared check; with scripts off, it runs on a script-enabled copy of the page."""
    if javascript:
        return axe
    page_copy = request.getfixturevalue("page_copy")
    return lambda page: axe(page_copy.of(page))


@pytest.fixture
def post():
    return PostFactory(title=TITLE)


def reply_chain(post, *, levels: int) -> list[Comment]:
    """One comment per level, each replying to the one before."""
    comments, parent = [], None
    for depth in range(levels):
        parent = CommentFactory(post=post, parent=parent, body=f"Said at depth {depth}.")
        comments.append(parent)
    return comments


@pytest.fixture
def chain(post):
    return reply_chain(post, levels=4)


@pytest.fixture
def member(sign_in):
    member = UserFactory(display_name="Ines Calder")
    sign_in(member)
    return member


def item(page, comment):
    return page.locator(f"#{comment.anchor}")


def article(page, comment):
    return page.locator(f"#{comment.anchor} > article")


def replies_of(page, comment):
    return page.locator(f"#{comment.anchor} > details.replies > ol > li")


def reply_count(page, comment):
    return page.locator(f"#{comment.anchor} > details.replies > summary")


def heading(page):
    return page.locator("#comments-heading")


def comments_heading(count: int) -> str:
    return f"{count} comment{'' if count == 1 else 's'} on “{TITLE}”"


def reply_form(page):
    return page.locator("#reply-form")


def test_four_level_thread_reads_as_nested_lists(page, axe, post, chain):
    page.goto(post.get_absolute_url())

    expect(page.locator(f"#discussion > ol.comment-list > #{chain[0].anchor}")).to_be_visible()
    for parent, reply in pairwise(chain):
        expect(page.locator(f"#{parent.anchor} > details.replies > ol > #{reply.anchor}")).to_be_visible()
    for comment in chain:
        expect(article(page, comment).locator(".author")).to_have_text(comment.author.public_name)
        expect(article(page, comment).locator(f'a[href="#{comment.anchor}"] time')).to_be_visible()
        expect(article(page, comment).locator(".comment-body")).to_have_text(comment.body)
    expect(heading(page)).to_have_text(comments_heading(4))
    axe(page)


@pytest.mark.parametrize("javascript", [False])
def test_reply_without_javascript_opens_the_form_under_the_comment(page, axe, post, chain, member):
    parent = chain[2]
    page.goto(post.get_absolute_url())
    axe(page)

    article(page, parent).get_by_role("link", name="Reply").click()

    expect(page).to_have_url(re.compile(rf"\?replyto={parent.pk}#reply-form$"))
    form = page.locator(f"#{parent.anchor} > #reply-form")
    expect(form.get_by_role("heading")).to_have_text("Your reply")
    axe(page)
    form.get_by_label("Your comment").fill("Mudguards first, then lights.")
    form.get_by_role("button", name="Post reply").click()

    reply = Comment.objects.get(body="Mudguards first, then lights.")
    assert reply.parent == parent
    expect(page).to_have_url(re.compile(rf"{post.get_absolute_url()}#{reply.anchor}$"))
    expect(replies_of(page, parent).last).to_have_id(reply.anchor)
    expect(page.locator(":target")).to_have_id(reply.anchor)
    expect(article(page, reply)).to_have_css("outline-style", "solid")
    expect(heading(page)).to_have_text(comments_heading(5))
    expect(page.locator(".messages")).to_contain_text("Your comment has been posted.")
    axe(page)


def test_reply_with_javascript_moves_the_form_and_posts_in_place(page, axe, post, chain, member):
    parent = chain[2]
    page.goto(post.get_absolute_url())
    axe(page)
    page.evaluate(STAY_MARKER)
    for above, count in zip(chain[:3], ["3 replies", "2 replies", "1 reply"], strict=True):
        expect(reply_count(page, above)).to_have_text(count)

    article(page, parent).get_by_role("link", name="Reply").click()

    form = page.locator(f"#{parent.anchor} > #reply-form")
    expect(form.get_by_role("heading")).to_have_text(f"Reply to {parent.author.public_name}")
    expect(form.get_by_label("Your comment")).to_be_focused()
    axe(page)
    form.get_by_label("Your comment").fill("Mudguards first, then lights.")
    form.get_by_role("button", name="Post reply").click()

    new_reply = replies_of(page, parent).filter(has_text="Mudguards first, then lights.")
    expect(new_reply).to_be_visible()
    expect(heading(page)).to_have_text(comments_heading(5))
    # Every summary above the new reply counts it, as the page does after a reload.
    for above, count in zip(chain[:3], ["4 replies", "3 replies", "2 replies"], strict=True):
        expect(reply_count(page, above)).to_have_text(count)
    expect(page.locator("#discussion > #reply-form textarea")).to_have_value("")
    assert page.evaluate(STAYED), "posting a reply reloaded the page"
    reply = Comment.objects.get(body="Mudguards first, then lights.")
    assert reply.parent == parent
    expect(new_reply).to_have_id(reply.anchor)
    axe(page)


def test_cancel_returns_the_reply_form_to_the_bottom(page, axe, post, chain, member):
    page.goto(post.get_absolute_url())
    page.evaluate(STAY_MARKER)
    article(page, chain[1]).get_by_role("link", name="Reply").click()
    expect(page.locator(f"#{chain[1].anchor} > #reply-form")).to_be_visible()

    reply_form(page).get_by_role("button", name="Cancel").click()

    expect(page.locator("#discussion > #reply-form")).to_be_visible()
    expect(reply_form(page).get_by_role("heading")).to_have_text("Leave a comment")
    expect(reply_form(page).get_by_role("button", name="Post comment")).to_be_visible()
    expect(reply_form(page).get_by_role("button", name="Cancel")).to_be_hidden()
    expect(article(page, chain[1]).get_by_role("link", name="Reply")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"{post.get_absolute_url()}$"))  # a reload opens no reply form
    assert page.evaluate(STAYED)
    axe(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_collapsing_a_subtree_hides_its_replies(page, axe, post, chain):
    page.goto(post.get_absolute_url())
    details = page.locator(f"#{chain[0].anchor} > details.replies")
    summary = details.locator(":scope > summary")
    # One text; whether the replies show is the disclosure's own open or closed state.
    expect(summary).to_have_text("3 replies", use_inner_text=True)
    expect(details).to_have_attribute("open", "")

    summary.click()

    expect(details).not_to_have_attribute("open", "")
    expect(summary).to_have_text("3 replies", use_inner_text=True)
    for reply in chain[1:]:
        expect(item(page, reply)).to_be_hidden()
    expect(article(page, chain[0])).to_be_visible()
    axe(page)
    summary.click()
    expect(details).to_have_attribute("open", "")
    for reply in chain[1:]:
        expect(item(page, reply)).to_be_visible()


def test_edited_comment_shows_edited_marker(page, axe, post, member):
    comment = CommentFactory(post=post, author=member, body="Studded tyres are overkill.")
    page.goto(post.get_absolute_url())
    expect(article(page, comment).locator(".comment-edited")).to_have_count(0)

    article(page, comment).get_by_role("link", name="Edit").click()
    axe(page)
    page.get_by_label("Your comment").fill("Studded tyres are overkill in town.")
    page.get_by_role("button", name="Save changes").click()

    expect(page).to_have_url(re.compile(rf"#{comment.anchor}$"))
    expect(article(page, comment).locator(".comment-body")).to_have_text("Studded tyres are overkill in town.")
    expect(article(page, comment).locator(".comment-edited")).to_contain_text("edited")
    expect(page.locator(".messages")).to_contain_text("Your comment has been updated.")
    axe(page)


def test_deleted_comment_with_a_reply_leaves_a_placeholder(page, axe, post, member):
    comment = CommentFactory(post=post, author=member, body="Salt eats chains.")
    reply = CommentFactory(post=post, parent=comment, body="Wax them, then.")
    page.goto(post.get_absolute_url())
    expect(heading(page)).to_have_text(comments_heading(2))

    article(page, comment).get_by_role("link", name="Delete").click()
    axe(page)
    page.get_by_role("button", name="Delete comment").click()

    expect(article(page, comment)).to_have_text("This comment was deleted.")
    expect(replies_of(page, comment)).to_have_id(reply.anchor)
    expect(article(page, reply)).to_contain_text("Wax them, then.")
    expect(heading(page)).to_have_text(comments_heading(1))
    expect(page.locator(".messages")).to_contain_text("Your comment has been deleted.")
    axe(page)


def test_deleted_comment_without_replies_disappears(page, axe, post, member):
    CommentFactory(post=post, body="Lights on the helmet help.")
    comment = CommentFactory(post=post, author=member, body="Salt eats chains.")
    page.goto(post.get_absolute_url())
    expect(heading(page)).to_have_text(comments_heading(2))

    article(page, comment).get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete comment").click()

    expect(heading(page)).to_have_text(comments_heading(1))
    expect(item(page, comment)).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text("Salt eats chains.")
    expect(page.get_by_role("main")).not_to_contain_text("This comment was deleted.")
    axe(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_liking_and_unliking_a_comment_and_the_post(page, axe, post, chain, member, javascript):
    comment = chain[1]
    like = article(page, comment).get_by_role("button", name="Like")
    like_post = page.get_by_role("button", name="Like this post")
    page.goto(post.get_absolute_url())
    page.evaluate(STAY_MARKER)
    expect(like).to_have_attribute("aria-pressed", "false")

    like.click()

    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator("span")).to_have_text("1")
    if not javascript:
        expect(page).to_have_url(re.compile(rf"#{comment.anchor}$"))  # back at the comment, not the page top
    axe(page)
    like.click()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(like.locator("span")).to_have_text("0")
    like_post.click()
    expect(like_post).to_have_attribute("aria-pressed", "true")
    expect(like_post.locator(".like-count")).to_have_text("1")
    assert page.evaluate(STAYED) is javascript
    comment.refresh_from_db()
    post.refresh_from_db()
    assert (comment.like_count, post.like_count) == (0, 1)
    axe(page)


def test_permalink_opens_the_page_of_the_thread_holding_the_comment(page, axe, post, settings):
    settings.COMMENTS_PER_PAGE = 2
    roots = [CommentFactory(post=post, body=f"Top-level comment {number}.") for number in range(3)]
    reply = CommentFactory(post=post, parent=roots[2], body="Deep in the second page.")

    page.goto(reverse("comments:permalink", kwargs={"pk": reply.pk}))

    expect(page).to_have_url(re.compile(rf"{post.get_absolute_url()}\?page=2#{reply.anchor}$"))
    expect(article(page, reply)).to_be_in_viewport()
    expect(page.locator(":target")).to_have_id(reply.anchor)
    expect(article(page, reply)).to_have_css("outline-style", "solid")
    expect(page.get_by_role("navigation", name="Comment pages").get_by_role("link", name="2")).to_have_attribute(
        "aria-current", "page"
    )
    expect(item(page, roots[0])).to_have_count(0)
    axe(page)


@pytest.mark.parametrize("javascript", [False])
def test_empty_comment_without_javascript_shows_error_beside_the_field(page, axe, post, member):
    other = CommentFactory(post=post, body="Lights on the helmet help.")
    page.goto(post.get_absolute_url())

    reply_form(page).get_by_role("button", name="Post comment").click()

    field = reply_form(page).locator("#div_id_body")
    expect(field.locator(".invalid-feedback")).to_have_text("Please write something before posting.")
    expect(field.get_by_label("Your comment")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert Comment.objects.count() == 1
    axe(page)
    # The error page sits at the form's address; its links must still lead back into the thread.
    article(page, other).get_by_role("link", name="Reply").click()
    expect(page.locator(f"#{other.anchor} > #reply-form")).to_be_visible()


def test_invalid_comment_with_javascript_shows_error_in_place_and_keeps_the_text(page, axe, post, member, settings):
    settings.COMMENTS_MAX_LENGTH = 40
    too_long = "Layers: merino, fleece, then a shell that breathes."
    page.goto(post.get_absolute_url())
    page.evaluate(STAY_MARKER)
    textarea = reply_form(page).get_by_label("Your comment")
    error = reply_form(page).locator("#div_id_body .invalid-feedback")

    reply_form(page).get_by_role("button", name="Post comment").click()

    expect(error).to_have_text("Please write something before posting.")
    expect(textarea).to_be_focused()
    expect(textarea).to_have_accessible_description(re.compile(r"^Please write something before posting\."))
    axe(page)
    textarea.fill(too_long)
    reply_form(page).get_by_role("button", name="Post comment").click()
    expect(error).to_have_text(re.compile(r"^Please keep your comment under 40 characters"))
    expect(textarea).to_have_value(too_long)
    expect(textarea).to_have_class(re.compile(r"\bis-invalid\b"))
    assert page.evaluate(STAYED), "a refused comment reloaded the page"
    assert not Comment.objects.exists()
    axe(page)
    textarea.fill("Merino, then a shell.")
    reply_form(page).get_by_role("button", name="Post comment").click()
    expect(page.locator("article", has_text="Merino, then a shell.")).to_be_visible()
    expect(error).to_have_count(0)
    expect(textarea).to_have_accessible_description(re.compile(r"^You can use Markdown"))


def test_five_level_thread_and_replies_below_it_fit_a_phone(page, axe, post, member, settings):
    settings.COMMENTS_MAX_DISPLAY_DEPTH = 5
    deepest = reply_chain(post, levels=5)[-1]
    page.set_viewport_size(PHONE)
    page.goto(post.get_absolute_url())
    scroll_width = "() => document.documentElement.scrollWidth"

    assert page.evaluate(scroll_width) <= PHONE["width"]
    axe(page)
    article(page, deepest).get_by_role("link", name="Reply").click()

    form = page.locator(f"#{deepest.anchor} > #reply-form")
    expect(form).to_be_visible()
    box = form.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert form.get_by_label("Your comment").bounding_box()["width"] >= 240
    assert page.evaluate(scroll_width) <= PHONE["width"]
    axe(page)
    form.get_by_label("Your comment").fill("One level further.")
    form.get_by_role("button", name="Post reply").click()
    sixth = replies_of(page, deepest).filter(has_text="One level further.")
    expect(sixth).to_be_visible()
    # The sixth level is the last one drawn: a reply to it sits beside it, as after a reload.
    sixth.locator(":scope > article").get_by_role("link", name="Reply").click()
    reply_form(page).get_by_label("Your comment").fill("Beside it, not below.")
    reply_form(page).get_by_role("button", name="Post reply").click()
    expect(replies_of(page, deepest)).to_have_count(2)
    expect(replies_of(page, deepest).last).to_contain_text("Beside it, not below.")
    assert page.evaluate(scroll_width) <= PHONE["width"]
    axe(page)


def test_a_reply_beside_its_capped_parent_goes_where_a_reload_puts_it(page, axe, post, member, settings):
    settings.COMMENTS_MAX_DISPLAY_DEPTH = 2
    _, middle, capped = reply_chain(post, levels=3)  # the third is at the last level drawn
    first = CommentFactory(post=post, parent=capped, body="First answer, beside it.")
    CommentFactory(post=post, parent=first, body="An answer to the first answer.")
    deleted = CommentFactory(post=post, parent=capped, body="Second answer, deleted since.")
    CommentFactory(post=post, parent=deleted, body="An answer to the deleted one.")
    Comment.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())  # kept as a placeholder
    CommentFactory(post=post, parent=middle, body="Another reply to the middle one.")
    page.goto(post.get_absolute_url())
    level = replies_of(page, middle)
    expect(level).to_have_count(6)

    article(page, capped).get_by_role("link", name="Reply").click()
    reply_form(page).get_by_label("Your comment").fill("A third answer, after the other two.")
    reply_form(page).get_by_role("button", name="Post reply").click()
    expect(level).to_have_count(7)

    # After the capped comment's answers (and theirs), before the next reply to the middle one.
    placed = level.evaluate_all("items => items.map(item => item.id)")
    page.reload()
    assert level.evaluate_all("items => items.map(item => item.id)") == placed
    expect(level.nth(5)).to_contain_text("A third answer, after the other two.")
    axe(page)


def test_closed_post_says_why_and_offers_no_way_to_reply(page, axe, member):
    post = PostFactory(title=TITLE)
    reply_chain(post, levels=2)
    Post.objects.filter(pk=post.pk).update(
        closed_at=timezone.now() - timezone.timedelta(hours=1), close_reason="The season is over."
    )

    page.goto(post.get_absolute_url())

    expect(page.locator(".comments-closed")).to_contain_text("Comments are closed. The season is over.")
    expect(page.get_by_role("main").get_by_role("link", name="Reply")).to_have_count(0)
    expect(reply_form(page)).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("textbox")).to_have_count(0)
    axe(page)
