from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from forum.comments.models import Comment
from forum.posts.models import Post
from tests.accounts.markup import main_html
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_shows_display_name_bio_and_join_date(client):
    member = UserFactory(
        display_name="Maya Lindqvist",
        bio="Mostly here for the gardening threads.",
        date_joined=datetime(2024, 3, 5, tzinfo=UTC),
    )

    response = client.get(member.get_absolute_url())

    html = main_html(response)
    assert "Maya Lindqvist" in html
    assert "Mostly here for the gardening threads." in html
    assert '<time datetime="2024-03-05T00:00:00+00:00">5 March 2024</time>' in html


def test_profile_shows_initials_avatar_without_images(client):
    member = UserFactory(display_name="Maya Lindqvist")

    response = client.get(member.get_absolute_url())

    html = main_html(response)
    assert ">ML</span>" in html
    assert "<img" not in html


def test_profile_of_unknown_member_is_not_found(client):
    response = client.get(reverse("accounts:profile", kwargs={"username": "nobody"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_profile_lists_recent_comments(client):
    member = UserFactory()
    CommentFactory(author=member, body="First thoughts on compost.")
    CommentFactory(author=member, body="A later reply about mulch.")

    response = client.get(member.get_absolute_url())

    html = main_html(response)
    assert html.index("A later reply about mulch.") < html.index("First thoughts on compost.")


def test_profile_hides_removed_comments(client):
    member = UserFactory()
    comment = CommentFactory(author=member, body="Removed by a moderator.")
    Comment.objects.filter(pk=comment.pk).update(removed_at=timezone.now())

    response = client.get(member.get_absolute_url())

    assert "Removed by a moderator." not in main_html(response)


def test_profile_hides_comments_deleted_by_their_author(client):
    member = UserFactory()
    comment = CommentFactory(author=member, body="Thought better of it.")
    Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now())

    response = client.get(member.get_absolute_url())

    assert "Thought better of it." not in main_html(response)


def test_profile_hides_comments_on_unpublished_posts(client):
    member = UserFactory()
    comment = CommentFactory(author=member, body="On a post taken back to draft.")
    Post.objects.filter(pk=comment.post_id).update(status=Post.Status.DRAFT)

    response = client.get(member.get_absolute_url())

    assert "On a post taken back to draft." not in main_html(response)


def test_profile_shows_placeholder_without_comments(client):
    member = UserFactory()

    response = client.get(member.get_absolute_url())

    assert "No comments yet." in main_html(response)


def test_profile_page_query_count(client, django_assert_num_queries):
    member = UserFactory()
    CommentFactory.create_batch(5, author=member)

    with django_assert_num_queries(2):  # member, comments with their posts
        client.get(member.get_absolute_url())


@pytest.mark.parametrize(
    ("display_name", "username", "initials"),
    [
        ("Maya (moderator)", "maya", "MM"),
        ("Maya Lindqvist Berg", "maya", "ML"),
        ("jean-luc", "jl", "JL"),
        ("🌱 ana", "ana", "A"),
        ("O'Brien", "ob", "O"),
        ("", "sam_lee", "SL"),
        ("(((", "zed", "Z"),
        ("ßeta ülla", "x", "SÜ"),
        ("a.b.c", "x", "AB"),
    ],
)
def test_initials_use_letters_and_digits_of_first_two_words(display_name, username, initials):
    member = User(display_name=display_name, username=username)

    assert member.initials == initials


def test_profile_edit_saves_display_name_and_bio(client):
    member = UserFactory()
    client.force_login(member)

    response = client.post(reverse("accounts:profile-edit"), {"display_name": "Maya", "bio": "Hello there."})

    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Maya", "Hello there.")


def test_profile_edit_strips_control_and_format_characters_from_display_name(client):
    member = UserFactory()
    client.force_login(member)

    # A right-to-left override, a zero-width space and a bell character.
    client.post(reverse("accounts:profile-edit"), {"display_name": "\u202eMa\u200bya\u0007", "bio": ""})

    member.refresh_from_db()
    assert member.display_name == "Maya"


def test_profile_edit_requires_sign_in(client):
    response = client.get(reverse("accounts:profile-edit"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


FULLWIDTH_MODERATOR = "\uff2d\uff2f\uff24\uff25\uff32\uff21\uff34\uff2f\uff32"


@pytest.mark.parametrize("name", ["Admin", "Deleted User", FULLWIDTH_MODERATOR])
def test_display_name_cannot_be_a_reserved_name(client, name):
    member = UserFactory()
    client.force_login(member)

    response = client.post(reverse("accounts:profile-edit"), {"display_name": name, "bio": ""})

    assert "This name is reserved." in response.text
    member.refresh_from_db()
    assert member.display_name != name


def test_display_name_cannot_be_another_members_username(client):
    UserFactory(username="maya")
    member = UserFactory()
    client.force_login(member)

    response = client.post(reverse("accounts:profile-edit"), {"display_name": "Maya", "bio": ""})

    assert "Another member goes by this name." in response.text


def test_display_name_may_match_your_own_username(client):
    member = UserFactory(username="sam")
    client.force_login(member)

    client.post(reverse("accounts:profile-edit"), {"display_name": "Sam", "bio": ""})

    member.refresh_from_db()
    assert member.display_name == "Sam"
