from datetime import timedelta
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.posts.models import Post
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def test_feed_is_atom(client):
    response = client.get(reverse("posts:feed"))

    assert response.status_code == HTTPStatus.OK
    assert response.headers["Content-Type"].startswith("application/atom+xml")


def test_feed_holds_the_latest_twenty_published_posts(client):
    PostFactory.create_batch(22)

    response = client.get(reverse("posts:feed"))

    assert len(entries(response)) == 20


def test_feed_leaves_out_drafts_and_future_posts(client):
    PostFactory(title="Public")
    PostFactory(title="Draft", status=Post.Status.DRAFT, published_at=None)
    PostFactory(title="Later", status=Post.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1))

    response = client.get(reverse("posts:feed"))

    assert [entry.findtext(f"{ATOM}title") for entry in entries(response)] == ["Public"]


def test_feed_entry_links_the_post_and_names_the_author(client):
    post = PostFactory()
    post.categories.add(CategoryFactory(name="Policy"))

    entry = entries(client.get(reverse("posts:feed")))[0]

    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{post.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == post.author.public_name
    assert entry.find(f"{ATOM}category").get("term") == "Policy"


def test_feed_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for post in PostFactory.create_batch(20):
        post.categories.add(CategoryFactory())

    with django_assert_max_num_queries(1):  # posts with their authors and categories
        client.get(reverse("posts:feed"))
