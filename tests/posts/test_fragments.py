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


def expecting():
    request = RequestFactory().get("/")
    fragments.expect(request)
    return request


def test_a_fragment_takes_its_markers_place():
    request = expecting()
    marker = fragments.set_aside(request, "<p>Caf\u00e9 talk</p>")
    response = HttpResponse(f"<main>{marker}</main>")

    fragments.splice(request, response)

    assert response.content.decode() == "<main><p>Caf\u00e9 talk</p></main>"


def test_several_fragments_each_take_their_own_place():
    request = expecting()
    first = fragments.set_aside(request, "<p>one</p>")
    second = fragments.set_aside(request, "<p>two</p>")
    response = HttpResponse(f"<main>{second}<hr>{first}</main>")

    fragments.splice(request, response)

    assert response.content == b"<main><p>two</p><hr><p>one</p></main>"


def test_each_request_gets_its_own_markers():
    assert fragments.set_aside(expecting(), "a") != fragments.set_aside(expecting(), "a")


def test_without_a_view_that_expects_them_fragments_stay_in_the_page():
    request = RequestFactory().get("/")

    assert fragments.set_aside(request, "<p>inline</p>") == "<p>inline</p>"


def test_a_response_without_fragments_is_left_alone():
    request = expecting()
    response = HttpResponse("<main>unchanged</main>")

    assert fragments.splice(request, response).content == b"<main>unchanged</main>"


def test_a_lost_marker_is_logged(caplog):
    request = expecting()
    fragments.set_aside(request, "<p>never placed</p>")
    response = HttpResponse("<main>the marker was dropped</main>")

    fragments.splice(request, response)

    assert response.content == b"<main>the marker was dropped</main>"
    assert "marker is missing" in caplog.text


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
