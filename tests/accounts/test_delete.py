from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User
from forum.comments.models import Comment
from tests.accounts.markup import main_html
from tests.factories import PASSWORD, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def delete_account(client, password=PASSWORD):
    return client.post(reverse("accounts:delete"), {"password": password})


@pytest.fixture
def member(client):
    member = UserFactory(
        username="maya",
        email="maya@example.com",
        first_name="Maya",
        last_name="Berg",
        display_name="Maya Berg",
        bio="Gardener.",
    )
    client.force_login(member)
    return member


def test_account_delete_keeps_comments(client, member):
    comment = CommentFactory(author=member, body="Still part of the thread.")

    delete_account(client)

    assert Comment.objects.get(pk=comment.pk).author_id == member.pk


def test_comments_of_deleted_member_show_deleted_user(client, member):
    comment = CommentFactory(author=member, body="Still part of the thread.")
    delete_account(client)

    response = client.get(comment.post.get_absolute_url())

    html = main_html(response)
    assert "Still part of the thread." in html
    assert "deleted user" in html
    assert "Maya Berg" not in html


def test_account_delete_erases_personal_data(client, member):
    delete_account(client)

    member.refresh_from_db()
    assert member.is_deleted
    assert member.username == f"deleted-{member.pk}"
    assert (member.email, member.first_name, member.last_name, member.display_name, member.bio) == ("",) * 5


def test_account_delete_removes_email_addresses(client, member):
    delete_account(client)

    assert not EmailAddress.objects.filter(user=member).exists()


def test_account_delete_signs_out(client, member):
    response = delete_account(client)

    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_account_delete_ends_other_sessions(client, member):
    elsewhere = Client()
    elsewhere.force_login(member)

    delete_account(client)

    response = elsewhere.get(reverse("accounts:profile-edit"))
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("login", ["maya", "maya@example.com"])
def test_deleted_member_cannot_sign_in(client, member, login):
    delete_account(client)

    client.post(reverse("account_login"), {"login": login, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_deleted_member_profile_is_not_found(client, member):
    delete_account(client)

    old_name = client.get(reverse("accounts:profile", kwargs={"username": "maya"}))
    new_name = client.get(reverse("accounts:profile", kwargs={"username": f"deleted-{member.pk}"}))

    assert old_name.status_code == new_name.status_code == HTTPStatus.NOT_FOUND


def test_email_of_deleted_account_can_sign_up_again(client, member):
    delete_account(client)
    password = "plum-orchard-kettle-42"

    client.post(
        reverse("account_signup"),
        {"username": "maya2", "email": "maya@example.com", "password1": password, "password2": password},
    )

    assert User.objects.filter(username="maya2", email="maya@example.com").exists()


def test_account_delete_with_wrong_password_shows_error_beside_field(client, member):
    response = delete_account(client, password="not it")

    assert response.status_code == HTTPStatus.OK
    field = main_html(response).split('id="div_id_password"')[1]
    assert 'aria-invalid="true"' in field
    assert "That password is not correct." in field


def test_account_delete_with_wrong_password_deletes_nothing(client, member):
    delete_account(client, password="not it")

    member.refresh_from_db()
    assert not member.is_deleted
    assert (member.username, member.email, member.bio) == ("maya", "maya@example.com", "Gardener.")
    assert EmailAddress.objects.filter(user=member).exists()
    assert client.session["_auth_user_id"] == str(member.pk)


def test_account_delete_requires_sign_in(client):
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
