"""Every account page a member meets renders inside the site layout, styled, with a label for each input."""

from http import HTTPStatus

import pytest
from django.template import Context, Origin, Template
from django.urls import reverse

from tests.accounts.markup import link_in, main_html, unlabelled_controls, unstyled_controls
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
# allauth's {% element %} reads the name of the template using it.
STRING_ORIGIN = Origin("<string>", template_name="tests/element.html")


def assert_site_page(response):
    assert response.status_code == HTTPStatus.OK
    html = main_html(response)
    assert unlabelled_controls(html) == []
    assert unstyled_controls(html) == []


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_email_verification_sent",
    ],
)
def test_signed_out_account_page_uses_site_layout(client, url_name):
    response = client.get(reverse(url_name))

    assert_site_page(response)


@pytest.mark.parametrize(
    "url_name",
    ["account_logout", "account_change_password", "account_email", "accounts:profile-edit", "accounts:delete"],
)
def test_signed_in_account_page_uses_site_layout(client, url_name):
    client.force_login(UserFactory())

    response = client.get(reverse(url_name))

    assert_site_page(response)


def test_login_page_with_errors_uses_site_layout(client):
    response = client.post(reverse("account_login"), {"login": "nobody", "password": "not it"})

    assert_site_page(response)
    assert 'class="alert alert-block alert-danger"' in main_html(response)


def test_signup_page_with_errors_uses_site_layout(client):
    response = client.post(reverse("account_signup"), {"username": "admin", "email": "not-an-address"})

    assert_site_page(response)


def test_password_reset_from_key_page_uses_site_layout(client, mailoutbox):
    UserFactory(email="alice@example.com")
    client.post(reverse("account_reset_password"), {"email": "alice@example.com"})

    response = client.get(link_in(mailoutbox[0], "/accounts/password/reset/key/"), follow=True)

    assert_site_page(response)
    assert 'name="password1"' in main_html(response)


def test_password_reset_with_bad_key_uses_site_layout(client):
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"}))

    assert_site_page(response)
    assert "Bad Token" in main_html(response)


def test_confirm_email_page_uses_site_layout(client, mailoutbox):
    client.force_login(UserFactory(email="old@example.com"))
    client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})

    response = client.get(link_in(mailoutbox[0], "/accounts/confirm-email/"))

    assert_site_page(response)
    assert "new@example.com" in main_html(response)


def test_email_page_with_pending_change_uses_site_layout(client):
    client.force_login(UserFactory(email="old@example.com"))
    client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})

    response = client.get(reverse("account_email"))

    assert_site_page(response)


def test_email_page_sets_no_inline_styles(client):
    client.force_login(UserFactory(email="old@example.com"))
    client.post(reverse("account_email"), {"email": "new@example.com", "action_add": ""})

    response = client.get(reverse("account_email"))

    # The Content-Security-Policy refuses inline styles; the page must not need them.
    assert "style=" not in main_html(response)


def test_password_change_page_with_errors_uses_site_layout(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": "a", "password2": "b"}
    )

    assert_site_page(response)


def test_field_element_renders_labelled_bootstrap_radio():
    template = Template(
        '{% load allauth %}{% element field type="radio" id="email_radio_0" name="email" value="a@example.com" %}'
        "{% slot label %}a@example.com{% endslot %}{% endelement %}",
        origin=STRING_ORIGIN,
    )

    html = template.render(Context())

    assert unlabelled_controls(html) == []
    assert unstyled_controls(html) == []
    assert 'class="form-check mb-2"' in html


def test_field_element_ties_error_to_its_input():
    template = Template(
        '{% load allauth %}{% element field type="email" id="id_email" name="email" errors=errors %}'
        "{% slot label %}Email{% endslot %}{% endelement %}",
        origin=STRING_ORIGIN,
    )

    html = template.render(Context({"errors": ["Enter a valid email address."]}))

    assert 'aria-describedby="id_email_error"' in html
    assert 'class="form-control is-invalid"' in html
    assert "Enter a valid email address." in html.split('id="id_email_error"')[1]


def test_settings_link_to_the_members_own_reports(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:profile-edit"))

    assert f'href="{reverse("moderation:my-reports")}"' in response.text
