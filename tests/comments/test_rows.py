"""The thread page's plain rows say what the model instances say, in the same order."""

import re
from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.querysets import DEFAULT_SORT, SORTS, CommentQuerySet
from forum.comments.rows import COMMENT_COLUMNS, ThreadComment
from tests.comments import oracle
from tests.comments.test_render import thread_in_every_state
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

# What changes on every rendering of a page: the CSRF token and each form's submission token.
PER_RENDERING = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|value="[0-9a-f]{8}-[0-9a-f-]{27}"')


ALL_ON_ONE_PAGE = 1_000_000


def whole_thread(post, *, sort=DEFAULT_SORT):
    """Every row of the thread, as a page holding them all shows them."""
    _, rows = Comment.objects.thread_page(post, sort=sort, number=1, per_page=ALL_ON_ONE_PAGE)
    return rows


def branching_thread():
    """Top-level comments with like counts that tie, replies written out of order, nesting."""
    post = PostFactory()
    first, second, third, fourth = (CommentFactory(post=post) for _ in range(4))
    reply_to_third = CommentFactory(post=post, parent=third)
    CommentFactory(post=post, parent=first)
    CommentFactory(post=post, parent=reply_to_third)
    CommentFactory(post=post, parent=first)
    CommentFactory(post=post, parent=fourth)
    Comment.objects.filter(pk__in=[second.pk, fourth.pk]).update(like_count=5)
    Comment.objects.filter(pk=third.pk).update(like_count=2)
    return post


@pytest.mark.parametrize("sort", SORTS)
def test_rows_come_in_the_thread_query_order_for_every_sort(sort):
    post = branching_thread()

    rows = whole_thread(post, sort=sort)

    assert [row.pk for row in rows] == [comment.pk for comment in oracle.thread(post, sort=sort)]


@pytest.mark.parametrize("sort", SORTS)
def test_rows_of_a_page_are_the_subtrees_of_its_top_level_comments(sort):
    post = branching_thread()

    def page():
        return oracle.top_level(post, sort=sort)[2:4]

    _, rows = Comment.objects.thread_page(post, sort=sort, number="2", per_page=2)

    expected = oracle.thread(post, sort=sort, roots=page())
    assert [row.pk for row in rows] == [comment.pk for comment in expected]
    assert {row.root_id for row in rows} == {root.pk for root in page()}


def test_a_row_holds_the_columns_and_facts_of_its_comment():
    post = PostFactory()
    author = UserFactory(username="river_stone", display_name="")
    now = timezone.now()
    parent = CommentFactory(post=post)
    comment = CommentFactory(post=post, parent=parent, author=author, body="Some *emphasis*")
    # A value of its own in every column that is usually empty, so that two columns
    # read into each other's place would show.
    state = {
        "guest_name": "Not shown for members",
        "edited_at": now - timedelta(minutes=1),
        "deleted_at": now - timedelta(minutes=2),
        "held_at": now - timedelta(minutes=3),
        "hold_reason": "Held for a look.",
        "removed_at": now - timedelta(minutes=4),
        "removal_reason": "Off topic.",
        "removal_reason_public": True,
        "edited_by_moderator": False,
        "locked_at": now - timedelta(minutes=5),
        "lock_reason": "Heated.",
        "lock_until": now + timedelta(days=1),
        "like_count": 3,
    }
    Comment.objects.filter(pk=comment.pk).update(**state)
    model = Comment.objects.select_related("author").get(pk=comment.pk)

    row = next(row for row in whole_thread(post) if row.pk == comment.pk)

    assert isinstance(row, ThreadComment)
    for column in COMMENT_COLUMNS:
        assert getattr(row, column) == getattr(model, column), column
    assert len({repr(getattr(row, column)) for column in state}) == len(state)
    assert row.author_name == model.author_name == "river_stone"
    assert row.anchor == model.anchor
    assert row.is_visible is model.is_visible is False
    assert row.is_locked_at(now) == model.is_locked_at(now) is True
    assert (row.author.initials, row.author.avatar_colour) == (author.initials, author.avatar_colour)


def test_every_comment_of_one_member_shares_one_author_row():
    post = PostFactory()
    author = UserFactory()
    CommentFactory(post=post, author=author)
    CommentFactory(post=post, author=author)

    first, second = whole_thread(post)

    assert first.author is second.author


def test_guests_and_deleted_accounts_are_named_as_on_the_model():
    post = PostFactory()
    guest = CommentFactory(post=post)
    Comment.objects.filter(pk=guest.pk).update(author=None, guest_name="Visiting Walker")
    gone = CommentFactory(post=post)
    gone.author.deleted_at = timezone.now()
    gone.author.save()

    rows = {row.pk: row for row in whole_thread(post)}

    assert rows[guest.pk].author is None
    assert rows[guest.pk].author_name == "Visiting Walker"
    assert rows[gone.pk].author_name == Comment.objects.get(pk=gone.pk).author_name == "deleted user"
    assert rows[gone.pk].author.initials == "?"


