from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", ["post", "category", "tag"])
def test_admin_lists_open(admin_client, model):
    PostFactory()

    response = admin_client.get(reverse(f"admin:posts_{model}_changelist"))

    assert response.status_code == HTTPStatus.OK


def test_admin_post_page_opens(admin_client):
    post = PostFactory()

    response = admin_client.get(reverse("admin:posts_post_change", args=[post.pk]))

    assert response.status_code == HTTPStatus.OK


def test_admin_refuses_a_public_post_without_publish_time(admin_client):
    post = PostFactory()
    data = {
        "title": post.title,
        "slug": post.slug,
        "author": post.author.pk,
        "body": post.body,
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
    }

    response = admin_client.post(reverse("admin:posts_post_change", args=[post.pk]), data)

    assert response.status_code == HTTPStatus.OK
    assert "A published or scheduled post needs a publish time." in response.text
