from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.markup import link_in, main_html
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "plum-orchard-kettle-42"
RESET_LINK_START = "/accounts/password/reset/key/"

pytestmark = pytest.mark.django_db


def test_password_reset_emails_a_link_to_a_known_address(client, mailoutbox):
    UserFactory(email="alice@example.com")

    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})

    assert [message.to for message in mailoutbox] == [["alice@example.com"]]
    assert link_in(mailoutbox[0], RESET_LINK_START)


def test_password_reset_link_lets_member_choose_a_new_password(client, mailoutbox):
    user = UserFactory(email="alice@example.com")
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})
    # The emailed link stores its key in the session, then redirects to a URL without it.
    set_password_url = client.get(link_in(mailoutbox[0], RESET_LINK_START))["Location"]

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_unknown_email_shows_the_same_outcome(client):
    UserFactory(email="alice@example.com")
    known = client.post(reverse("account_reset_password"), {"email": "alice@example.com"})

    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert unknown.status_code == known.status_code == HTTPStatus.FOUND
    assert unknown["Location"] == known["Location"] == reverse("account_reset_password_done")


def test_password_reset_for_unknown_email_sends_no_reset_link(client, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert all(RESET_LINK_START not in message.body for message in mailoutbox)


def test_password_change_replaces_the_old_password(client):
    user = UserFactory()
    client.force_login(user)

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_keeps_member_signed_in(client):
    user = UserFactory()
    client.force_login(user)

    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_change_with_wrong_current_password_shows_error_beside_it(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    field = main_html(response).split('id="div_id_oldpassword"')[1].split('id="div_id_password1"')[0]
    assert "Please type your current password." in field
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)
