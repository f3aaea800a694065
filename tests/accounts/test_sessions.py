from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_site_reads_sessions_with_its_compiled_store(client, django_assert_num_queries):
    assert settings.SESSION_ENGINE == "accounts.sessions"
    store = SessionStore()
    store["colour"] = "teal"
    store.create()

    with django_assert_num_queries(1):
        assert SessionStore(store.session_key).load() == {"colour": "teal"}


def test_an_expired_session_is_not_read_and_its_key_is_dropped():
    store = SessionStore()
    store["colour"] = "teal"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    again = SessionStore(store.session_key)

    assert again.load() == {}
    assert again.session_key is None


def test_a_signed_in_member_stays_signed_in_until_the_session_expires(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get(reverse("home")).wsgi_request.user == member

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated
