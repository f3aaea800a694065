import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from forum.posts import pages
from forum.posts.models import Post
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

FOLLOW = "notifications/includes/_follow.html"
DISCUSSION = "comments/includes/_discussion.html"


def page_context(user, post):
    request = RequestFactory().get(post.get_absolute_url())
    request.user, request.session = user, {}
    return pages.post_page_context(request, post)


def test_a_section_with_nothing_for_the_reader_is_left_out_of_the_page(monkeypatch):
    monkeypatch.setattr(pages, "_sections", [])
    pages.register_section(template="shown.html", build_context=lambda request, post: {"shown": True})
    pages.register_section(template="left-out.html", build_context=lambda request, post: None, order=50)

    context = page_context(AnonymousUser(), PostFactory())

    assert context["post_sections"] == ["shown.html"]
    assert context["shown"] is True


def test_guests_get_the_discussion_without_the_follow_section():
    assert page_context(AnonymousUser(), PostFactory())["post_sections"] == [DISCUSSION]


def test_members_get_the_follow_section_above_the_discussion():
    context = page_context(UserFactory(), PostFactory())

    assert context["post_sections"] == [FOLLOW, DISCUSSION]
    assert context["may_follow"] is True


def test_no_follow_section_on_an_unpublished_post():
    draft = PostFactory(status=Post.Status.DRAFT)

    assert page_context(draft.author, draft)["post_sections"] == [DISCUSSION]
