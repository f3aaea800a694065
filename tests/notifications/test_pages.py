"""The bell, the notifications page, following from the post page, and the settings page."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.notifications.models import Channel, Follow, Kind, Notification, Preference, Timing
from forum.notifications.services import follow_set, follow_state
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def notify(member, count=1, *, comment=None):
    """`count` reply notifications for `member`, each about its own comment."""
    comments = [comment] if comment else [CommentFactory() for _ in range(count)]
    return [
        Notification.objects.create(
            recipient=member, kind=Kind.REPLY, post=comment.post, comment=comment, actor=comment.author
        )
        for comment in comments
    ]


def test_bell_shows_the_unread_count(client, member):
    notify(member, 3)

    response = client.get(reverse("home"))

    badge = '<span class="badge rounded-pill text-bg-danger notifications-count">3<span class="visually-hidden"> unread'
    assert badge in response.text


def test_bell_shows_no_count_when_all_are_read(client, member):
    [notification] = notify(member)
    client.post(reverse("notifications:read", kwargs={"pk": notification.pk}))

    response = client.get(reverse("home"))

    assert "notifications-count" not in response.text
    assert reverse("notifications:list") in response.text


def test_bell_count_is_loaded_with_the_member_at_no_extra_query(client, member):
    notify(member, 2)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))

    asking = [query["sql"] for query in queries.captured_queries if "notifications_notification" in query["sql"]]
    assert len(asking) == 1
    assert asking[0].startswith('SELECT "accounts_user"."id"')


def test_header_costs_the_same_with_or_without_notifications(client, member, django_assert_num_queries):
    comments = [CommentFactory() for _ in range(5)]
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    for comment in comments:
        notify(member, comment=comment)

    with django_assert_num_queries(len(before.captured_queries)):
        client.get(reverse("home"))


def test_signed_in_post_page_stays_within_ten_queries(client, member, django_assert_max_num_queries):
    post = PostFactory()
    for _ in range(10):
        CommentFactory(post=post)
    follow_set(user=member, post=post, following=True)
    notify(member, 3)

    with django_assert_max_num_queries(10):
        response = client.get(post.get_absolute_url())

    assert response.status_code == HTTPStatus.OK


def test_list_shows_newest_first_with_the_comment_text(client, member):
    older = notify(member, comment=CommentFactory(body="The older one"))[0]
    newer = notify(member, comment=CommentFactory(body="The newer one"))[0]

    response = client.get(reverse("notifications:list"))

    assert response.text.index(f"/notifications/{newer.pk}/open/") < response.text.index(
        f"/notifications/{older.pk}/open/"
    )
    assert "“The newer one”" in response.text


def test_list_costs_the_same_for_many_notifications(client, member, django_assert_max_num_queries):
    notify(member, 25)

    with django_assert_max_num_queries(4):  # session, member with count, page count, the page
        response = client.get(reverse("notifications:list"))

    assert response.status_code == HTTPStatus.OK


def test_list_needs_sign_in(client):
    response = client.get(reverse("notifications:list"))

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response["Location"]


def test_opening_marks_read_and_lands_on_the_comment_in_context(client, member):
    [notification] = notify(member)

    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))

    assert response["Location"] == reverse("comments:permalink", kwargs={"pk": notification.comment_id})
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_members_cannot_open_each_others_notifications(client, member):
    [notification] = notify(UserFactory())

    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_one_as_read(client, member):
    first, second = notify(member, 2)

    response = client.post(reverse("notifications:read", kwargs={"pk": first.pk}))

    assert response.status_code == HTTPStatus.FOUND
    assert list(Notification.objects.unread().filter(recipient=member)) == [second]


def test_mark_all_as_read_leaves_other_members_alone(client, member):
    notify(member, 3)
    [other] = notify(UserFactory())

    client.post(reverse("notifications:read-all"))

    assert not Notification.objects.unread().filter(recipient=member).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_post_page_offers_to_follow(client, member):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert "Follow this discussion" in response.text
    assert reverse("notifications:follow", kwargs={"slug": post.slug}) in response.text


def test_post_page_offers_no_follow_button_to_guests(client):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert "Follow this discussion" not in response.text


def test_follow_then_unfollow_from_the_post_page(client, member):
    post = PostFactory()
    url = reverse("notifications:follow", kwargs={"slug": post.slug})

    client.post(url, {"action": "follow"})
    assert Follow.objects.get(user=member, post=post).state == Follow.State.FOLLOWING
    response = client.get(post.get_absolute_url())
    assert "You follow this discussion" in response.text

    response = client.post(url, {"action": "unfollow"})
    assert response["Location"] == f"{post.get_absolute_url()}#follow"
    assert Follow.objects.get(user=member, post=post).state == Follow.State.MUTED


def test_settings_page_is_linked_from_the_account_settings(client, member):
    response = client.get(reverse("accounts:profile-edit"))

    assert reverse("notifications:settings") in response.text


def test_settings_page_saves_choices(client, member):
    response = client.post(
        reverse("notifications:settings"),
        {
            "reply": Channel.EMAIL,
            "post_comment": Channel.SITE,
            "mention": Channel.OFF,
            "followed": Channel.SITE,
            "closing": Channel.EMAIL,
            "moderation": Channel.SITE,
            "email_timing": Timing.DIGEST,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    saved = Preference.objects.get(user=member)
    assert (saved.post_comment, saved.mention, saved.email_timing, saved.auto_follow) == (
        Channel.SITE,
        Channel.OFF,
        Timing.DIGEST,
        False,
    )


def test_moderation_notices_cannot_be_turned_off(client, member):
    response = client.post(
        reverse("notifications:settings"),
        {
            "reply": "email",
            "post_comment": "email",
            "mention": "email",
            "followed": "site",
            "closing": "email",
            "moderation": Channel.OFF,
            "email_timing": Timing.IMMEDIATE,
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Preference.objects.filter(user=member).exists()


def test_settings_page_warns_when_the_address_is_not_verified(client):
    client.force_login(UserFactory(verified_email=False))

    response = client.get(reverse("notifications:settings"))

    assert "not verified yet" in response.text


def test_admin_lists_deliveries_read_only(client, committed):
    with committed():
        CommentFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:notifications_delivery_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert "Sent" in response.text


def test_the_post_page_shows_this_members_own_follow_state(client, member):
    post = PostFactory()
    other = UserFactory()
    Follow.objects.create(user=other, post=post, state=Follow.State.FOLLOWING)

    assert "Follow to hear about new comments here" in client.get(post.get_absolute_url()).text
    Follow.objects.create(user=member, post=post, state=Follow.State.MUTED)
    assert "You muted this discussion" in client.get(post.get_absolute_url()).text
    assert follow_state(member, post) == Follow.State.MUTED
    assert follow_state(other, post) == Follow.State.FOLLOWING
    assert follow_state(UserFactory(), post) is None
