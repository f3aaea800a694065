"""One-click unsubscribe from an email: no sign-in, a confirmation for people, nothing for link scanners."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from forum.notifications import tokens
from forum.notifications.models import Channel, Kind, Notification, Preference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def unsubscribe_url(user, scope=Kind.REPLY) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": tokens.make(user, scope)})


def channel(user, kind) -> str:
    preference = Preference.objects.filter(user=user).first() or Preference()
    return preference.channel(kind)


def test_get_asks_and_changes_nothing(client):
    member = UserFactory()

    response = client.get(unsubscribe_url(member))

    assert response.status_code == HTTPStatus.OK
    assert "Stop these emails?" in response.text
    assert "emails about replies to your comments" in response.text
    assert channel(member, Kind.REPLY) == Channel.EMAIL


def test_post_turns_that_kind_of_email_off_and_says_so(client):
    member = UserFactory()

    response = client.post(unsubscribe_url(member))

    assert response.status_code == HTTPStatus.OK
    assert "We will not send you emails about replies to your comments any more." in response.text
    assert channel(member, Kind.REPLY) == Channel.SITE
    assert channel(member, Kind.MENTION) == Channel.EMAIL


def test_one_click_post_from_a_mail_provider_works_without_csrf_token():
    member = UserFactory()
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(unsubscribe_url(member), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == HTTPStatus.OK
    assert channel(member, Kind.REPLY) == Channel.SITE


def test_digest_link_turns_off_every_email(client):
    member = UserFactory()

    client.post(unsubscribe_url(member, tokens.ALL))

    assert {channel(member, kind) for kind in Kind.values} == {Channel.SITE}


def test_kinds_already_off_stay_off(client):
    member = UserFactory()
    Preference.objects.create(user=member, followed=Channel.OFF)

    client.post(unsubscribe_url(member, tokens.ALL))

    assert channel(member, Kind.FOLLOWED) == Channel.OFF


def test_waiting_digest_items_of_that_kind_are_not_emailed(client):
    member = UserFactory()
    waiting = Notification.objects.create(recipient=member, kind=Kind.REPLY, wants_email=True)

    client.post(unsubscribe_url(member))

    waiting.refresh_from_db()
    assert not waiting.wants_email


def test_tampered_token_shows_a_clear_page(client):
    member = UserFactory()
    token = tokens.make(member, Kind.REPLY)
    url = reverse("notifications:unsubscribe", kwargs={"token": token[:-2] + "xx"})

    response = client.post(url)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This link no longer works" in response.text
    assert "was changed" in response.text
    assert channel(member, Kind.REPLY) == Channel.EMAIL


def test_token_for_another_member_cannot_be_made_by_editing_it(client):
    victim = UserFactory()
    other = UserFactory()
    forged = signing.dumps({"member": victim.pk, "scope": Kind.REPLY}, salt="something else")

    client.post(reverse("notifications:unsubscribe", kwargs={"token": forged}))

    assert channel(victim, Kind.REPLY) == channel(other, Kind.REPLY) == Channel.EMAIL


def test_expired_token_shows_a_clear_page(client, monkeypatch):
    member = UserFactory()
    url = unsubscribe_url(member)
    monkeypatch.setattr(tokens, "VALID_FOR", timedelta(seconds=-1))

    response = client.get(url)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "work for 90 days" in response.text


def test_token_of_a_deleted_account_is_refused(client):
    from accounts.services import account_delete

    member = UserFactory()
    url = unsubscribe_url(member)
    account_delete(user=member)

    response = client.get(url)

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_unknown_scope_is_refused(client):
    member = UserFactory()
    token = signing.dumps({"member": member.pk, "scope": "everything"}, salt=tokens.SALT, compress=True)

    response = client.get(reverse("notifications:unsubscribe", kwargs={"token": token}))

    assert response.status_code == HTTPStatus.BAD_REQUEST
