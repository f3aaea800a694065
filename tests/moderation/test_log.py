"""The moderators' log: everything, newest first, filtered and paged at a fixed cost."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.moderation import services
from forum.moderation.log import record
from forum.moderation.models import ModerationAction
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = ModerationAction.Kind
LOG = reverse("moderation:log")


@pytest.fixture
def moderator(client):
    user = ModeratorFactory(username="maya", display_name="Maya Okafor")
    client.force_login(user)
    return user


def make_moderator(username):
    user = ModeratorFactory(username=username)
    return user


def logged(kind=Kind.APPROVE, *, days_ago=0, **fields):
    action = record(kind, **{"actor": None} | fields)
    ModerationAction.objects.filter(pk=action.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return action


def rows(response) -> list[ModerationAction]:
    return list(response.context["page"].object_list)


# --- Who may read it -------------------------------------------------------------


def test_signed_out_reader_is_sent_to_sign_in(client):
    response = client.get(LOG)

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response.url


def test_member_may_not_read_it(client):
    client.force_login(UserFactory())

    response = client.get(LOG)

    assert response.status_code == HTTPStatus.FORBIDDEN


# --- What it shows ---------------------------------------------------------------


def test_lists_every_kind_newest_first(client, moderator):
    older = logged(Kind.EDIT, days_ago=2)
    newer = logged(Kind.DISMISS, days_ago=1)
    newest = logged(Kind.HOLD_ALL)

    response = client.get(LOG)

    assert rows(response) == [newest, newer, older]


def test_entry_shows_who_what_target_and_private_reason(client, moderator):
    post = PostFactory(title="Safer supply")
    comment = CommentFactory(post=post)
    services.comment_remove(comment=comment, actor=moderator, reason="Named a private person")

    response = client.get(LOG)

    assert "Maya Okafor" in response.text
    assert "Removed" in response.text
    assert "Named a private person" in response.text
    assert post.get_absolute_url() in response.text
    assert reverse("moderation:member", kwargs={"username": comment.author.username}) in response.text


def test_automatic_entries_say_so(client, moderator):
    logged(Kind.CLOSE, post=PostFactory(), automatic=True)

    response = client.get(LOG)

    assert "automatically" in response.text


def test_suspension_entry_shows_its_end(client, moderator):
    until = timezone.now() + timedelta(days=3)
    services.member_suspend(member=UserFactory(), actor=moderator, reason="Threats", until=until)

    response = client.get(LOG)

    assert f'datetime="{timezone.localtime(until).isoformat()}"' in response.text


# --- Filters -----------------------------------------------------------------------


def test_filter_by_kind(client, moderator):
    wanted = logged(Kind.SPAM)
    logged(Kind.APPROVE)

    response = client.get(LOG, {"kind": Kind.SPAM})

    assert rows(response) == [wanted]


def test_filter_by_moderator_ignores_case(client, moderator):
    other = make_moderator("alex")
    wanted = logged(actor=other)
    logged(actor=moderator)

    response = client.get(LOG, {"moderator": "ALEX"})

    assert rows(response) == [wanted]


def test_filter_by_member(client, moderator):
    member = UserFactory(username="sam")
    wanted = logged(Kind.SUSPEND, member=member)
    logged(Kind.SUSPEND, member=UserFactory())

    response = client.get(LOG, {"member": "@sam"})

    assert rows(response) == [wanted]


def test_filter_by_post(client, moderator):
    post = PostFactory(slug="naloxone")
    wanted = logged(Kind.CLOSE, post=post)
    logged(Kind.CLOSE, post=PostFactory())

    response = client.get(LOG, {"post": "naloxone"})

    assert rows(response) == [wanted]


def test_filter_by_date_range_includes_both_days(client, moderator):
    logged(days_ago=10)
    first = logged(days_ago=5)
    last = logged(days_ago=3)
    logged(days_ago=1)
    today = timezone.localdate()

    response = client.get(LOG, {"since": today - timedelta(days=5), "until": today - timedelta(days=3)})

    assert rows(response) == [last, first]


def test_reversed_date_range_shows_the_error_and_lists_nothing(client, moderator):
    logged()
    today = timezone.localdate()

    response = client.get(LOG, {"since": today, "until": today - timedelta(days=1)})

    assert "The end of the range comes before its start." in response.text
    assert rows(response) == []


def test_unknown_kind_shows_an_error(client, moderator):
    response = client.get(LOG, {"kind": "explode"})

    assert "Select a valid choice" in response.text
    assert rows(response) == []


def test_filters_come_back_as_typed(client, moderator):
    response = client.get(LOG, {"moderator": "nobody-at-all"})

    assert 'value="nobody-at-all"' in response.text
    assert "Nothing matches these filters." in response.text


# --- Pages and cost --------------------------------------------------------------


def test_pages_hold_fifty_entries(client, moderator):
    for _ in range(51):
        logged()

    first = client.get(LOG)
    second = client.get(LOG, {"page": 2})

    assert len(rows(first)) == 50
    assert len(rows(second)) == 1


def test_page_links_keep_the_filters(client, moderator):
    for _ in range(51):
        logged(Kind.SPAM)

    response = client.get(LOG, {"kind": Kind.SPAM})

    assert "?kind=spam&amp;page=2" in response.text
    assert '<nav aria-label="Pages of the log">' in response.text


@pytest.mark.parametrize("count", [3, 30])
def test_log_runs_a_fixed_number_of_queries(client, moderator, count, django_assert_max_num_queries):
    for number in range(count):
        member = UserFactory()
        comment = CommentFactory(author=member)
        logged([Kind.REMOVE, Kind.SUSPEND, Kind.LOCK][number % 3], actor=moderator, comment=comment, member=member)

    # session, user, count, page of entries with actor, post and member; the queue count in the header
    with django_assert_max_num_queries(5):
        response = client.get(LOG)

    assert len(rows(response)) == count
