"""Removing, restoring and editing a comment, and the comment's moderation page."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.services import comment_edit
from forum.moderation import services
from forum.moderation.models import ModerationAction, Report
from forum.posts.models import Post
from tests.comments import oracle
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    user = ModeratorFactory(display_name="Maya Moderator")
    return user


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return moderator


def page_url(comment):
    return reverse("moderation:comment", kwargs={"pk": comment.pk})


def action_url(name, comment):
    return reverse(f"moderation:comment-{name}", kwargs={"pk": comment.pk})


# --- The moderation page ---------------------------------------------------------


def test_comment_page_is_forbidden_to_members(client):
    comment = CommentFactory()
    client.force_login(UserFactory())

    response = client.get(page_url(comment))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_comment_page_shows_text_state_and_forms(client, as_moderator):
    comment = CommentFactory(body="The words in question.")

    response = client.get(page_url(comment))

    page = response.text
    assert response.status_code == HTTPStatus.OK
    assert "The words in question." in page
    assert "Published" in page
    assert action_url("remove", comment) in page
    assert action_url("spam", comment) in page
    assert action_url("edit", comment) in page
    assert reverse("moderation:comment-lock", kwargs={"pk": comment.pk}) in page


def test_comment_page_offers_approval_for_a_held_comment(client, as_moderator, settings):
    settings.MODERATION_HOLD_ALL = True
    comment = CommentFactory()

    page = client.get(page_url(comment)).text

    assert action_url("approve", comment) in page
    assert "Held for approval" in page


def test_comment_page_offers_restore_for_a_removed_comment(client, as_moderator):
    comment = services.comment_remove(comment=CommentFactory(), actor=as_moderator, reason="Off-topic")

    page = client.get(page_url(comment)).text

    assert action_url("restore", comment) in page
    assert action_url("remove", comment) not in page
    assert "Off-topic" in page


def test_comment_page_offers_unlock_for_a_locked_comment(client, as_moderator):
    comment = services.comment_lock(comment=CommentFactory(), actor=as_moderator, reason="Cooling off")

    page = client.get(page_url(comment)).text

    assert reverse("moderation:comment-unlock", kwargs={"pk": comment.pk}) in page
    assert "Replies locked" in page


def test_comment_page_lists_earlier_versions_newest_first_with_who_replaced_them(client, as_moderator):
    author = UserFactory(display_name="Robin Ash")
    comment = CommentFactory(author=author, body="First version.")
    comment_edit(comment=comment, editor=author, body="Second version.")
    services.comment_moderator_edit(comment=comment, actor=as_moderator, body="Third version.")

    page = client.get(page_url(comment)).text

    earlier = page[page.index("Earlier versions") :]
    assert earlier.index("Second version.") < earlier.index("First version.")
    assert "by Maya Moderator" in earlier
    assert "by Robin Ash" in earlier


def test_comment_page_lists_its_reports(client, as_moderator):
    comment = CommentFactory()
    services.report_create(
        reporter=UserFactory(), reason=Report.Reason.OTHER, note="Feels like an advert.", comment=comment
    )

    page = client.get(page_url(comment)).text

    assert "Feels like an advert." in page
    assert action_url("dismiss", comment) in page


def test_comment_page_query_count_is_fixed(client, as_moderator, django_assert_max_num_queries):
    comment = CommentFactory()
    for n in range(10):
        comment_edit(comment=comment, editor=as_moderator, body=f"Version {n}")
        services.report_create(reporter=UserFactory(), reason=Report.Reason.SPAM, comment=comment)

    with django_assert_max_num_queries(7):
        response = client.get(page_url(comment))

    assert response.status_code == HTTPStatus.OK


# --- Removing and restoring ----------------------------------------------------------


def thread(client, comment):
    return client.get(comment.post.get_absolute_url()).text


def test_removed_comment_with_replies_leaves_a_placeholder_with_the_public_reason(client, moderator):
    parent = CommentFactory(body="The removed words.")
    CommentFactory(post=parent.post, parent=parent, body="A reply that stays.")

    services.comment_remove(comment=parent, actor=moderator, reason="Shares an address", show_reason=True)

    page = thread(client, parent)
    assert "The removed words." not in page
    assert "Removed by a moderator. Shares an address" in page
    assert page.index("Removed by a moderator.") < page.index("A reply that stays.")


def test_removed_comment_keeps_a_private_reason_private(client, moderator):
    parent = CommentFactory()
    CommentFactory(post=parent.post, parent=parent)

    services.comment_remove(comment=parent, actor=moderator, reason="Internal note", show_reason=False)

    page = thread(client, parent)
    assert "Removed by a moderator." in page
    assert "Internal note" not in page


def test_removed_comment_without_replies_disappears_for_readers(client, moderator):
    comment = CommentFactory(body="Gone entirely.")

    services.comment_remove(comment=comment, actor=moderator, reason="Spam")

    page = thread(client, comment)
    assert "Gone entirely." not in page
    assert "Removed by a moderator." not in page
    assert "0 comments on" in page


def test_moderators_see_the_removed_comments_placeholder_with_its_moderate_link(client, as_moderator):
    comment = CommentFactory(body="Gone entirely.")
    services.comment_remove(comment=comment, actor=as_moderator, reason="Spam")

    page = thread(client, comment)

    assert "Removed by a moderator." in page
    assert "Gone entirely." not in page
    assert page_url(comment) in page


def test_moderators_see_a_moderate_link_on_each_comment(client, as_moderator):
    comments = CommentFactory.create_batch(2, post=PostFactory())

    page = thread(client, comments[0])

    assert all(page_url(comment) in page for comment in comments)


def test_readers_see_no_moderate_link(client):
    comment = CommentFactory()
    client.force_login(UserFactory())

    page = thread(client, comment)

    assert page_url(comment) not in page


def test_removal_takes_the_comment_out_of_the_count(client, as_moderator):
    comment = CommentFactory()

    client.post(action_url("remove", comment), {"reason": "Spam"})

    assert Post.objects.get(pk=comment.post_id).comment_count == 0


def test_restore_brings_back_the_same_text_author_time_position_and_count(client, as_moderator):
    post = PostFactory()
    first = CommentFactory(post=post)
    middle = CommentFactory(post=post, body="Back as it was.", created_at=timezone.now() - timedelta(days=2))
    CommentFactory(post=post, parent=middle)
    CommentFactory(post=post)
    before = Comment.objects.get(pk=middle.pk)
    order_before = list(oracle.thread(post).values_list("pk", flat=True))
    client.post(action_url("remove", middle), {"reason": "Mistake"})

    response = client.post(action_url("restore", middle))

    after = Comment.objects.get(pk=middle.pk)
    assert response.status_code == HTTPStatus.FOUND
    assert (after.body, after.body_html, after.author_id, after.created_at, after.path, after.parent_id) == (
        before.body,
        before.body_html,
        before.author_id,
        before.created_at,
        before.path,
        before.parent_id,
    )
    assert list(oracle.thread(post).values_list("pk", flat=True)) == order_before
    assert Post.objects.get(pk=post.pk).comment_count == 4
    assert first.pk in order_before


def test_restoring_an_old_comment_keeps_the_latest_comment_time(client, as_moderator):
    post = PostFactory()
    old = CommentFactory(post=post, created_at=timezone.now() - timedelta(days=3))
    CommentFactory(post=post)
    latest = Post.objects.get(pk=post.pk).last_comment_at
    client.post(action_url("remove", old), {"reason": "Mistake"})

    client.post(action_url("restore", old))

    assert Post.objects.get(pk=post.pk).last_comment_at == latest


def test_restored_comment_shows_in_the_thread_again(client, as_moderator):
    comment = CommentFactory(body="Visible once more.")
    services.comment_remove(comment=comment, actor=as_moderator, reason="Mistake")

    client.post(action_url("restore", comment))
    client.logout()

    assert "Visible once more." in thread(client, comment)


def test_remove_and_restore_are_logged(client, as_moderator):
    comment = CommentFactory()

    client.post(action_url("remove", comment), {"reason": "Spam"})
    client.post(action_url("restore", comment))

    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [ModerationAction.Kind.REMOVE, ModerationAction.Kind.RESTORE]


# --- Moderator edits ----------------------------------------------------------------


def test_moderator_edit_changes_the_text_and_says_so_in_the_thread(client, as_moderator):
    comment = CommentFactory(body="Call me on 555-0199.")

    response = client.post(action_url("edit", comment), {"body": "Call me on [number removed].", "note": "Phone"})

    comment.refresh_from_db()
    assert response.url == page_url(comment)
    assert comment.body == "Call me on [number removed]."
    assert comment.edited_by_moderator is True
    assert comment.revisions.get().body == "Call me on 555-0199."
    assert ModerationAction.objects.get(kind=ModerationAction.Kind.EDIT).reason == "Phone"
    client.logout()
    assert "edited by a moderator" in thread(client, comment)


def test_moderator_edit_with_an_empty_text_comes_back_with_the_error(client, as_moderator):
    comment = CommentFactory(body="Unchanged.")

    response = client.post(action_url("edit", comment), {"body": "  ", "note": "Typed note"})

    comment.refresh_from_db()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please write something before posting." in response.text
    assert "Typed note" in response.text
    assert comment.body == "Unchanged."


def test_moderator_edit_without_changes_saves_nothing(client, as_moderator):
    comment = CommentFactory(body="Same.")

    client.post(action_url("edit", comment), {"body": "Same."})

    assert not comment.revisions.exists()
    assert not ModerationAction.objects.exists()
