import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.accounts.markup import link_in, main_html
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_email(client, email):
    return client.post(reverse("account_email"), {"email": email, "action_add": ""})


def test_email_change_sends_verification_link_to_new_address(client, mailoutbox):
    client.force_login(UserFactory(email="old@example.com"))

    change_email(client, "new@example.com")

    assert [message.to for message in mailoutbox] == [["new@example.com"]]
    assert link_in(mailoutbox[0], "/accounts/confirm-email/")


def test_email_change_keeps_old_address_until_new_one_is_confirmed(client):
    user = UserFactory(email="old@example.com")
    client.force_login(user)

    change_email(client, "new@example.com")

    user.refresh_from_db()
    assert user.email == "old@example.com"


def test_email_page_shows_pending_change(client):
    client.force_login(UserFactory(email="old@example.com"))
    change_email(client, "new@example.com")

    response = client.get(reverse("account_email"))

    html = main_html(response)
    assert "<strong>old@example.com</strong>" in html
    assert "<strong>new@example.com</strong>" in html


def test_confirming_new_email_replaces_the_old_one(client, mailoutbox):
    user = UserFactory(email="old@example.com")
    client.force_login(user)
    change_email(client, "new@example.com")

    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))

    user.refresh_from_db()
    assert user.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("new@example.com", True, True)
    ]


def test_cancelling_email_change_removes_pending_address(client):
    user = UserFactory(email="old@example.com")
    client.force_login(user)
    change_email(client, "new@example.com")

    client.post(reverse("account_email"), {"email": "new@example.com", "action_remove": ""})

    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == ["old@example.com"]


def test_invalid_new_email_shows_error_beside_field_and_keeps_input(client):
    client.force_login(UserFactory(email="old@example.com"))

    response = change_email(client, "not-an-address")

    html = main_html(response)
    assert 'value="not-an-address"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert "Enter a valid email address." in html.split('id="id_email_error"')[1]
