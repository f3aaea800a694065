"""Fragments set aside while a page renders end up in its bytes, in place, once."""

import uuid
from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from forum.posts import fragments
from tests.factories import CommentFactory

FRAGMENT_MARKER = b"<!--fragment "


def test_a_fragment_takes_its_markers_place():
    request = RequestFactory().get("/")
    marker = fragments.set_aside(request, "<p>Caf\u00e9 talk</p>")
    response = HttpResponse(f"<main>{marker}</main>")

    fragments.splice(request, response)

    assert response.content.decode() == "<main><p>Caf\u00e9 talk</p></main>"


def test_each_request_gets_its_own_markers():
    first, second = RequestFactory().get("/"), RequestFactory().get("/")

    assert fragments.set_aside(first, "a") != fragments.set_aside(second, "a")


def test_a_response_without_fragments_is_left_alone():
    request = RequestFactory().get("/")
    response = HttpResponse("<main>unchanged</main>")

    assert fragments.splice(request, response).content == b"<main>unchanged</main>"


@pytest.mark.django_db
def test_the_thread_is_spliced_into_the_post_page(client):
    comment = CommentFactory(body="Spliced \u2014 in place")
    post = comment.post

    page = client.get(post.get_absolute_url()).content.decode()

    assert FRAGMENT_MARKER.decode() not in page
    assert page.count(f'id="comment-{comment.pk}"') == 1
    # Where the template put the thread: in the discussion, after the heading that counts it.
    assert page.index('id="comments-heading"') < page.index("Spliced \u2014 in place") < page.index("</section>")


@pytest.mark.django_db
def test_the_page_that_comes_back_after_a_failed_comment_has_its_thread(client):
    comment = CommentFactory(body="Still here after the error")
    client.force_login(comment.author)
    url = reverse("comments:create", kwargs={"slug": comment.post.slug})

    response = client.post(url, {"body": "", "parent": "", "token": str(uuid.uuid4())})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert FRAGMENT_MARKER not in response.content
    assert "Still here after the error" in response.text
