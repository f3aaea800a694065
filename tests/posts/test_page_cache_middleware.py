from http import HTTPStatus

import pytest
from django.urls import reverse

from forum.posts import page_cache
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

# Set by the server, or differing between a rendered and a cached page by design.
UNCOMPARED = {"Date", "X-Page-Cache"}


def read(client, post, **headers):
    return client.get(post.get_absolute_url(), headers=headers)


def headers_of(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in UNCOMPARED}


def view_reached(request, slug):
    raise AssertionError("the middleware should have answered")


def test_cached_page_has_the_headers_of_the_rendered_one(client):
    post = PostFactory()
    read(client, post)

    rendered = read(client, post)
    cached = read(client, post)

    assert rendered["X-Page-Cache"] == "miss"
    assert cached["X-Page-Cache"] == "hit"
    assert headers_of(cached) == headers_of(rendered)
    assert cached.content == rendered.content


def test_cached_page_carries_the_security_headers(client):
    post = PostFactory()
    read(client, post)
    read(client, post)

    cached = read(client, post)

    assert "frame-ancestors 'none'" in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["Referrer-Policy"] == "same-origin"
    assert cached["Cross-Origin-Opener-Policy"] == "same-origin"
    assert cached["Vary"] == "Cookie"


def test_cached_page_is_answered_before_the_view(client, monkeypatch):
    post = PostFactory()
    read(client, post)
    read(client, post)
    monkeypatch.setattr(page_cache, "lookup_once", view_reached)

    response = read(client, post)

    assert response.status_code == HTTPStatus.OK
    assert response["X-Page-Cache"] == "hit"


def test_revalidation_is_answered_with_a_304_before_the_view(client, monkeypatch):
    post = PostFactory()
    read(client, post)
    etag = read(client, post)["ETag"]
    monkeypatch.setattr(page_cache, "lookup_once", view_reached)

    response = read(client, post, **{"If-None-Match": etag})

    assert response.status_code == HTTPStatus.NOT_MODIFIED
    assert response["ETag"] == etag
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_signed_in_member_bypasses_the_cached_page(client):
    post = PostFactory()
    read(client, post)
    read(client, post)
    client.force_login(UserFactory(display_name="Rosa"))

    response = read(client, post)

    assert "X-Page-Cache" not in response
    assert "Rosa" in response.text


def test_reader_with_a_pending_message_bypasses_the_cached_page(client):
    post = PostFactory()
    read(client, post)
    read(client, post)
    client.cookies["messages"] = "pending"

    response = read(client, post)

    assert "X-Page-Cache" not in response


def test_other_pages_are_left_to_the_views(client):
    post = PostFactory()
    read(client, post)
    read(client, post)

    response = client.get(reverse("posts:edit", kwargs={"slug": post.slug}))

    assert "X-Page-Cache" not in response
