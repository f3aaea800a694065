from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.moderation.services import comment_remove, discussion_close
from forum.posts import page_cache
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def read(client, post, **headers):
    return client.get(post.get_absolute_url(), headers=headers)


def warm(client, post):
    """The first view learns the post's id, the second stores the page."""
    read(client, post)
    return read(client, post)


def test_signed_out_reader_is_served_from_the_cache(client, django_assert_num_queries):
    post = PostFactory()
    warm(client, post)

    with django_assert_num_queries(0):
        response = read(client, post)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Page-Cache"] == "hit"
    assert post.title in response.text


def test_browser_revalidates_with_a_304(client):
    post = PostFactory()
    etag = warm(client, post)["ETag"]

    response = read(client, post, **{"If-None-Match": etag})

    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert response["ETag"] == etag


def test_cached_page_says_when_it_last_changed(client):
    post = PostFactory()

    response = warm(client, post)

    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, no-cache"


def test_signed_in_members_never_get_the_shared_page(client):
    post = PostFactory()
    warm(client, post)
    client.force_login(UserFactory(display_name="Rosa"))

    response = read(client, post)

    assert "X-Page-Cache" not in response
    assert "Rosa" in response.text


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda post: CommentFactory(post=post, body="A brand new comment"), id="new comment"),
        pytest.param(lambda post: Post.objects.get(pk=post.pk).save(), id="post saved"),
    ],
)
def test_page_is_rendered_again_after_a_change(client, post_with_comment, change, django_capture_on_commit_callbacks):
    post = post_with_comment
    etag = warm(client, post)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        change(post)
    response = read(client, post, **{"If-None-Match": etag})

    assert response.status_code == HTTPStatus.OK
    assert response["ETag"] != etag


@pytest.fixture
def post_with_comment():
    comment = CommentFactory(body="The first words")
    return comment.post


def test_no_reader_sees_a_removed_comment_after_the_removal_commits(client, django_capture_on_commit_callbacks):
    comment = CommentFactory(body="Something that must come down")
    warm(client, comment.post)

    with django_capture_on_commit_callbacks(execute=True):
        comment_remove(comment=comment, actor=UserFactory(is_staff=True), reason="Personal details")
    response = read(client, comment.post)

    assert "Something that must come down" not in response.text


def test_no_reader_sees_an_open_form_after_closing_commits(client, django_capture_on_commit_callbacks):
    post = CommentFactory().post
    warm(client, post)

    with django_capture_on_commit_callbacks(execute=True):
        discussion_close(post=post, actor=UserFactory(is_staff=True), reason="Cooling off")
    response = read(client, post)

    assert "Comments are closed." in response.text


def test_edited_comment_shows_its_new_text_to_readers(client, django_capture_on_commit_callbacks):
    comment = CommentFactory(body="Old wording")
    warm(client, comment.post)
    client.force_login(comment.author)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:edit", kwargs={"pk": comment.pk}), {"body": "New wording"})
    client.logout()
    client.cookies.clear()
    response = read(client, comment.post)

    assert "New wording" in response.text


def test_a_like_renews_the_page(client, django_capture_on_commit_callbacks):
    comment = CommentFactory()
    etag = warm(client, comment.post)["ETag"]
    client.force_login(UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:like"), {"comment": comment.pk})
    client.cookies.clear()
    response = read(client, comment.post, **{"If-None-Match": etag})

    assert response.status_code == HTTPStatus.OK
    assert Comment.objects.get(pk=comment.pk).like_count == 1


def test_renamed_member_shows_the_new_name_everywhere(client, django_capture_on_commit_callbacks):
    comment = CommentFactory(author=UserFactory(display_name="Old Name"))
    warm(client, comment.post)

    with django_capture_on_commit_callbacks(execute=True):
        comment.author.display_name = "New Name"
        comment.author.save()
    response = read(client, comment.post)

    assert "New Name" in response.text


def test_scheduled_close_limits_how_long_the_page_is_kept(client, monkeypatch):
    post = CommentFactory().post
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now() + timezone.timedelta(seconds=30))
    read(client, post)
    stored = {}
    original_set = page_cache.cache.set

    def remember_set(key, value, timeout=None):
        if key.startswith('post-page:"'):
            stored["timeout"] = timeout
        return original_set(key, value, timeout)

    monkeypatch.setattr(page_cache.cache, "set", remember_set)

    read(client, post)

    assert 1 <= stored["timeout"] <= 31
