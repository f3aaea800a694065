"""The discussion settings page: who may open it, and what each of its forms does."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.moderation import services
from forum.moderation.models import ModerationAction
from forum.posts.models import Post
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

HELP_LINKS = [
    {"label": "Emergency: call your local emergency number", "url": ""},
    {"label": "Talk to the moderators", "url": "/moderation/contact/"},
]


@pytest.fixture(autouse=True)
def _help_links(settings):
    settings.SITE_HELP_LINKS = HELP_LINKS


@pytest.fixture
def moderator(client):
    user = ModeratorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def settings_url(post):
    return reverse("moderation:post", kwargs={"slug": post.slug})


def action_url(name, post):
    return reverse(f"moderation:{name}", kwargs={"slug": post.slug})


def local(moment):
    """How a datetime-local field sends a moment."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def close_data(*, links=(), **fields):
    data = {
        "close-when": "now",
        "close-reason": "",
        "close-reopen_at": "",
        "close-close_at": "",
        "close-links-TOTAL_FORMS": str(len(links)),
        "close-links-INITIAL_FORMS": "0",
    }
    for index, (label, url) in enumerate(links):
        data[f"close-links-{index}-label"] = label
        data[f"close-links-{index}-url"] = url
    data.update({f"close-{name}": value for name, value in fields.items()})
    return data


def fresh(post):
    return Post.objects.get(pk=post.pk)


# --- Who may open it ----------------------------------------------------------


def test_moderator_opens_the_discussion_settings(client, moderator):
    post = PostFactory(title="Safer supply")

    response = client.get(settings_url(post))

    assert response.status_code == HTTPStatus.OK
    assert "Discussion settings" in response.text
    assert "Safer supply" in response.text
    assert "Slow mode" in response.text


def test_member_is_refused_the_discussion_settings(client, member):
    post = PostFactory()

    response = client.get(settings_url(post))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_visitor_is_sent_to_sign_in(client):
    post = PostFactory()

    response = client.get(settings_url(post))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["post-close", "post-reopen", "post-exempt", "post-slow-mode", "post-hold"])
def test_crafted_post_from_a_member_is_refused_and_changes_nothing(client, member, name):
    post = PostFactory()
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now())
    data = {**close_data(), "on": "true", "slow-interval": "60", "reopen-when": "now"}

    response = client.post(action_url(name, post), data)

    assert response.status_code == HTTPStatus.FORBIDDEN
    after = fresh(post)
    assert (after.auto_close_exempt, after.slow_mode_seconds, after.hold_all_comments) == (False, 0, False)
    assert after.closed_at is not None
    assert not ModerationAction.objects.exists()


def test_author_is_refused_when_the_site_keeps_closing_to_moderators(client, settings):
    settings.MODERATION_AUTHOR_CAN_CLOSE = False
    post = PostFactory()
    client.force_login(post.author)

    response = client.get(settings_url(post))

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_author_may_close_their_post_when_the_site_allows_it(client, settings):
    settings.MODERATION_AUTHOR_CAN_CLOSE = True
    post = PostFactory()
    client.force_login(post.author)

    response = client.post(action_url("post-close", post), close_data(reason="Said what I wanted."))

    assert response.status_code == HTTPStatus.FOUND
    assert fresh(post).is_closed
    assert ModerationAction.objects.get().actor == post.author


def test_author_sees_only_closing_and_reopening(client, settings):
    settings.MODERATION_AUTHOR_CAN_CLOSE = True
    post = PostFactory()
    client.force_login(post.author)

    response = client.get(settings_url(post))

    assert "Close comments" in response.text
    assert "Slow mode" not in response.text
    assert "Exempt from automatic closing" not in response.text
    assert "History" not in response.text


