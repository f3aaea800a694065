"""The member moderation page: who may open it, suspending and lifting."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.moderation import services
from forum.moderation.models import ModerationAction, Suspension
from tests.factories import CommentFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db
CONTEXT_PROCESSOR = "forum.moderation.context_processors.moderation"


@pytest.fixture(autouse=True)
def _moderation_context(settings):
    options = settings.TEMPLATES[0]["OPTIONS"]
    if CONTEXT_PROCESSOR not in options["context_processors"]:
        processors = [*options["context_processors"], CONTEXT_PROCESSOR]
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {**options, "context_processors": processors}}]


@pytest.fixture
def moderator(client):
    user = ModeratorFactory(username="maya")
    client.force_login(user)
    return user


@pytest.fixture
def member():
    return UserFactory(username="sam", display_name="Sam Rivers")


def page_url(member):
    return reverse("moderation:member", kwargs={"username": member.username})


def suspend(client, member, **data):
    fields = {"duration": "3d", "reason": "Repeated insults after a warning."} | data
    return client.post(reverse("moderation:member-suspend", kwargs={"username": member.username}), fields)


def lift(client, suspension, **data):
    return client.post(reverse("moderation:suspension-lift", kwargs={"pk": suspension.pk}), data)


# --- Who may open it -------------------------------------------------------------


def test_signed_out_reader_is_sent_to_sign_in(client, member):
    response = client.get(page_url(member))

    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response.url


def test_member_may_not_open_the_page(client, member):
    client.force_login(UserFactory())

    response = client.get(page_url(member))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_unknown_member_is_not_found(client, moderator):
    response = client.get(reverse("moderation:member", kwargs={"username": "nobody-here"}))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- What it shows ---------------------------------------------------------------


def test_page_lists_comments_in_every_state(client, moderator, member):
    CommentFactory(author=member, body="Still up for everyone")
    removed = CommentFactory(author=member, body="Taken down later")
    services.comment_remove(comment=removed, actor=moderator, reason="Insult")

    response = client.get(page_url(member))

    assert "Still up for everyone" in response.text
    assert "Taken down later" in response.text
    assert "Removed: Insult" in response.text


def test_page_shows_suspension_history_with_private_reason(client, moderator, member):
    services.member_suspend(member=member, actor=moderator, reason="Doxxing attempt", public_reason="Abuse")

    response = client.get(page_url(member))

    assert "Doxxing attempt" in response.text
    assert "In force" in response.text


def test_page_for_staff_offers_no_suspend_form(client, moderator):
    staff = UserFactory(is_staff=True)

    response = client.get(page_url(staff))

    assert reverse("moderation:member-suspend", kwargs={"username": staff.username}) not in response.text
    assert "be suspended here." in response.text


def test_page_runs_a_fixed_number_of_queries(client, moderator, member, django_assert_max_num_queries):
    for _ in range(5):
        CommentFactory(author=member)
    services.member_suspend(member=member, actor=moderator, reason="One")
    services.member_suspend(member=member, actor=moderator, reason="Two", until=timezone.now() + timedelta(days=1))

    # session, user, member, suspensions, comment totals, comments; the queue count in the header
    with django_assert_max_num_queries(7):
        response = client.get(page_url(member))

    assert response.status_code == HTTPStatus.OK


def test_profile_links_moderators_to_the_member_page(client, moderator, member):
    response = client.get(member.get_absolute_url())

    assert page_url(member) in response.text


def test_profile_does_not_link_members_to_the_member_page(client, member):
    client.force_login(UserFactory())

    response = client.get(member.get_absolute_url())

    assert page_url(member) not in response.text


# --- Suspending ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "days"), [("1d", 1), ("3d", 3), ("7d", 7), ("30d", 30)], ids=["day", "3 days", "week", "30 days"]
)
def test_suspending_for_a_set_time_ends_after_it(client, moderator, member, duration, days):
    before = timezone.now()

    suspend(client, member, duration=duration)

    suspension = Suspension.objects.get(member=member)
    assert before + timedelta(days=days) <= suspension.ends_at <= timezone.now() + timedelta(days=days)


def test_suspending_until_a_chosen_time(client, moderator, member):
    ends = (timezone.localtime() + timedelta(days=12)).replace(second=0, microsecond=0)

    suspend(client, member, duration="custom", ends_at=ends.strftime("%Y-%m-%dT%H:%M"))

    assert Suspension.objects.get(member=member).ends_at == ends


def test_suspending_permanently_has_no_end(client, moderator, member):
    suspend(client, member, duration="permanent")

    assert Suspension.objects.get(member=member).ends_at is None


def test_suspending_keeps_both_reasons_and_logs_it(client, moderator, member):
    response = suspend(client, member, reason="Threats in three threads", public_reason="Threats")

    suspension = Suspension.objects.get(member=member)
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.SUSPEND)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == page_url(member)
    assert (suspension.reason, suspension.public_reason, suspension.created_by) == (
        "Threats in three threads",
        "Threats",
        moderator,
    )
    assert (action.actor, action.member, action.public_reason) == (moderator, member, "Threats")


def test_suspending_without_a_reason_shows_the_error_and_keeps_the_input(client, moderator, member):
    response = suspend(client, member, reason="", public_reason="Kept text")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Say why, for the other moderators." in response.text
    assert 'value="Kept text"' in response.text
    assert not Suspension.objects.exists()


def test_custom_duration_needs_an_end(client, moderator, member):
    response = suspend(client, member, duration="custom")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose when the suspension ends." in response.text
    assert not Suspension.objects.exists()


def test_custom_end_in_the_past_is_refused(client, moderator, member):
    past = timezone.localtime() - timedelta(days=1)

    response = suspend(client, member, duration="custom", ends_at=past.strftime("%Y-%m-%dT%H:%M"))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "The end must be in the future." in response.text
    assert not Suspension.objects.exists()


def test_unknown_duration_is_refused(client, moderator, member):
    response = suspend(client, member, duration="forever-and-a-day")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Suspension.objects.exists()


def test_staff_cannot_be_suspended_even_by_a_crafted_post(client, moderator):
    staff = UserFactory(is_staff=True)

    response = suspend(client, staff)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "be suspended here." in response.text
    assert not Suspension.objects.exists()
    assert not ModerationAction.objects.exists()


def test_suspend_page_refuses_get(client, moderator, member):
    response = client.get(reverse("moderation:member-suspend", kwargs={"username": member.username}))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Lifting and ending ----------------------------------------------------------


def test_lifting_ends_the_suspension_now_and_logs_the_note(client, moderator, member):
    suspension = services.member_suspend(member=member, actor=moderator, reason="Heated")

    response = lift(client, suspension, note="Apologised to the others")

    suspension.refresh_from_db()
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.LIFT)
    assert response.status_code == HTTPStatus.FOUND
    assert suspension.lifted_by == moderator
    assert not Suspension.objects.active().filter(member=member).exists()
    assert (action.member, action.reason) == (member, "Apologised to the others")


def test_lifting_needs_no_note(client, moderator, member):
    suspension = services.member_suspend(member=member, actor=moderator, reason="Heated")

    lift(client, suspension)

    assert not Suspension.objects.active().exists()


def test_too_long_note_shows_the_error_beside_the_lift_form(client, moderator, member):
    suspension = services.member_suspend(member=member, actor=moderator, reason="Heated")

    response = lift(client, suspension, note="x" * 1001)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f'id="id_lift{suspension.pk}_note"' in response.text
    assert "Ensure this value has at most 1000 characters" in response.text
    assert Suspension.objects.active().exists()


def test_lifting_an_ended_suspension_changes_nothing(client, moderator, member):
    suspension = services.member_suspend(member=member, actor=moderator, reason="Heated")
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=timezone.now() - timedelta(minutes=1))

    response = lift(client, suspension)

    suspension.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert suspension.lifted_at is None
    assert not ModerationAction.objects.filter(kind=ModerationAction.Kind.LIFT).exists()


def test_suspension_ends_by_itself_when_its_time_passes(moderator, member):
    suspension = services.member_suspend(
        member=member, actor=moderator, reason="Cool off", until=timezone.now() + timedelta(days=1)
    )

    in_force_now = Suspension.objects.active().filter(pk=suspension.pk).exists()
    in_force_later = Suspension.objects.active(at=timezone.now() + timedelta(days=1, seconds=1)).filter(
        pk=suspension.pk
    )

    assert in_force_now
    assert not in_force_later.exists()


def test_member_whose_suspension_ended_may_comment_again(client, moderator, member):
    suspension = services.member_suspend(member=member, actor=moderator, reason="Cool off")
    Suspension.objects.filter(pk=suspension.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    comment = CommentFactory()
    client.force_login(member)

    response = client.post(reverse("comments:create", kwargs={"slug": comment.post.slug}), {"body": "Back again"})

    assert response.status_code == HTTPStatus.FOUND
    assert member.comments.filter(body="Back again").exists()
