from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from forum.posts.models import Post
from forum.posts.rules import AUTHORS_GROUP, can_edit_post, can_start_discussion
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    return {"title": "A crafted post", "body": "Text.", "status": "published"} | overrides


def test_any_member_may_start_a_discussion_by_default():
    member = UserFactory()

    assert can_start_discussion(member)


def test_visitors_may_not_start_a_discussion():
    assert not can_start_discussion(AnonymousUser())


def test_inactive_member_may_not_start_a_discussion():
    member = UserFactory(is_active=False)

    assert not can_start_discussion(member)


def test_authors_group_only_refuses_other_members(settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True
    member = UserFactory()

    assert not can_start_discussion(member)


def test_authors_group_only_allows_authors(settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True
    member = UserFactory()
    member.groups.add(Group.objects.create(name=AUTHORS_GROUP))

    assert can_start_discussion(member)


def test_authors_group_only_allows_staff(settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True
    staff = UserFactory(is_staff=True)

    assert can_start_discussion(staff)


def test_author_may_edit_own_post():
    post = PostFactory()

    assert can_edit_post(post.author, post)


def test_staff_may_edit_any_post():
    post = PostFactory()

    assert can_edit_post(UserFactory(is_staff=True), post)


def test_other_member_may_not_edit_a_post():
    post = PostFactory()

    assert not can_edit_post(UserFactory(), post)


def test_crafted_create_by_non_author_is_forbidden(client, settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True
    client.force_login(UserFactory())

    response = client.post(reverse("posts:create"), post_data())

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Post.objects.exists()


def test_create_page_is_forbidden_to_non_authors(client, settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True
    client.force_login(UserFactory())

    response = client.get(reverse("posts:create"))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_crafted_edit_by_another_member_is_forbidden(client):
    post = PostFactory(title="Original")
    client.force_login(UserFactory())

    response = client.post(reverse("posts:edit", kwargs={"slug": post.slug}), post_data(title="Defaced"))

    assert response.status_code == HTTPStatus.FORBIDDEN
    post.refresh_from_db()
    assert post.title == "Original"


def test_visitor_is_sent_to_sign_in_before_writing(client):
    response = client.get(reverse("posts:create"))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_start_button_shows_for_permitted_members(client):
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert reverse("posts:create") in response.text


def test_start_button_hidden_from_non_authors(client, settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True
    client.force_login(UserFactory())

    response = client.get(reverse("home"))

    assert reverse("posts:create") not in response.text


def test_post_page_offers_edit_to_its_author(client):
    post = PostFactory()
    client.force_login(post.author)

    response = client.get(post.get_absolute_url())

    assert reverse("posts:edit", kwargs={"slug": post.slug}) in response.text


def test_post_page_offers_no_edit_to_other_members(client):
    post = PostFactory()
    client.force_login(UserFactory())

    response = client.get(post.get_absolute_url())

    assert reverse("posts:edit", kwargs={"slug": post.slug}) not in response.text