def test_a_row_takes_no_attribute_the_page_does_not_know():
    post = PostFactory()
    CommentFactory(post=post)

    (row,) = whole_thread(post)

    with pytest.raises(AttributeError):
        row.surprise = True


@pytest.fixture
def models_instead_of_rows(monkeypatch):
    """The thread page as it was drawn from model instances, for comparison."""

    def from_models(self, post, *, sort=DEFAULT_SORT, number, per_page):
        top_level = oracle.top_level(post, sort=sort)
        page = Paginator(range(top_level.count()), per_page).get_page(number)
        on_page = page.object_list
        return page, list(oracle.thread(post, sort=sort, roots=top_level[on_page.start : on_page.stop]))

    def use():
        monkeypatch.setattr(CommentQuerySet, "thread_page", from_models)

    return use


@pytest.mark.parametrize("reader", ["guest", "author", "moderator"])
def test_rows_draw_the_same_page_as_model_instances(client, settings, models_instead_of_rows, reader):
    post = thread_in_every_state(settings)
    if reader == "author":
        client.force_login(Comment.objects.filter(post=post, author__isnull=False).first().author)
    elif reader == "moderator":
        moderator = ModeratorFactory()
        client.force_login(moderator)

    def page():
        return PER_RENDERING.sub("", client.get(post.get_absolute_url()).text)

    from_rows = page()
    models_instead_of_rows()

    assert 'class="comment-list"' in from_rows
    assert from_rows == page()


def test_pages_count_every_top_level_comment_whatever_its_state():
    post = branching_thread()
    held, removed = CommentFactory.create_batch(2, post=post)
    Comment.objects.filter(pk=held.pk).update(held_at=timezone.now())
    Comment.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    CommentFactory(post=PostFactory())

    # Counted by the page's own query, and by the count a page past the end runs.
    on_the_page, _ = Comment.objects.thread_page(post, number="1", per_page=2)
    past_the_end, _ = Comment.objects.thread_page(post, number="9", per_page=2)
    assert on_the_page.paginator.count == past_the_end.paginator.count == oracle.top_level(post).count() == 6


def test_a_page_that_exists_is_read_and_counted_in_one_query(django_assert_num_queries):
    post = branching_thread()  # four top-level comments
    held = CommentFactory(post=post)
    Comment.objects.filter(pk=held.pk).update(held_at=timezone.now())

    with django_assert_num_queries(1):
        page, rows = Comment.objects.thread_page(post, number="2", per_page=2)

    assert page.number == 2
    assert page.paginator.count == oracle.top_level(post).count() == 5
    expected = oracle.thread(post, roots=oracle.top_level(post)[2:4])
    assert [row.pk for row in rows] == [comment.pk for comment in expected]


@pytest.mark.parametrize(
    ("asked", "shown", "queries"),
    [
        (None, 1, 1),
        ("1", 1, 1),
        ("not a number", 1, 1),
        ("2.0", 1, 1),  # as Paginator.get_page takes it: not a whole number
        ("3", 3, 1),
        ("4", 3, 3),  # past the end: the rows, the count, then the last page
        ("0", 3, 2),  # below 1: the last page, as Paginator.get_page shows it (the count, its rows)
        ("-5", 3, 2),
        ("99999999999999999999", 3, 2),  # an offset no database takes: counted first
    ],
)
def test_the_page_shown_is_the_one_paginator_get_page_picks(django_assert_num_queries, asked, shown, queries):
    post = PostFactory()
    tops = CommentFactory.create_batch(5, post=post)
    reply = CommentFactory(post=post, parent=tops[4])

    with django_assert_num_queries(queries):
        page, rows = Comment.objects.thread_page(post, number=asked, per_page=2)

    assert page.number == shown
    assert page.paginator.num_pages == 3
    expected = {1: tops[:2], 3: [tops[4], reply]}.get(shown)
    if expected:
        assert [row.pk for row in rows] == [comment.pk for comment in expected]


def test_a_thread_without_comments_is_one_empty_page_in_one_query(django_assert_num_queries):
    post = PostFactory()
    CommentFactory(post=PostFactory())

    with django_assert_num_queries(1):
        page, rows = Comment.objects.thread_page(post, number=None, per_page=50)

    assert (page.number, page.paginator.count, rows) == (1, 0, [])
    with django_assert_num_queries(2):
        page, rows = Comment.objects.thread_page(post, number="3", per_page=50)
    assert (page.number, rows) == (1, [])


@pytest.mark.parametrize("sort", SORTS)
def test_every_page_in_every_sort_holds_the_oracles_subtrees(sort):
    post = branching_thread()

    for number in (1, 2):
        page, rows = Comment.objects.thread_page(post, sort=sort, number=str(number), per_page=3)

        assert page.number == number
        expected = oracle.thread(
            post, sort=sort, roots=oracle.top_level(post, sort=sort)[(number - 1) * 3 : number * 3]
        )
        assert [row.pk for row in rows] == [comment.pk for comment in expected]
