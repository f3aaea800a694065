"""The thread page's plain rows say what the model instances say, in the same order."""

import pytest
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.querysets import SORTS
from forum.comments.rows import COMMENT_COLUMNS, ThreadComment
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def branching_thread():
    """Top-level comments with different like counts, replies written out of order, nesting."""
    post = PostFactory()
    first, second, third = (CommentFactory(post=post) for _ in range(3))
    reply_to_third = CommentFactory(post=post, parent=third)
    CommentFactory(post=post, parent=first)
    CommentFactory(post=post, parent=reply_to_third)
    CommentFactory(post=post, parent=first)
    Comment.objects.filter(pk=second.pk).update(like_count=5)
    Comment.objects.filter(pk=third.pk).update(like_count=2)
    return post


@pytest.mark.parametrize("sort", SORTS)
def test_rows_come_in_the_thread_query_order_for_every_sort(sort):
    post = branching_thread()

    rows = Comment.objects.thread_rows(post, sort=sort)

    assert [row.pk for row in rows] == [comment.pk for comment in Comment.objects.for_thread(post, sort=sort)]


def test_rows_of_a_page_are_the_subtrees_of_its_top_level_comments():
    post = branching_thread()
    roots = Comment.objects.top_level(post)[1:3]

    rows = Comment.objects.thread_rows(post, roots=roots)

    expected = Comment.objects.for_thread(post, roots=Comment.objects.top_level(post)[1:3])
    assert [row.pk for row in rows] == [comment.pk for comment in expected]
    assert {row.root_id for row in rows} == {root.pk for root in Comment.objects.top_level(post)[1:3]}


def test_a_row_holds_the_columns_and_facts_of_its_comment():
    post = PostFactory()
    author = UserFactory(username="river_stone", display_name="")
    now = timezone.now()
    comment = CommentFactory(post=post, author=author, body="Some *emphasis*")
    Comment.objects.filter(pk=comment.pk).update(locked_at=now, lock_reason="Heated.", like_count=3)
    model = Comment.objects.select_related("author").get(pk=comment.pk)

    (row,) = Comment.objects.thread_rows(post)

    assert isinstance(row, ThreadComment)
    for column in COMMENT_COLUMNS:
        assert getattr(row, column) == getattr(model, column), column
    assert row.author_name == model.author_name == "river_stone"
    assert row.is_visible
    assert row.anchor == model.anchor
    assert row.is_locked_at(now) == model.is_locked_at(now) is True
    assert (row.author.initials, row.author.avatar_colour) == (author.initials, author.avatar_colour)


def test_every_comment_of_one_member_shares_one_author_row():
    post = PostFactory()
    author = UserFactory()
    CommentFactory(post=post, author=author)
    CommentFactory(post=post, author=author)

    first, second = Comment.objects.thread_rows(post)

    assert first.author is second.author


def test_guests_and_deleted_accounts_are_named_as_on_the_model():
    post = PostFactory()
    guest = CommentFactory(post=post)
    Comment.objects.filter(pk=guest.pk).update(author=None, guest_name="Visiting Walker")
    gone = CommentFactory(post=post)
    gone.author.deleted_at = timezone.now()
    gone.author.save()

    rows = {row.pk: row for row in Comment.objects.thread_rows(post)}

    assert rows[guest.pk].author is None
    assert rows[guest.pk].author_name == "Visiting Walker"
    assert rows[gone.pk].author_name == Comment.objects.get(pk=gone.pk).author_name == "deleted user"
    assert rows[gone.pk].author.initials == "?"


def test_a_row_takes_no_attribute_the_page_does_not_know():
    post = PostFactory()
    CommentFactory(post=post)

    (row,) = Comment.objects.thread_rows(post)

    with pytest.raises(AttributeError):
        row.surprise = True
