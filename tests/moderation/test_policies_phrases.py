"""The watch phrases page: moderators list, add and delete what new comments are checked for."""

import uuid
from http import HTTPStatus

import pytest
from django.urls import reverse

from forum.comments.models import Comment
from forum.moderation.models import WatchPhrase
from tests.factories import ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
PHRASES = reverse("moderation:phrases")


@pytest.fixture
def moderator(client):
    user = ModeratorFactory()
    client.force_login(user)
    return user


def add(client, phrase, *, action="hold", is_pattern=False, note=""):
    data = {"phrase": phrase, "action": action, "note": note}
    if is_pattern:
        data["is_pattern"] = "on"
    return client.post(PHRASES, data)


def test_phrases_page_is_forbidden_to_members(client):
    client.force_login(UserFactory())

    response = client.get(PHRASES)

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_crafted_add_by_a_member_is_forbidden(client):
    client.force_login(UserFactory())

    response = add(client, "anything")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not WatchPhrase.objects.exists()


def test_phrases_page_lists_phrases_with_their_action(client, moderator):
    WatchPhrase.objects.create(phrase="cheap pills", action=WatchPhrase.Action.REJECT, note="adverts")

    response = client.get(PHRASES)

    assert "cheap pills" in response.text
    assert "Refuse the comment" in response.text
    assert "adverts" in response.text


def test_moderator_adds_a_phrase(client, moderator):
    response = add(client, "  cheap pills ", action="urgent", note="adverts")

    watched = WatchPhrase.objects.get()
    assert response.url == PHRASES
    assert watched.phrase == "cheap pills"
    assert watched.action == WatchPhrase.Action.URGENT
    assert watched.created_by == moderator


def test_moderator_adds_a_pattern(client, moderator):
    add(client, r"\d{3}-\d{4}", is_pattern=True)

    assert WatchPhrase.objects.get().is_pattern is True


def test_broken_pattern_is_refused_beside_the_field_with_the_text_kept(client, moderator):
    response = add(client, "(unclosed", is_pattern=True)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This regular expression does not work" in response.text
    assert 'value="(unclosed"' in response.text
    assert not WatchPhrase.objects.exists()


def test_pattern_that_backtracks_badly_is_refused_beside_the_field(client, moderator):
    response = add(client, r"^(a|aa)+$", is_pattern=True)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This regular expression takes too long on some texts" in response.text
    assert 'value="^(a|aa)+$"' in response.text
    assert not WatchPhrase.objects.exists()


def test_same_words_as_a_plain_phrase_are_not_a_pattern(client, moderator):
    add(client, r"^(a|aa)+$")

    assert WatchPhrase.objects.get().is_pattern is False


def test_broken_pattern_is_fine_as_a_plain_phrase(client, moderator):
    add(client, "(unclosed")

    assert WatchPhrase.objects.get().phrase == "(unclosed"


def test_phrase_longer_than_200_characters_is_refused(client, moderator):
    response = add(client, "a" * 201, is_pattern=True)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please keep it to 200 characters or fewer." in response.text


def test_same_phrase_twice_is_refused_plainly(client, moderator):
    add(client, "cheap pills")

    response = add(client, "cheap pills")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This is already on the list." in response.text
    assert WatchPhrase.objects.count() == 1


def test_phrase_needs_an_action(client, moderator):
    response = client.post(PHRASES, {"phrase": "x", "action": ""})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not WatchPhrase.objects.exists()


def test_moderator_deletes_a_phrase(client, moderator):
    watched = WatchPhrase.objects.create(phrase="cheap pills")

    response = client.post(reverse("moderation:phrase-delete", kwargs={"pk": watched.pk}))

    assert response.url == PHRASES
    assert not WatchPhrase.objects.exists()


def test_crafted_delete_by_a_member_is_forbidden(client):
    watched = WatchPhrase.objects.create(phrase="cheap pills")
    client.force_login(UserFactory())

    response = client.post(reverse("moderation:phrase-delete", kwargs={"pk": watched.pk}))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert WatchPhrase.objects.exists()


def test_added_phrase_holds_the_next_comment(client, moderator):
    add(client, "cheap pills", note="adverts")
    client.force_login(UserFactory())
    post = PostFactory()

    client.post(
        reverse("comments:create", kwargs={"slug": post.slug}),
        {"body": "Cheap pills, anyone?", "token": str(uuid.uuid4())},
    )

    assert Comment.objects.get().held_at is not None


def test_deleted_phrase_no_longer_holds_comments(client, moderator):
    watched = WatchPhrase.objects.create(phrase="cheap pills")
    client.post(reverse("moderation:phrase-delete", kwargs={"pk": watched.pk}))
    client.force_login(UserFactory())
    post = PostFactory()

    client.post(
        reverse("comments:create", kwargs={"slug": post.slug}),
        {"body": "Cheap pills, anyone?", "token": str(uuid.uuid4())},
    )

    assert Comment.objects.get().held_at is None
