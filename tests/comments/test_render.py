import json
from datetime import UTC, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

MARKUP_BUDGET = 600  # bytes of markup a comment may add to the page beyond its own text


@pytest.fixture
def moderator():
    user = ModeratorFactory()
    return user


def made(comment, **fields):
    """Put a comment in a state its factory cannot create it in."""
    Comment.objects.filter(pk=comment.pk).update(**fields)
    return comment


def thread_in_every_state(settings):
    """A thread showing each kind of comment the page draws, and its post's author."""
    settings.COMMENTS_MAX_DISPLAY_DEPTH = 2
    post = PostFactory()
    now = timezone.now()
    top = CommentFactory(post=post)
    chain = top
    for _ in range(4):  # past the display depth: "in reply to NAME"
        chain = CommentFactory(post=post, parent=chain)
    made(CommentFactory(post=post, parent=top), author=None, guest_name="Visiting Walker")
    gone = CommentFactory(post=post)
    gone.author.deleted_at = now
    gone.author.save()
    CommentFactory(post=post, parent=made(CommentFactory(post=post), deleted_at=now))
    removed = made(CommentFactory(post=post), removed_at=now, removal_reason="Off topic.", removal_reason_public=True)
    CommentFactory(post=post, parent=removed)
    made(CommentFactory(post=post), held_at=now, hold_reason="First comment")
    locked = made(CommentFactory(post=post), locked_at=now, lock_until=now + timedelta(days=2), lock_reason="Calm.")
    made(CommentFactory(post=post, parent=locked), edited_at=now, edited_by_moderator=True)
    made(CommentFactory(post=post), like_count=3)
    return post


@pytest.mark.parametrize("reader", ["guest", "member", "moderator"])
def test_thread_page_draws_a_comment_in_every_state_with_no_query_per_comment(client, settings, moderator, reader):
    post = thread_in_every_state(settings)
    author = Comment.objects.filter(post=post, author__isnull=False).first().author
    plain = CommentFactory(author=author).post  # the same page with one ordinary comment
    if reader == "member":
        client.force_login(author)
    elif reader == "moderator":
        client.force_login(moderator)
    client.get(plain.get_absolute_url())  # the session's first page may load what later ones reuse

    with CaptureQueriesContext(connection) as one_comment:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as every_state:
        response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert len(every_state.captured_queries) == len(one_comment.captured_queries)
    for drawn in [
        "in reply to",
        "Visiting Walker",
        "deleted user",
        "This comment was deleted.",
        "Removed by a moderator. Off topic.",
        "Replies to this part of the discussion are closed. Calm. They reopen on",
        "edited by a moderator",
    ]:
        assert drawn in response.text


MEMBER_NAMES = [
    "Maria Gonzalez", "Sam Okafor", "Jordan Lee", "Inès Moreau", "Priya Raman", "Tom Becker",
    "Aiyana Brooks", "Kwame Mensah", "Liu Yang", "Sofia Rossi", "Daniel Cohen", "Fatima Khan",
]  # fmt: skip


def bulky_thread(post, members):
    """100 comments: a third top-level, the rest replies up to five deep, some liked."""
    comments = []
    for index in range(100):
        parent = comments[index - 1] if index % 3 and comments[index - 1].depth < 5 else None
        author = members[index % len(members)]
        body = f"Comment number {index} says something about the topic at a *reasonable* length."
        comments.append(made(CommentFactory(post=post, parent=parent, author=author, body=body), like_count=index % 4))
    return comments


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_each_comment_adds_at_most_600_bytes_of_markup(client, signed_in):
    # Fixed names of ordinary length: the budget must not depend on random data.
    members = [UserFactory(display_name=name) for name in MEMBER_NAMES]
    post = PostFactory()
    if signed_in:
        client.force_login(members[0])  # a writer of some comments: Edit and Delete show on those
    shell = len(client.get(post.get_absolute_url()).content)
    comments = bulky_thread(post, members)

    page = client.get(post.get_absolute_url()).content

    text = sum(len(comment.body_html.encode()) for comment in Comment.objects.filter(post=post))
    markup_per_comment = (len(page) - shell - text) / len(comments)
    assert page.count(b"<article aria-labelledby=") == len(comments)
    assert markup_per_comment <= MARKUP_BUDGET


