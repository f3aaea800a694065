from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.accounts.markup import buttons_in, main_html
from tests.factories import PASSWORD, UserFactory

FAILED_LOGINS_ALLOWED = 5  # allauth's default: five failures per login name in five minutes

pytestmark = pytest.mark.django_db


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_with_username_signs_in(client):
    user = UserFactory(username="alice")

    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert signed_in_user_id(client) == str(user.pk)


def test_login_with_username_ignores_case(client):
    user = UserFactory(username="Alice")

    client.post(reverse("account_login"), {"login": "aLICE", "password": PASSWORD})

    assert signed_in_user_id(client) == str(user.pk)


def test_login_with_email_signs_in(client):
    user = UserFactory(email="alice@example.com")

    client.post(reverse("account_login"), {"login": "Alice@Example.com", "password": PASSWORD})

    assert signed_in_user_id(client) == str(user.pk)


def test_login_with_wrong_password_shows_error(client):
    UserFactory(username="alice")

    response = client.post(reverse("account_login"), {"login": "alice", "password": "not it"})

    assert response.status_code == HTTPStatus.OK
    assert "The username and/or password you specified are not correct." in main_html(response)
    assert signed_in_user_id(client) is None


def test_repeated_failed_logins_refuse_even_the_right_password(client):
    UserFactory(username="alice")
    for _attempt in range(FAILED_LOGINS_ALLOWED):
        client.post(reverse("account_login"), {"login": "alice", "password": "guess"})

    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})

    assert "Too many failed login attempts. Try again later." in main_html(response)
    assert signed_in_user_id(client) is None


def test_logout_page_asks_for_confirmation_without_signing_out(client):
    user = UserFactory()
    client.force_login(user)

    response = client.get(reverse("account_logout"))

    buttons = [(button["text"], button["form_method"]) for button in buttons_in(main_html(response))]
    assert buttons == [("Sign Out", "post")]
    assert signed_in_user_id(client) == str(user.pk)


def test_logout_by_post_signs_out(client):
    client.force_login(UserFactory())

    client.post(reverse("account_logout"))

    assert signed_in_user_id(client) is None


def test_login_field_is_labelled_for_username_or_email(client):
    response = client.get(reverse("account_login"))

    assert "Username or email" in response.text
    assert 'autocomplete="username"' in response.text
