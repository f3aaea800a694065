import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from tests.accounts.markup import link_in, main_html
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "plum-orchard-kettle-42"
SIGNUPS_PER_MINUTE = 20  # allauth's default limit per IP address

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    return {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    } | overrides


def username_errors(response) -> list[str]:
    return response.context["form"].errors.get("username", [])


def test_signup_creates_account_with_username_and_email(client):
    client.post(reverse("account_signup"), signup_data())

    user = User.objects.get(username="newcomer")
    assert user.email == "newcomer@example.com"
    assert user.check_password(NEW_PASSWORD)


def test_signup_asks_to_verify_email_without_signing_in(client):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_signup_sends_verification_link(client, mailoutbox):
    client.post(reverse("account_signup"), signup_data())

    assert [message.to for message in mailoutbox] == [["newcomer@example.com"]]
    assert link_in(mailoutbox[0], "/accounts/confirm-email/")


def test_confirming_signup_email_verifies_it_and_signs_in(client, mailoutbox):
    client.post(reverse("account_signup"), signup_data())
    confirm_path = link_in(mailoutbox[0], "/accounts/confirm-email/")

    client.post(confirm_path)

    assert EmailAddress.objects.get(email="newcomer@example.com").verified
    assert client.session["_auth_user_id"] == str(User.objects.get(username="newcomer").pk)


def test_member_with_unverified_email_cannot_sign_in(client):
    UserFactory(username="pending", verified_email=False)

    response = client.post(reverse("account_login"), {"login": "pending", "password": PASSWORD})

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_email_verification_is_mandatory_when_debug_is_off():
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "EMAIL_VERIFICATION"}}
    env |= {"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "forum.settings", "SECRET_KEY": "test-only-key"}
    code = "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFICATION)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.stdout.strip() == "mandatory", result.stderr


def test_signup_refuses_username_differing_only_in_case(client):
    UserFactory(username="Alice")

    response = client.post(reverse("account_signup"), signup_data(username="aLICE"))

    assert username_errors(response) == ["A user with that username already exists."]


def test_signup_refuses_fullwidth_copy_of_existing_username(client):
    UserFactory(username="alice")

    # "alice" in fullwidth letters.
    response = client.post(reverse("account_signup"), signup_data(username="\uff41\uff4c\uff49\uff43\uff45"))

    assert username_errors(response) == ["A user with that username already exists."]


def test_signup_refuses_cyrillic_lookalike_of_existing_username(client):
    UserFactory(username="pope")

    # Cyrillic er, o, er, ie: one alphabet, but it reads as "pope".
    response = client.post(reverse("account_signup"), signup_data(username="\u0440\u043e\u0440\u0435"))

    assert username_errors(response) == ["A user with that username already exists."]


def test_signup_stores_username_nfkc_normalised(client):
    # "Bob" in fullwidth letters.
    client.post(reverse("account_signup"), signup_data(username="\uff22\uff4f\uff42"))

    assert User.objects.filter(username="Bob").exists()


def test_signup_refuses_mixed_script_username(client):
    # A Cyrillic small a among Latin letters.
    response = client.post(reverse("account_signup"), signup_data(username="p\u0430ypal"))

    assert username_errors(response) == ["Use letters from one alphabet only; mixing alphabets makes names look alike."]


@pytest.mark.parametrize(
    "username",
    ["admin", "Moderator", "staff", "deleted", "deleted-123", "deleted_7", "\uff21\uff24\uff2d\uff29\uff2e"],
    ids=["admin", "moderator", "staff", "deleted", "deleted-id", "deleted_id", "fullwidth-admin"],
)
def test_signup_refuses_reserved_username(client, username):
    response = client.post(reverse("account_signup"), signup_data(username=username))

    assert username_errors(response) == ["This username is reserved. Please choose another."]


@pytest.mark.parametrize(
    "username",
    ["ali\u200bce", "alice\u202egpj", "\u2066alice", "ali\u00adce", "ali ce"],
    ids=["zero-width-space", "right-to-left-override", "isolate", "soft-hyphen", "space"],
)
def test_signup_refuses_invisible_characters_in_username(client, username):
    response = client.post(reverse("account_signup"), signup_data(username=username))

    assert username_errors(response) == ["Usernames cannot contain spaces or invisible characters."]


def test_refused_signup_shows_error_beside_username_field(client):
    response = client.post(reverse("account_signup"), signup_data(username="admin"))

    field = main_html(response).split('id="div_id_username"')[1].split('id="div_id_email"')[0]
    assert 'aria-invalid="true"' in field
    assert 'class="invalid-feedback"' in field
    assert "This username is reserved." in field


def test_refused_signup_keeps_what_was_typed(client):
    response = client.post(reverse("account_signup"), signup_data(username="admin", email="typed@example.com"))

    html = main_html(response)
    assert 'value="admin"' in html
    assert 'value="typed@example.com"' in html


def test_signup_with_taken_email_looks_like_a_fresh_signup(client):
    UserFactory(email="taken@example.com")

    response = client.post(reverse("account_signup"), signup_data(email="taken@example.com"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")


def test_signup_with_taken_email_creates_no_account(client):
    UserFactory(email="taken@example.com")

    client.post(reverse("account_signup"), signup_data(email="taken@example.com"))

    assert not User.objects.filter(username="newcomer").exists()


def test_signup_with_taken_email_tells_its_owner(client, mailoutbox):
    UserFactory(email="taken@example.com")

    client.post(reverse("account_signup"), signup_data(email="taken@example.com"))

    assert [message.to for message in mailoutbox] == [["taken@example.com"]]
    assert "Account Already Exists" in mailoutbox[0].subject


def test_signup_is_rate_limited(client):
    for attempt in range(SIGNUPS_PER_MINUTE):
        client.post(reverse("account_signup"), signup_data(username=f"hopeful{attempt}", password2="mismatch"))

    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many attempts" in main_html(response)


def test_account_emails_greet_with_the_sites_name_and_show_its_address(client, mailoutbox, settings):
    settings.SITE_NAME = "Harm Reduction Talk"

    client.post(reverse("account_signup"), signup_data())

    (message,) = mailoutbox
    assert "Hello from Harm Reduction Talk!" in message.body
    assert "Thank you for using Harm Reduction Talk!\ntestserver" in message.body
