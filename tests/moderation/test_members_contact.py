"""The page on how to reach the moderators and ask them to look at a decision again."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
CONTACT = reverse("moderation:contact")


def test_anyone_may_read_it(client):
    response = client.get(CONTACT)

    assert response.status_code == HTTPStatus.OK
    assert "Ask for a decision to be looked at again" in response.text


def test_shows_the_contact_address_when_set(client, settings):
    settings.MODERATION_CONTACT_EMAIL = "moderators@forum.example.org"

    response = client.get(CONTACT)

    assert 'href="mailto:moderators@forum.example.org"' in response.text


def test_omits_the_address_when_unset(client, settings):
    settings.MODERATION_CONTACT_EMAIL = ""

    response = client.get(CONTACT)

    assert "mailto:" not in response.text


def test_lists_the_help_links_but_not_itself(client, settings):
    settings.SITE_HELP_LINKS = [
        {"label": "Call your local emergency number", "url": ""},
        {"label": "Drug helpline", "url": "https://help.example.org"},
        {"label": "Talk to the moderators", "url": CONTACT},
    ]

    response = client.get(CONTACT)

    assert "Call your local emergency number" in response.text
    assert 'href="https://help.example.org"' in response.text
    assert "Talk to the moderators" not in response.text


def test_links_to_the_public_log(client):
    response = client.get(CONTACT)

    assert reverse("moderation:public-log") in response.text