def test_interpolated_values_are_escaped(client, settings):
    post = PostFactory()
    author = UserFactory(display_name="<b>Bold</b> & Co")
    comment = CommentFactory(post=post, author=author)
    made(CommentFactory(post=post, parent=comment), author=None, guest_name='"Quoted" <guest>')
    made(comment, removed_at=timezone.now(), removal_reason="<script>x</script>", removal_reason_public=True)

    html = client.get(post.get_absolute_url()).text

    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&quot;Quoted&quot; &lt;guest&gt;" in html


def test_author_name_is_escaped_and_links_to_the_profile(client):
    author = UserFactory(display_name="<b>Bold</b> & Co")
    comment = CommentFactory(author=author)

    html = client.get(comment.post.get_absolute_url()).text

    profile = author.get_absolute_url()
    assert f'id="by-{comment.pk}" href="{profile}">&lt;b&gt;Bold&lt;/b&gt; &amp; Co</a>' in html
    assert f'aria-labelledby="by-{comment.pk}"' in html


def test_a_member_renamed_or_deleted_is_shown_as_they_are_now(client):
    # The markup of a member's name is kept between pages: it must follow what they change.
    author = UserFactory(username="ada", display_name="Ada Byron")
    comment = CommentFactory(author=author)
    url = comment.post.get_absolute_url()
    assert ">AB</span>" in client.get(url).text

    author.display_name = "Lovelace"
    author.save()
    html = client.get(url).text
    assert f'id="by-{comment.pk}" href="{author.get_absolute_url()}">Lovelace</a>' in html
    assert ">L</span>" in html

    author.deleted_at = timezone.now()
    author.save()
    html = client.get(url).text
    assert f'<span class="author" id="by-{comment.pk}">deleted user</span>' in html
    assert "Lovelace" not in html


def test_profile_link_matches_reverse_for_non_ascii_usernames(client):
    author = UserFactory(username="zoë.ålund", display_name="")
    comment = CommentFactory(author=author)

    html = client.get(comment.post.get_absolute_url()).text

    assert f'href="{author.get_absolute_url()}">zoë.ålund</a>' in html