@pytest.mark.parametrize("name", ["post-exempt", "post-slow-mode", "post-hold"])
def test_author_cannot_change_moderator_settings_by_crafted_post(client, settings, name):
    settings.MODERATION_AUTHOR_CAN_CLOSE = True
    post = PostFactory()
    client.force_login(post.author)

    response = client.post(action_url(name, post), {"on": "true", "slow-interval": "60"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not ModerationAction.objects.exists()


def test_discussion_page_links_moderators_to_the_settings(client, moderator):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert f'href="{settings_url(post)}"' in response.text


def test_discussion_page_hides_the_settings_link_from_members(client, member):
    post = PostFactory()

    response = client.get(post.get_absolute_url())

    assert settings_url(post) not in response.text


def test_discussion_page_links_the_author_when_the_site_allows_it(client, settings):
    settings.MODERATION_AUTHOR_CAN_CLOSE = True
    post = PostFactory()
    client.force_login(post.author)

    response = client.get(post.get_absolute_url())

    assert f'href="{settings_url(post)}"' in response.text


def test_settings_page_runs_a_fixed_number_of_queries(client, moderator, django_assert_max_num_queries):
    post = PostFactory()
    CommentFactory.create_batch(3, post=post)
    for seconds in (60, 300, 900):
        services.discussion_slow_mode(post=post, actor=moderator, seconds=seconds)

    with django_assert_max_num_queries(5):  # session, user, post, history with actors; the header's queue count
        client.get(settings_url(post))


# --- Closing -------------------------------------------------------------------


def test_close_form_offers_the_site_help_links(client, moderator):
    post = PostFactory()

    response = client.get(settings_url(post))

    assert 'value="Talk to the moderators"' in response.text
    assert 'value="/moderation/contact/"' in response.text


def test_closing_now_closes_with_reason_and_links(client, moderator):
    post = PostFactory()
    links = [("A newer discussion", "/posts/newer/"), ("Helpline", "tel:+44 800 000 000"), ("", "")]

    response = client.post(action_url("post-close", post), close_data(reason="Cooling off.", links=links))

    after = fresh(post)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == settings_url(post)
    assert after.is_closed
    assert after.close_reason == "Cooling off."
    assert after.close_links == [
        {"label": "A newer discussion", "url": "/posts/newer/"},
        {"label": "Helpline", "url": "tel:+44 800 000 000"},
    ]


def test_closing_is_logged_with_who_and_why(client, moderator):
    post = PostFactory()

    client.post(action_url("post-close", post), close_data(reason="Cooling off."))

    action = ModerationAction.objects.get()
    assert (action.kind, action.actor, action.post_id, action.reason) == ("close", moderator, post.pk, "Cooling off.")


def test_closing_at_a_set_time_schedules_the_close(client, moderator):
    post = PostFactory()
    at = timezone.now() + timedelta(days=2)

    client.post(action_url("post-close", post), close_data(when="later", close_at=local(at)))

    after = fresh(post)
    assert not after.is_closed
    assert after.closes_at is not None
    assert abs(after.closes_at - at) < timedelta(minutes=1)
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.SCHEDULE


def test_closing_with_a_reopening_time_sets_the_timer(client, moderator):
    post = PostFactory()
    at = timezone.now() + timedelta(days=1)

    client.post(action_url("post-close", post), close_data(reopen_at=local(at)))

    after = fresh(post)
    assert after.is_closed
    assert abs(after.reopens_at - at) < timedelta(minutes=1)


def test_closing_at_a_past_time_is_refused_beside_the_field(client, moderator):
    post = PostFactory()

    response = client.post(
        action_url("post-close", post), close_data(when="later", close_at="2020-01-01T10:00", reason="Kept text")
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a time in the future" in response.text
    assert "Kept text" in response.text
    assert fresh(post).closed_at is None
    assert not ModerationAction.objects.exists()


def test_closing_at_a_set_time_needs_the_time(client, moderator):
    post = PostFactory()

    response = client.post(action_url("post-close", post), close_data(when="later"))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose when comments should close" in response.text
    assert fresh(post).closed_at is None


def test_reopening_before_the_close_is_refused(client, moderator):
    post = PostFactory()
    close_at = timezone.now() + timedelta(days=3)

    response = client.post(
        action_url("post-close", post),
        close_data(when="later", close_at=local(close_at), reopen_at=local(close_at - timedelta(days=1))),
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "must come after the closing time" in response.text
    assert fresh(post).closed_at is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "//evil.example/",
        "/\\evil.example",
        "ftp://files.example/",
        "tel:call-me",
        "mailto:not-an-address",
        "https://",
        "https://exa mple.org",
    ],
)
def test_unsafe_link_address_is_refused_beside_the_field(client, moderator, url):
    post = PostFactory()

    response = client.post(action_url("post-close", post), close_data(links=[("Somewhere", url)]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Use a web address" in response.text
    assert 'value="Somewhere"' in response.text
    assert fresh(post).closed_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/support",
        "http://example.org",
        "tel:+1 (800) 555-0100",
        "mailto:moderators@example.org",
        "mailto:moderators@example.org?subject=Closed",
        "/posts/a-newer-discussion/",
    ],
)
def test_safe_link_addresses_are_accepted(client, moderator, url):
    post = PostFactory()

    client.post(action_url("post-close", post), close_data(links=[("Somewhere", url)]))

    assert fresh(post).close_links == [{"label": "Somewhere", "url": url}]


def test_link_address_without_its_text_is_refused(client, moderator):
    post = PostFactory()

    response = client.post(action_url("post-close", post), close_data(links=[("", "https://example.org")]))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Say where this link leads" in response.text
    assert fresh(post).closed_at is None


def test_changing_a_closure_starts_from_its_current_reason_and_links(client, moderator):
    post = PostFactory()
    links = [{"label": "Help", "url": "/h/"}]
    services.discussion_close(post=post, actor=moderator, reason="Cooling off.", links=links)

    response = client.get(settings_url(post))

    assert "Change the closure" in response.text
    assert "Cooling off.</textarea>" in response.text
    assert 'value="/h/"' in response.text


def test_changing_a_closure_keeps_the_date_it_closed(client, moderator):
    post = PostFactory()
    services.discussion_close(post=post, actor=moderator, reason="Cooling off.")
    Post.objects.filter(pk=post.pk).update(closed_at=timezone.now() - timedelta(days=3))
    closed_at = fresh(post).closed_at

    client.post(action_url("post-close", post), close_data(reason="Cooling off for a while."))

    after = fresh(post)
    assert after.closed_at == closed_at
    assert after.close_reason == "Cooling off for a while."


# --- Reopening -----------------------------------------------------------------


def test_reopening_now_reopens_and_exempts_from_automatic_closing(client, moderator):
    post = PostFactory()
    services.discussion_close(post=post, actor=moderator)

    response = client.post(action_url("post-reopen", post), {"reopen-when": "now", "reopen-reason": "Calmer now."})

    after = fresh(post)
    assert response.status_code == HTTPStatus.FOUND
    assert not after.is_closed
    assert after.auto_close_exempt
    assert ModerationAction.objects.first().reason == "Calmer now."


def test_reopening_at_a_set_time_schedules_it(client, moderator):
    post = PostFactory()
    services.discussion_close(post=post, actor=moderator)
    at = timezone.now() + timedelta(hours=5)

    client.post(action_url("post-reopen", post), {"reopen-when": "later", "reopen-reopen_at": local(at)})

    after = fresh(post)
    assert after.is_closed
    assert abs(after.reopens_at - at) < timedelta(minutes=1)


def test_reopening_at_a_past_time_is_refused(client, moderator):
    post = PostFactory()
    services.discussion_close(post=post, actor=moderator)

    response = client.post(
        action_url("post-reopen", post), {"reopen-when": "later", "reopen-reopen_at": "2020-01-01T00:00"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a time in the future" in response.text
    assert fresh(post).reopens_at is None


def test_reopening_an_open_discussion_is_refused(client, moderator):
    post = PostFactory()

    response = client.post(action_url("post-reopen", post), {"reopen-when": "now"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "nothing to reopen" in response.text
    assert not fresh(post).auto_close_exempt


def test_reopening_now_cancels_a_scheduled_close(client, moderator):
    post = PostFactory()
    services.discussion_close(post=post, actor=moderator, at=timezone.now() + timedelta(days=1))

    client.post(action_url("post-reopen", post), {"reopen-when": "now"})

    assert fresh(post).closed_at is None


# --- Automatic closing, slow mode, approval --------------------------------------


def test_page_says_when_the_site_policy_would_close_the_discussion(client, moderator, settings):
    settings.COMMENTS_AUTO_CLOSE = "after_publication"
    settings.COMMENTS_AUTO_CLOSE_DAYS = 30
    post = PostFactory(published_at=timezone.now() - timedelta(days=10))

    response = client.get(settings_url(post))

    closes = timezone.localtime(post.published_at + timedelta(days=30))
    assert "The site's policy closes this discussion on" in response.text
    assert f'datetime="{closes.isoformat()}"' in response.text


def test_exempting_stops_automatic_closing(client, moderator, settings):
    settings.COMMENTS_AUTO_CLOSE = "after_publication"
    post = PostFactory()

    client.post(action_url("post-exempt", post), {"on": "true"})

    after = fresh(post)
    assert after.auto_close_exempt
    assert ModerationAction.objects.get().kind == ModerationAction.Kind.EXEMPT
    assert "never closes automatically" in client.get(settings_url(post)).text


def test_exemption_can_be_withdrawn(client, moderator):
    post = PostFactory()
    services.discussion_set_exempt(post=post, actor=moderator, exempt=True)

    client.post(action_url("post-exempt", post), {"on": "false"})

    assert not fresh(post).auto_close_exempt


@pytest.mark.parametrize(("interval", "seconds"), [("0", 0), ("60", 60), ("300", 300), ("900", 900), ("3600", 3600)])
def test_slow_mode_presets(client, moderator, interval, seconds):
    post = PostFactory()

    client.post(action_url("post-slow-mode", post), {"slow-interval": interval})

    assert fresh(post).slow_mode_seconds == seconds


def test_slow_mode_custom_interval_in_minutes(client, moderator):
    post = PostFactory()

    client.post(action_url("post-slow-mode", post), {"slow-interval": "custom", "slow-custom_minutes": "45"})

    assert fresh(post).slow_mode_seconds == 45 * 60
    assert "one comment per member every 45 minutes" in client.get(settings_url(post)).text


def test_custom_slow_mode_without_minutes_is_refused(client, moderator):
    post = PostFactory()

    response = client.post(action_url("post-slow-mode", post), {"slow-interval": "custom", "slow-reason": "Heated"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Enter the number of minutes" in response.text
    assert "Heated" in response.text
    assert fresh(post).slow_mode_seconds == 0


def test_slow_mode_is_logged(client, moderator):
    post = PostFactory()

    client.post(action_url("post-slow-mode", post), {"slow-interval": "300", "slow-reason": "Heated"})

    action = ModerationAction.objects.get()
    assert (action.kind, action.reason, action.details["seconds"]) == ("slow_mode", "Heated", 300)


def test_holding_every_comment_sends_new_ones_to_approval(client, moderator):
    post = PostFactory()

    client.post(action_url("post-hold", post), {"on": "true"})

    comment = CommentFactory(post=post)
    assert fresh(post).hold_all_comments
    assert Comment.objects.get(pk=comment.pk).held_at is not None


def test_holding_every_comment_can_be_turned_off(client, moderator):
    post = PostFactory()
    services.discussion_hold_all(post=post, actor=moderator, hold=True)

    client.post(action_url("post-hold", post), {"on": "false"})

    assert not fresh(post).hold_all_comments
    assert ModerationAction.objects.first().details == {"hold": False}


def test_history_lists_this_discussions_moderation(client, moderator):
    post = PostFactory()
    services.discussion_close(post=post, actor=moderator, reason="Cooling off.")

    response = client.get(settings_url(post))

    assert "Closed comments" in response.text
    assert moderator.public_name in response.text
