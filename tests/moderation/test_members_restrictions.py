"""A suspended member reads and signs in, writes nothing, and is told why and until when."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from forum.comments.models import Comment, CommentLike, PostLike
from forum.moderation import services
from forum.moderation.context_processors import moderation
from forum.moderation.models import Report
from forum.moderation.rules import ModerationDenied
from forum.posts.models import Post
from tests.factories import PASSWORD, CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = ModeratorFactory()
    return user


@pytest.fixture
def suspension(moderator):
    member = UserFactory(username="sam")
    return services.member_suspend(
        member=member,
        actor=moderator,
        reason="Insults",
        public_reason="Insulting other members",
        until=timezone.now() + timedelta(days=3),
    )


@pytest.fixture
def suspended(client, suspension):
    client.force_login(suspension.member)
    return suspension.member


def end_of(suspension) -> str:
    return date_format(timezone.localtime(suspension.ends_at), "DATETIME_FORMAT")


def session_user(user):
    """The user as a request loads it, with the facts the session annotates."""
    return User.objects.for_session().get(pk=user.pk)


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


# --- Reading and signing in ------------------------------------------------------


def test_suspended_member_can_still_sign_in(client, suspension):
    response = client.post(reverse("account_login"), {"login": "sam", "password": PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert client.session.get("_auth_user_id") == str(suspension.member.pk)


def test_suspended_member_can_still_read_a_discussion(client, suspended):
    comment = CommentFactory(body="Readable by everyone")

    response = client.get(comment.post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK
    assert "Readable by everyone" in response.text


# --- Writing is refused, with the reason -----------------------------------------


def test_suspended_member_cannot_comment_and_is_told_until_when(client, suspension, suspended):
    post = PostFactory()

    response = client.post(reverse("comments:create", kwargs={"slug": post.slug}), {"body": "Let me in"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert end_of(suspension) in response.text
    assert "Insulting other members" in response.text
    assert not Comment.objects.exists()


def test_suspended_member_cannot_reply(client, suspended):
    parent = CommentFactory()

    response = client.post(
        reverse("comments:create", kwargs={"slug": parent.post.slug}), {"body": "A reply", "parent": parent.pk}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Comment.objects.count() == 1


def test_suspended_member_cannot_edit_their_comment(client, moderator):
    comment = CommentFactory(body="Before")
    services.member_suspend(member=comment.author, actor=moderator, reason="Insults")
    client.force_login(comment.author)

    response = client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": "After"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Comment.objects.get(pk=comment.pk).body == "Before"


def test_suspended_member_cannot_like_a_comment(client, suspended):
    comment = CommentFactory()

    response = client.post(reverse("comments:like"), {"comment": comment.pk})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not CommentLike.objects.exists()


def test_suspended_member_cannot_like_a_post(client, suspended):
    post = PostFactory()

    response = client.post(reverse("comments:post-like", kwargs={"slug": post.slug}))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not PostLike.objects.exists()


def test_suspended_member_cannot_report(suspension):
    comment = CommentFactory()

    with pytest.raises(ModerationDenied) as refused:
        services.report_create(reporter=session_user(suspension.member), reason="spam", comment=comment)

    assert refused.value.code == "suspended"
    assert not Report.objects.exists()


def test_suspended_member_cannot_start_a_discussion_and_is_told_until_when(client, suspension, suspended):
    data = {"title": "A crafted post", "body": "Text.", "status": "published"}

    response = client.post(reverse("posts:create"), data)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert end_of(suspension) in response.text
    assert not Post.objects.filter(title="A crafted post").exists()


def test_suspended_member_cannot_edit_their_post(client, moderator):
    post = PostFactory(title="Before")
    services.member_suspend(member=post.author, actor=moderator, reason="Insults")
    client.force_login(post.author)

    response = client.post(
        reverse("posts:edit", kwargs={"slug": post.slug}), {"title": "After", "body": "Text.", "status": "published"}
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Post.objects.get(pk=post.pk).title == "Before"


def test_suspended_member_is_not_offered_to_start_a_discussion(client, suspended):
    response = client.get(reverse("home"))

    assert reverse("posts:create") not in response.text


def test_lifted_suspension_lets_the_member_comment_again(client, moderator, suspension, suspended):
    services.suspension_lift(suspension=suspension, actor=moderator)
    post = PostFactory()

    response = client.post(reverse("comments:create", kwargs={"slug": post.slug}), {"body": "Thanks"})

    assert response.status_code == HTTPStatus.FOUND
    assert Comment.objects.filter(author=suspended, body="Thanks").exists()


# --- The site-wide notice --------------------------------------------------------


def test_notice_tells_the_suspended_member_until_when(suspension):
    request = request_for(session_user(suspension.member))

    html = render_to_string("includes/_member_notices.html", moderation(request), request=request)

    assert end_of(suspension) in html
    assert "Insulting other members" in html
    assert reverse("moderation:contact") in html


def test_notice_for_a_permanent_suspension_says_so(moderator):
    member = UserFactory()
    services.member_suspend(member=member, actor=moderator, reason="Spam")
    request = request_for(session_user(member))

    html = render_to_string("includes/_member_notices.html", moderation(request), request=request)

    assert "Your account is suspended, so you can read" in html


def test_notice_is_empty_for_a_member_in_good_standing():
    request = request_for(session_user(UserFactory()))

    html = render_to_string("includes/_member_notices.html", moderation(request), request=request)

    assert html.strip() == ""


def test_notice_costs_no_query_for_a_member_in_good_standing(django_assert_num_queries):
    request = request_for(session_user(UserFactory()))

    with django_assert_num_queries(0):
        context = moderation(request)

    assert context["member_restriction"] is None


def test_notice_costs_no_query_for_a_signed_out_reader(django_assert_num_queries):
    request = request_for(AnonymousUser())

    with django_assert_num_queries(0):
        context = moderation(request)

    assert context["member_restriction"] is None
