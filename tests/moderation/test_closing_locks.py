"""Locking a sub-thread: the moderators' endpoints, and how the discussion enforces a lock."""

import uuid
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.moderation import services
from forum.moderation.models import ModerationAction
from tests.factories import CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = ModeratorFactory()
    return user


@pytest.fixture
def thread():
    """root > child > grandchild, plus another top-level comment."""
    root = CommentFactory(body="Root words")
    child = CommentFactory(post=root.post, parent=root, body="Child words")
    grandchild = CommentFactory(post=root.post, parent=child, body="Grandchild words")
    other = CommentFactory(post=root.post, body="Other words")
    return root, child, grandchild, other


def lock_url(comment):
    return reverse("moderation:comment-lock", kwargs={"pk": comment.pk})


def unlock_url(comment):
    return reverse("moderation:comment-unlock", kwargs={"pk": comment.pk})


def reply(client, parent, body, **headers):
    data = {"body": body, "parent": parent.pk, "token": str(uuid.uuid4())}
    return client.post(reverse("comments:create", kwargs={"slug": parent.post.slug}), data, headers=headers)


def fresh(comment):
    return Comment.objects.get(pk=comment.pk)


# --- The endpoints -------------------------------------------------------------


def test_lock_page_shows_the_comment_and_the_form(client, moderator, thread):
    root = thread[0]
    client.force_login(moderator)

    response = client.get(lock_url(root))

    assert response.status_code == HTTPStatus.OK
    assert "Root words" in response.text
    assert 'name="reason"' in response.text
    assert 'name="until"' in response.text


def test_moderator_locks_a_sub_thread_and_returns_to_the_comment(client, moderator, thread):
    root = thread[0]
    client.force_login(moderator)

    response = client.post(lock_url(root), {"reason": "Going in circles."})

    locked = fresh(root)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == root.get_absolute_url()
    assert locked.locked_at is not None
    assert locked.lock_reason == "Going in circles."


def test_lock_is_logged(client, moderator, thread):
    root = thread[0]
    client.force_login(moderator)

    client.post(lock_url(root), {"reason": "Going in circles."})

    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.comment_id, action.post_id) == ("lock", moderator, root.pk, root.post_id)


def test_lock_with_an_unlock_time_sets_it(client, moderator, thread):
    root = thread[0]
    until = timezone.now() + timedelta(days=1)
    client.force_login(moderator)

    client.post(lock_url(root), {"reason": "", "until": timezone.localtime(until).strftime("%Y-%m-%dT%H:%M")})

    assert abs(fresh(root).lock_until - until) < timedelta(minutes=1)


