import pytest

from forum.comments.models import Comment
from forum.comments.tree import layout_thread
from tests.comments import oracle
from tests.factories import CommentFactory, PostFactory


def chain(post, length):
    comments, parent = [], None
    for _ in range(length):
        parent = CommentFactory(post=post, parent=parent)
        comments.append(parent)
    return comments


@pytest.mark.django_db
def test_reply_path_extends_parent_path_and_root_is_top_level():
    post = PostFactory()
    top, reply, nested = chain(post, 3)

    nested.refresh_from_db()

    assert nested.path.startswith(reply.path)
    assert reply.path.startswith(top.path)
    assert nested.depth == 2
    assert nested.root_id == top.pk


@pytest.mark.django_db
def test_thread_query_returns_replies_right_after_their_parent():
    post = PostFactory()
    first = CommentFactory(post=post)
    second = CommentFactory(post=post)
    late_reply_to_first = CommentFactory(post=post, parent=first)

    order = [c.pk for c in oracle.thread(post)]

    assert order == [first.pk, late_reply_to_first.pk, second.pk]


@pytest.mark.django_db
def test_data_depth_is_unlimited():
    post = PostFactory()

    comments = chain(post, 60)

    assert Comment.objects.get(pk=comments[-1].pk).depth == 59
    assert [c.pk for c in oracle.thread(post)] == [c.pk for c in comments]


@pytest.mark.django_db
def test_layout_caps_display_depth_and_closes_every_open_list():
    post = PostFactory()
    chain(post, 8)
    CommentFactory(post=post)

    rows = layout_thread(oracle.thread(post), max_depth=5)

    assert [c.display_depth for c in rows] == [0, 1, 2, 3, 4, 5, 5, 5, 0]
    assert [c.opens_replies for c in rows] == [True, True, True, True, True, False, False, False, False]
    assert rows[7].closes == 5
    assert sum(c.closes for c in rows) == sum(c.opens_replies for c in rows)


@pytest.mark.django_db
def test_layout_counts_all_replies_below_each_comment():
    post = PostFactory()
    top = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=top)
    CommentFactory(post=post, parent=reply)
    CommentFactory(post=post, parent=top)
    CommentFactory(post=post)

    rows = layout_thread(oracle.thread(post), max_depth=5)

    assert [c.reply_total for c in rows] == [3, 1, 0, 0, 0]


@pytest.mark.django_db
def test_layout_links_each_reply_to_its_parent_row():
    post = PostFactory()
    top = CommentFactory(post=post)
    CommentFactory(post=post, parent=top)

    rows = layout_thread(oracle.thread(post), max_depth=5)

    assert rows[1].parent_comment is rows[0]
