"""The header's queue count: what it counts, who sees it, and what it costs."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from forum.comments.models import Comment
from forum.moderation import services
from forum.moderation.context_processors import moderation, queue_size
from forum.moderation.queue import waiting_items
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = ModeratorFactory()
    return user


def report(**target):
    services.report_create(reporter=UserFactory(), reason="spam", **target)


def hold(comment, *, urgent=False):
    Comment.objects.filter(pk=comment.pk).update(held_at=comment.created_at, is_urgent=urgent)


def request_as(user):
    """A request whose user is loaded as a session loads it."""
    request = RequestFactory().get("/")
    request.user = User.objects.for_session().get(pk=user.pk) if user.is_authenticated else user
    return request


def nav(request) -> str:
    return render_to_string("includes/_moderation_nav.html", moderation(request), request=request)


def test_counts_held_comments(moderator):
    hold(CommentFactory())
    hold(CommentFactory())

    assert queue_size() == {"total": 2, "urgent": 0}


def test_counts_reported_comments_and_posts_once_each(moderator):
    comment = CommentFactory()
    post = PostFactory()
    report(comment=comment)
    report(comment=comment)
    report(post=post)

    assert queue_size()["total"] == 2


def test_held_comment_that_is_also_reported_counts_once(moderator):
    comment = CommentFactory()
    hold(comment)
    report(comment=comment)

    assert queue_size()["total"] == 1


def test_counts_urgent_comments_separately(moderator):
    hold(CommentFactory(), urgent=True)
    hold(CommentFactory())

    assert queue_size() == {"total": 2, "urgent": 1}


def test_handled_items_leave_the_count(moderator):
    held = CommentFactory()
    hold(held)
    reported = CommentFactory()
    report(comment=reported)
    services.comment_remove(comment=Comment.objects.get(pk=held.pk), actor=moderator, reason="Spam")
    services.reports_dismiss(comment=reported, actor=moderator)

    assert queue_size() == {"total": 0, "urgent": 0}


def test_count_matches_the_queue(moderator):
    hold(CommentFactory(), urgent=True)
    both = CommentFactory()
    hold(both)
    report(comment=both)
    reported = CommentFactory()
    report(comment=reported)
    report(post=PostFactory())
    services.comment_remove(comment=CommentFactory(), actor=moderator, reason="Gone")

    items = waiting_items()

    assert queue_size() == {"total": len(items), "urgent": sum(item.is_urgent for item in items)}


def test_count_is_one_query(django_assert_num_queries):
    hold(CommentFactory(), urgent=True)
    report(post=PostFactory())

    with django_assert_num_queries(1):
        queue_size()


def test_header_shows_moderators_the_queue_count(moderator):
    hold(CommentFactory(), urgent=True)
    hold(CommentFactory())
    comment = CommentFactory()
    report(comment=comment)

    html = nav(request_as(moderator))

    assert reverse("moderation:queue") in html
    assert "Queue (3)" in html
    assert "1 urgent" in html


def test_header_links_moderators_to_the_log(moderator):
    html = nav(request_as(moderator))

    assert reverse("moderation:log") in html


def test_header_counts_only_when_shown(moderator, django_assert_num_queries):
    request = request_as(moderator)

    with django_assert_num_queries(0):
        moderation(request)


@pytest.mark.parametrize("who", ["member", "visitor"])
def test_header_shows_others_nothing_and_asks_nothing(who, django_assert_num_queries):
    request = request_as(UserFactory() if who == "member" else AnonymousUser())

    with django_assert_num_queries(0):
        html = nav(request)

    assert html.strip() == ""