def test_lock_with_a_past_unlock_time_is_refused_beside_the_field(client, moderator, thread):
    root = thread[0]
    client.force_login(moderator)

    response = client.post(lock_url(root), {"reason": "Kept reason", "until": "2020-01-01T00:00"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a time in the future" in response.text
    assert "Kept reason" in response.text
    assert fresh(root).locked_at is None


def test_moderator_unlocks_and_returns_to_the_comment(client, moderator, thread):
    root = thread[0]
    services.comment_lock(comment=root, actor=moderator, reason="Pause")
    client.force_login(moderator)

    response = client.post(unlock_url(root), {"reason": "Calmer"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url == root.get_absolute_url()
    assert fresh(root).locked_at is None
    assert ModerationAction.objects.first().kind == ModerationAction.Kind.UNLOCK


def test_lock_page_of_a_locked_comment_offers_to_unlock(client, moderator, thread):
    root = thread[0]
    services.comment_lock(comment=root, actor=moderator, reason="Pause")
    client.force_login(moderator)

    response = client.get(lock_url(root))

    assert f'action="{unlock_url(root)}"' in response.text
    assert "Pause" in response.text


@pytest.mark.parametrize("url", [lock_url, unlock_url])
def test_member_cannot_lock_or_unlock(client, thread, url):
    root = thread[0]
    client.force_login(UserFactory())

    response = client.post(url(root), {"reason": "Mine now"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert fresh(root).locked_at is None
    assert not ModerationAction.objects.exists()


def test_lock_page_runs_a_fixed_number_of_queries(client, moderator, thread, django_assert_max_num_queries):
    client.force_login(moderator)

    with django_assert_max_num_queries(4):  # session, user, comment with its post and author; the header's queue count
        client.get(lock_url(thread[2]))


def test_member_cannot_open_the_lock_page(client, thread):
    client.force_login(UserFactory())

    response = client.get(lock_url(thread[0]))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_visitor_is_sent_to_sign_in(client, thread):
    response = client.post(lock_url(thread[0]), {"reason": "x"})

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


# --- Enforcement ---------------------------------------------------------------


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_reply_anywhere_below_a_locked_comment_is_refused_with_the_text_kept(client, moderator, thread, depth):
    services.comment_lock(comment=thread[0], actor=moderator, reason="Going in circles.")
    client.force_login(UserFactory())

    response = reply(client, thread[depth], "But one more thing")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Replies to this part of the discussion are closed." in response.text
    assert "But one more thing" in response.text
    assert not Comment.objects.filter(body="But one more thing").exists()


def test_lock_refusal_answers_json(client, moderator, thread):
    services.comment_lock(comment=thread[0], actor=moderator, reason="Going in circles.")
    client.force_login(UserFactory())

    response = reply(client, thread[2], "x", Accept="application/json")

    body = response.json()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert body["code"] == "thread_locked"
    assert body["reason"] == "Going in circles."


def test_replies_elsewhere_in_the_discussion_still_work(client, moderator, thread):
    services.comment_lock(comment=thread[0], actor=moderator)
    client.force_login(UserFactory())

    response = reply(client, thread[3], "Elsewhere")

    assert response.status_code == HTTPStatus.FOUND


def test_a_lock_on_a_neighbouring_branch_of_the_same_thread_does_not_apply(client, moderator, thread):
    root, _, grandchild, _ = thread
    # Under the same top-level comment as `grandchild`, as deep, but not above it.
    sibling = CommentFactory(post=root.post, parent=root, body="Sibling words")
    nephew = CommentFactory(post=root.post, parent=sibling, body="Nephew words")
    services.comment_lock(comment=nephew, actor=moderator)
    services.comment_lock(comment=sibling, actor=moderator)
    client.force_login(UserFactory())

    assert reply(client, grandchild, "Still open here").status_code == HTTPStatus.FOUND
    assert reply(client, nephew, "Closed here").status_code == HTTPStatus.FORBIDDEN


def test_moderators_may_still_reply_below_a_lock(client, moderator, thread):
    services.comment_lock(comment=thread[0], actor=moderator)
    client.force_login(moderator)

    response = reply(client, thread[2], "Moderator note")

    assert response.status_code == HTTPStatus.FOUND


def test_lock_whose_end_has_passed_no_longer_applies(client, moderator, thread):
    root = thread[0]
    services.comment_lock(comment=root, actor=moderator, until=timezone.now() + timedelta(hours=1))
    Comment.objects.filter(pk=root.pk).update(lock_until=timezone.now() - timedelta(seconds=1))
    client.force_login(UserFactory())

    response = reply(client, thread[1], "Open again")
    page = client.get(root.post.get_absolute_url())

    assert response.status_code == HTTPStatus.FOUND
    assert "Replies to this part of the discussion are closed." not in page.text


def test_notice_shows_once_at_the_root_of_the_locked_sub_thread(client, moderator, thread):
    root = thread[0]
    services.comment_lock(comment=thread[1], actor=moderator, reason="Going in circles.")
    client.force_login(UserFactory())

    html = client.get(root.post.get_absolute_url()).text

    notice = html.index("Replies to this part of the discussion are closed.")
    assert html.count("Replies to this part of the discussion are closed.") == 1
    assert html.index("Child words") < notice < html.index("Grandchild words")
    assert "Going in circles." in html


def test_reply_links_disappear_below_the_lock_only(client, moderator, thread):
    root, child, grandchild, other = thread
    services.comment_lock(comment=child, actor=moderator)
    client.force_login(UserFactory())

    html = client.get(root.post.get_absolute_url()).text

    assert f'href="?replyto={root.pk}#reply-form"' in html
    assert f'href="?replyto={other.pk}#reply-form"' in html
    assert f"?replyto={child.pk}#" not in html
    assert f"?replyto={grandchild.pk}#" not in html
