from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment, CommentRevision
from forum.posts.models import Post
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit(client, comment, body):
    return client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": body})


def test_author_edits_and_the_earlier_text_is_kept(client):
    comment = CommentFactory(body="Frist")
    client.force_login(comment.author)

    response = edit(client, comment, "First")

    comment.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert comment.body == "First"
    assert comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["Frist"]


def test_edited_comment_shows_edited_on_the_page(client):
    comment = CommentFactory()
    client.force_login(comment.author)
    edit(client, comment, "Changed my mind")

    response = client.get(comment.post.get_absolute_url())

    assert "Changed my mind" in response.text
    assert 'class="comment-edited"' in response.text


def test_someone_else_cannot_edit_even_with_a_crafted_post(client):
    comment = CommentFactory(body="Mine")
    client.force_login(UserFactory())

    response = edit(client, comment, "Yours now")

    comment.refresh_from_db()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert comment.body == "Mine"


def test_edit_with_empty_text_comes_back_with_a_message(client):
    comment = CommentFactory(body="Mine")
    client.force_login(comment.author)

    response = edit(client, comment, "   ")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please write something before posting." in response.text
    assert Comment.objects.get(pk=comment.pk).body == "Mine"


def test_edit_window_closes_editing(client, settings):
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 15
    comment = CommentFactory(body="Old")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(comment.author)

    response = edit(client, comment, "New")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "The time for editing this comment has passed." in response.text
    assert "New" in response.text
    assert Comment.objects.get(pk=comment.pk).body == "Old"


def test_editing_on_a_closed_post_is_refused_and_the_text_kept(client):
    comment = CommentFactory(body="Old")
    Post.objects.filter(pk=comment.post_id).update(closed_at=timezone.now())
    client.force_login(comment.author)

    response = edit(client, comment, "My careful new wording")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Comments are closed." in response.text
    assert "My careful new wording" in response.text
    assert Comment.objects.get(pk=comment.pk).body == "Old"


def test_deleting_a_comment_without_replies_removes_it(client):
    comment = CommentFactory()
    client.force_login(comment.author)

    client.post(reverse("comments:delete", kwargs={"pk": comment.pk}))

    assert not Comment.objects.exists()
    assert Post.objects.get(pk=comment.post_id).comment_count == 0


def test_deleting_a_comment_with_replies_leaves_a_placeholder(client):
    comment = CommentFactory(body="Regrettable")
    reply = CommentFactory(post=comment.post, parent=comment, body="A reply in context")
    client.force_login(comment.author)

    client.post(reverse("comments:delete", kwargs={"pk": comment.pk}))
    page = client.get(comment.post.get_absolute_url())

    assert "This comment was deleted." in page.text
    assert "Regrettable" not in page.text
    assert reply.body in page.text
    assert Post.objects.get(pk=comment.post_id).comment_count == 1
    assert "1 comment on" in page.text


def test_placeholder_goes_when_its_last_reply_is_deleted(client):
    comment = CommentFactory()
    reply = CommentFactory(post=comment.post, parent=comment)
    client.force_login(comment.author)
    client.post(reverse("comments:delete", kwargs={"pk": comment.pk}))
    client.force_login(reply.author)

    client.post(reverse("comments:delete", kwargs={"pk": reply.pk}))

    assert not Comment.objects.exists()


def test_someone_else_cannot_delete(client):
    comment = CommentFactory()
    client.force_login(UserFactory())

    response = client.post(reverse("comments:delete", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_delete_asks_for_confirmation_first(client):
    comment = CommentFactory()
    client.force_login(comment.author)

    response = client.get(reverse("comments:delete", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.OK
    assert Comment.objects.filter(pk=comment.pk).exists()