def test_times_are_shown_in_the_active_time_zone_to_the_minute(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    moment = timezone.datetime(2026, 11, 27, 12, 5, 9, 123456, tzinfo=UTC)
    comment = made(CommentFactory(), created_at=moment)

    html = client.get(comment.post.get_absolute_url()).text

    assert '<time datetime="2026-11-27T13:05+01:00">27 Nov 2026, 13:05</time>' in html


@pytest.mark.parametrize(
    ("zone", "moments"),
    [
        # The night Berlin's clocks go forward, and the night they go back.
        ("Europe/Berlin", [(2026, 3, 29, 0, 59), (2026, 3, 29, 1, 0), (2026, 10, 25, 0, 59), (2026, 10, 25, 1, 0)]),
        ("Asia/Kathmandu", [(2026, 11, 27, 18, 14), (2026, 11, 27, 18, 15)]),  # +05:45: the date turns at 18:15
        ("America/St_Johns", [(2026, 1, 1, 3, 29), (2026, 1, 1, 3, 30)]),  # -03:30
        ("Europe/Amsterdam", [(1900, 6, 1, 12, 0)]),  # local mean time: +00:19:32
        ("UTC", [(2026, 12, 31, 23, 59), (2027, 1, 1, 0, 0)]),
    ],
)
def test_times_read_as_the_iso_form_and_the_date_filters_write_them(settings, zone, moments):
    # The renderer writes the date once per day and the offset once per offset: each time
    # must still read as the moment's own ISO form to the minute, and show as "j M Y, H:i"
    # (or its shorter and longer forms), whichever forms the same day was written in before.
    from django.template.defaultfilters import date as date_filter

    from forum.comments.render import ThreadRenderer

    settings.TIME_ZONE = zone
    renderer = ThreadRenderer(
        user=UserFactory.build(), is_moderator=False, reply_base="", page_number=1, max_display_depth=6
    )
    for parts in moments:
        moment = timezone.datetime(*parts, 9, 123456, tzinfo=UTC)
        local = timezone.localtime(moment)
        machine = local.isoformat(timespec="minutes").replace("+00:00", "Z")
        shown = date_filter(local, "j M Y, H:i")

        assert renderer.time(moment) == f'<time datetime="{machine}">{shown}</time>'
        # An edit's time leaves the year out; a lock's end names the month in full.
        without_year, full_month = date_filter(local, "j M, H:i"), date_filter(local, "j F Y, H:i")
        assert renderer.time(moment, with_year=False) == f'<time datetime="{machine}">{without_year}</time>'
        assert renderer.time(moment, full_month=True) == f'<time datetime="{machine}">{full_month}</time>'


def test_utc_times_end_in_z(client):
    moment = timezone.datetime(2026, 3, 1, 9, 30, 0, tzinfo=UTC)
    comment = made(CommentFactory(), created_at=moment)

    html = client.get(comment.post.get_absolute_url()).text

    assert '<time datetime="2026-03-01T09:30Z">1 Mar 2026, 09:30</time>' in html


def test_reply_links_carry_the_page_number_past_page_one(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    post = PostFactory()
    CommentFactory(post=post)
    second = CommentFactory(post=post)
    client.force_login(UserFactory())

    html = client.get(f"{post.get_absolute_url()}?page=2").text

    assert f'href="?replyto={second.pk}&amp;page=2#reply-form"' in html


def test_reply_links_name_the_thread_when_a_failed_post_shows_the_page(client):
    comment = CommentFactory()
    client.force_login(UserFactory())
    url = reverse("comments:create", kwargs={"slug": comment.post.slug})

    response = client.post(url, {"body": "", "parent": comment.pk})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f'href="{comment.post.get_absolute_url()}?replyto={comment.pk}#reply-form"' in response.text


def test_likes_are_counted_in_words_for_readers_who_cannot_like(client):
    post = PostFactory()
    made(CommentFactory(post=post), like_count=1)
    made(CommentFactory(post=post), like_count=2)
    CommentFactory(post=post)

    html = client.get(post.get_absolute_url()).text

    assert '<span class="like-total">1 like</span>' in html
    assert '<span class="like-total">2 likes</span>' in html
    assert html.count('class="like-total"') == 2


def test_member_sees_a_like_button_saying_whether_they_liked(client):
    comment = made(CommentFactory(), like_count=4)
    client.force_login(UserFactory())

    html = client.get(comment.post.get_absolute_url()).text

    button = f'<button form="likes" name="comment" value="{comment.pk}" aria-pressed="false">'
    assert f"{button}Like <span>4</span></button>" in html


def test_comment_sent_by_script_is_drawn_by_the_page_renderer(client):
    parent = CommentFactory()
    writer = UserFactory()
    client.force_login(writer)
    url = reverse("comments:create", kwargs={"slug": parent.post.slug})

    response = client.post(
        url,
        {"body": "Same markup either way.", "parent": parent.pk, "token": "8d3c1c62-9b7e-4b1e-9a55-1f0f5f2b3a01"},
        headers={"accept": "application/json"},
    )

    body = json.loads(response.content)
    comment = Comment.objects.get(pk=body["id"])
    page = client.get(parent.post.get_absolute_url()).text
    assert body["html"].startswith(f'<article aria-labelledby="by-{comment.pk}">')
    # The page links a reply relative to itself; the script's copy names the thread.
    thread = parent.post.get_absolute_url()
    assert body["html"] in page.replace(f'href="?replyto={comment.pk}#', f'href="{thread}?replyto={comment.pk}#')


def test_a_placeholder_beside_its_parent_says_whom_it_answers(client, settings):
    settings.COMMENTS_MAX_DISPLAY_DEPTH = 1
    post = PostFactory()
    top = CommentFactory(post=post)
    nested = made(CommentFactory(post=post, parent=top), deleted_at=timezone.now())  # depth 1: nested, not beside
    beside = made(CommentFactory(post=post, parent=nested), deleted_at=timezone.now())  # depth 2: beside its parent
    CommentFactory(post=post, parent=beside)

    html = client.get(post.get_absolute_url()).text

    assert f'aria-labelledby="by-{beside.pk}" data-reply-to="comment-{nested.pk}">' in html
    assert f'aria-labelledby="by-{nested.pk}">' in html
