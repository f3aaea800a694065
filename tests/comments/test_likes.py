from http import HTTPStatus

import pytest
from django.urls import reverse

from forum.comments.models import Comment, CommentLike, PostLike
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def like(client, comment, **kwargs):
    return client.post(reverse("comments:like"), {"comment": comment.pk}, **kwargs)


def test_like_then_unlike_a_comment(client):
    comment = CommentFactory()
    client.force_login(UserFactory())

    like(client, comment)
    liked = Comment.objects.get(pk=comment.pk).like_count
    like(client, comment)

    assert liked == 1
    assert Comment.objects.get(pk=comment.pk).like_count == 0
    assert not CommentLike.objects.exists()


def test_two_members_liking_count_twice(client):
    comment = CommentFactory()

    for _ in range(2):
        client.force_login(UserFactory())
        like(client, comment)

    assert Comment.objects.get(pk=comment.pk).like_count == 2


def test_like_answers_json_for_scripts(client):
    comment = CommentFactory()
    client.force_login(UserFactory())

    response = like(client, comment, headers={"Accept": "application/json"})

    assert response.json() == {"liked": True, "count": 1}


def test_signed_out_reader_is_sent_to_sign_in(client):
    comment = CommentFactory()

    response = like(client, comment)

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response.url
    assert not CommentLike.objects.exists()


def test_like_without_a_comment_is_a_bad_request(client):
    client.force_login(UserFactory())

    response = client.post(reverse("comments:like"), {"comment": "x"})

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_like_then_unlike_a_post(client):
    post = PostFactory()
    client.force_login(UserFactory())
    url = reverse("comments:post-like", kwargs={"slug": post.slug})

    first = client.post(url, headers={"Accept": "application/json"}).json()
    second = client.post(url, headers={"Accept": "application/json"}).json()

    assert first == {"liked": True, "count": 1}
    assert second == {"liked": False, "count": 0}
    assert Post.objects.get(pk=post.pk).like_count == 0


def test_likes_still_work_on_a_closed_post(client):
    comment = CommentFactory()
    Post.objects.filter(pk=comment.post_id).update(closed_at="2026-01-01T00:00Z")
    client.force_login(UserFactory())

    like(client, comment)

    assert Comment.objects.get(pk=comment.pk).like_count == 1


def test_page_marks_what_the_member_liked(client):
    comment = CommentFactory()
    member = UserFactory()
    CommentLike.objects.create(comment=comment, user=member)
    client.force_login(member)

    response = client.get(comment.post.get_absolute_url())

    assert 'aria-pressed="true"' in response.text


def test_held_comment_offers_no_like_button(client, settings):
    settings.MODERATION_HOLD_ALL = True
    member = UserFactory()
    comment = CommentFactory(author=member)
    client.force_login(member)

    response = client.get(comment.post.get_absolute_url())

    assert comment.body in response.text
    assert f'name="comment" value="{comment.pk}"' not in response.text


def test_the_post_page_shows_whether_this_member_likes_the_post(client):
    post = PostFactory()
    fan, other = UserFactory(), UserFactory()
    PostLike.objects.create(post=post, user=fan)
    PostLike.objects.create(post=PostFactory(), user=other)

    def pressed(member):
        client.force_login(member)
        page = client.get(post.get_absolute_url()).text
        return page.split('class="btn btn-outline-primary btn-sm like-post" aria-pressed="')[1].split('"')[0]

    assert pressed(fan) == "true"
    assert pressed(other) == "false"  # their like is on another post
    assert PostLike.objects.liked(fan, post) is True
    assert PostLike.objects.liked(other, post) is False
