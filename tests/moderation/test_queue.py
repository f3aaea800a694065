"""The moderation queue: who may open it, what it lists and in which order, and its actions."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from forum.comments.models import Comment
from forum.comments.services import comment_create
from forum.moderation import services
from forum.moderation.models import ModerationAction, Report, Suspension
from forum.posts.models import Post
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("moderation:queue")


@pytest.fixture
def moderator(client):
    user = ModeratorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def held_everywhere(settings):
    settings.MODERATION_HOLD_ALL = True


def held_comment(**kwargs):
    post = kwargs.pop("post", None) or PostFactory()
    comment = CommentFactory(post=post, **kwargs)
    if comment.held_at is None:
        Comment.objects.filter(pk=comment.pk).update(held_at=timezone.now(), hold_reason="Held for a test.")
        comment.refresh_from_db()
    return comment


def report(target, *, reason=Report.Reason.SPAM, note=""):
    kind = "post" if isinstance(target, Post) else "comment"
    return services.report_create(reporter=UserFactory(), reason=reason, note=note, **{kind: target})


def age(comment, *, hours):
    Comment.objects.filter(pk=comment.pk).update(held_at=timezone.now() - timedelta(hours=hours))


def test_queue_asks_visitors_to_sign_in(client):
    response = client.get(QUEUE)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_queue_is_forbidden_to_members(client):
    client.force_login(UserFactory())

    response = client.get(QUEUE)

    assert response.status_code == HTTPStatus.FORBIDDEN


def test_queue_opens_for_staff_without_the_group(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(QUEUE)

    assert response.status_code == HTTPStatus.OK


def test_empty_queue_says_nothing_is_waiting(client, moderator):
    response = client.get(QUEUE)

    assert "Nothing is waiting." in response.text


def test_queue_lists_held_comment_with_post_author_text_and_reason(client, moderator, held_everywhere):
    author = UserFactory(display_name="Robin Ash")
    comment = CommentFactory(author=author, body="Please check **this**.")

    response = client.get(QUEUE)

    page = response.text
    assert comment.post.get_absolute_url() in page
    assert author.get_absolute_url() in page
    assert "Robin Ash" in page
    assert "<strong>this</strong>" in page
    assert "All comments here are approved by a moderator first." in page


def test_queue_names_guests_without_a_profile_link(client, moderator, settings):
    settings.COMMENTS_ALLOW_GUESTS = True
    comment_create(post=PostFactory(), author=AnonymousUser(), body="Hello from outside.", guest_name="Visitor Vi")

    response = client.get(QUEUE)

    assert "Comment by Visitor Vi (guest)" in response.text


def test_queue_escapes_what_the_comment_says(client, moderator, held_everywhere):
    CommentFactory(body="<script>alert(1)</script>")

    response = client.get(QUEUE)

    assert "<script>alert(1)</script>" not in response.text


def test_queue_lists_reported_comment_with_reasons_and_notes(client, moderator):
    comment = CommentFactory()
    report(comment, reason=Report.Reason.HARASSMENT, note="Targets another member.")
    report(comment, reason=Report.Reason.SPAM)

    response = client.get(QUEUE)

    page = response.text
    assert "2 reports" in page
    assert "Harassment or abuse" in page
    assert "Targets another member." in page
    assert "Spam or advertising" in page
    assert reverse("moderation:comment-dismiss", kwargs={"pk": comment.pk}) in page


def test_queue_lists_reported_post(client, moderator):
    post = PostFactory(title="A post someone reported")
    report(post, reason=Report.Reason.OFF_TOPIC)

    response = client.get(QUEUE)

    assert "Post “A post someone reported”" in response.text
    assert reverse("moderation:post-dismiss", kwargs={"slug": post.slug}) in response.text


def test_queue_leaves_out_published_and_removed_comments(client, moderator):
    published = CommentFactory(body="Nothing wrong here.")
    removed = held_comment(body="Taken down already.")
    services.comment_remove(comment=removed, actor=moderator, reason="Off-topic")

    response = client.get(QUEUE)

    assert published.body not in response.text
    assert removed.body not in response.text


def test_urgent_items_come_first_then_the_oldest(client, moderator):
    recent = held_comment(body="Recent one.")
    oldest = held_comment(body="Oldest one.")
    urgent = held_comment(body="Urgent one.")
    age(recent, hours=1)
    age(oldest, hours=5)
    age(urgent, hours=0)
    Comment.objects.filter(pk=urgent.pk).update(is_urgent=True)

    response = client.get(QUEUE)

    page = response.text
    assert page.index("Urgent one.") < page.index("Oldest one.") < page.index("Recent one.")


def test_queue_says_how_long_an_item_has_waited(client, moderator):
    comment = held_comment()
    age(comment, hours=3)
    Comment.objects.filter(pk=comment.pk).update(is_urgent=True)

    response = client.get(QUEUE)

    assert "waiting 3\xa0hours" in response.text
    assert "Urgent" in response.text


def test_approve_publishes_and_counts_the_comment(client, moderator, held_everywhere):
    comment = CommentFactory()

    response = client.post(reverse("moderation:comment-approve", kwargs={"pk": comment.pk}), {"next": QUEUE})

    comment.refresh_from_db()
    assert response.url == QUEUE
    assert comment.held_at is None
    assert Post.objects.get(pk=comment.post_id).comment_count == 1


def test_approve_says_so_on_the_queue(client, moderator, held_everywhere):
    comment = CommentFactory()

    response = client.post(
        reverse("moderation:comment-approve", kwargs={"pk": comment.pk}), {"next": QUEUE}, follow=True
    )

    assert "Comment approved" in response.text
    assert "Nothing is waiting." in response.text


def test_remove_from_the_queue_keeps_the_reason_and_its_visibility(client, moderator, held_everywhere):
    comment = CommentFactory()

    client.post(
        reverse("moderation:comment-remove", kwargs={"pk": comment.pk}),
        {"reason": "Shares a phone number", "show_reason": "on", "next": QUEUE},
    )

    comment.refresh_from_db()
    assert comment.removed_at is not None
    assert comment.removal_reason == "Shares a phone number"
    assert comment.removal_reason_public is True


def test_remove_without_a_reason_shows_the_error_and_removes_nothing(client, moderator, held_everywhere):
    comment = CommentFactory()

    response = client.post(
        reverse("moderation:comment-remove", kwargs={"pk": comment.pk}), {"reason": " ", "show_reason": "on"}
    )

    comment.refresh_from_db()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please say why it is removed" in response.text
    assert comment.removed_at is None


def test_spam_removes_the_comment_and_can_suspend_its_author(client, moderator, held_everywhere):
    comment = CommentFactory()

    client.post(reverse("moderation:comment-spam", kwargs={"pk": comment.pk}), {"suspend_author": "on"})

    comment.refresh_from_db()
    assert comment.removed_at is not None
    assert ModerationAction.objects.filter(kind=ModerationAction.Kind.SPAM, comment=comment).exists()
    assert Suspension.objects.active().filter(member=comment.author).exists()


def test_spam_without_the_box_leaves_the_author_free(client, moderator, held_everywhere):
    comment = CommentFactory()

    client.post(reverse("moderation:comment-spam", kwargs={"pk": comment.pk}))

    assert not Suspension.objects.filter(member=comment.author).exists()


def test_dismissing_reports_resolves_them_and_empties_the_queue(client, moderator):
    comment = CommentFactory()
    report(comment)

    response = client.post(
        reverse("moderation:comment-dismiss", kwargs={"pk": comment.pk}), {"next": QUEUE}, follow=True
    )

    assert Report.objects.get().outcome == Report.Outcome.DISMISSED
    assert "Nothing is waiting." in response.text


def test_dismissing_a_posts_reports(client, moderator):
    post = PostFactory()
    report(post)

    client.post(reverse("moderation:post-dismiss", kwargs={"slug": post.slug}))

    assert Report.objects.open().count() == 0


def test_action_redirect_ignores_other_sites(client, moderator, held_everywhere):
    comment = CommentFactory()

    response = client.post(
        reverse("moderation:comment-approve", kwargs={"pk": comment.pk}), {"next": "https://example.com/"}
    )

    assert response.url == reverse("moderation:comment", kwargs={"pk": comment.pk})


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("moderation:comment-approve", {}),
        ("moderation:comment-remove", {"reason": "Because"}),
        ("moderation:comment-spam", {"suspend_author": "on"}),
        ("moderation:comment-dismiss", {}),
        ("moderation:comment-restore", {}),
        ("moderation:comment-edit", {"body": "Rewritten"}),
    ],
)
def test_crafted_posts_by_members_are_forbidden_and_change_nothing(client, held_everywhere, name, data):
    comment = CommentFactory(body="Original")
    client.force_login(UserFactory())

    response = client.post(reverse(name, kwargs={"pk": comment.pk}), data)

    comment.refresh_from_db()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert comment.held_at is not None
    assert comment.removed_at is None
    assert comment.body == "Original"
    assert not ModerationAction.objects.exists()


def test_crafted_bulk_post_by_a_member_is_forbidden(client, held_everywhere):
    comment = CommentFactory()
    client.force_login(UserFactory())

    response = client.post(QUEUE, {"items": [f"comment-{comment.pk}"], "action": "approve"})

    comment.refresh_from_db()
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert comment.held_at is not None


def test_actions_only_take_posts(client, moderator, held_everywhere):
    comment = CommentFactory()

    response = client.get(reverse("moderation:comment-approve", kwargs={"pk": comment.pk}))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- Bulk actions ----------------------------------------------------------------


def test_bulk_approve_publishes_every_selected_comment(client, moderator, held_everywhere):
    comments = CommentFactory.create_batch(3)

    response = client.post(QUEUE, {"items": [f"comment-{c.pk}" for c in comments[:2]], "action": "approve"})

    assert response.url == QUEUE
    assert Comment.objects.filter(held_at__isnull=True).count() == 2
    assert Comment.objects.get(pk=comments[2].pk).held_at is not None


def test_bulk_approve_dismisses_reports_on_reported_items(client, moderator):
    comment = CommentFactory()
    post = PostFactory()
    report(comment)
    report(post)

    client.post(QUEUE, {"items": [f"comment-{comment.pk}", f"post-{post.pk}"], "action": "approve"})

    assert Report.objects.open().count() == 0


def test_bulk_remove_uses_one_reason_for_all(client, moderator, held_everywhere):
    comments = CommentFactory.create_batch(2)

    client.post(QUEUE, {"items": [f"comment-{c.pk}" for c in comments], "action": "remove", "reason": "Advertising"})

    assert list(Comment.objects.values_list("removal_reason", flat=True)) == ["Advertising", "Advertising"]


def test_bulk_remove_without_a_reason_keeps_the_selection_and_changes_nothing(client, moderator, held_everywhere):
    comment = CommentFactory()

    response = client.post(QUEUE, {"items": [f"comment-{comment.pk}"], "action": "remove", "reason": ""})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please say why these items are removed." in response.text
    assert f'value="comment-{comment.pk}" form="bulk-form" id="select-comment-{comment.pk}"' in response.text
    assert "checked" in response.text.split(f'id="select-comment-{comment.pk}"')[1].split(">")[0]
    assert Comment.objects.get().removed_at is None


def test_bulk_without_a_selection_says_so(client, moderator, held_everywhere):
    CommentFactory()

    response = client.post(QUEUE, {"action": "approve"})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please select at least one item first." in response.text


def test_bulk_spam_suspends_each_author_once(client, moderator, held_everywhere):
    author = UserFactory()
    comments = CommentFactory.create_batch(2, author=author)

    client.post(QUEUE, {"items": [f"comment-{c.pk}" for c in comments], "action": "spam", "suspend_author": "on"})

    assert Comment.objects.filter(removed_at__isnull=False).count() == 2
    assert Suspension.objects.filter(member=author).count() == 1


def test_bulk_remove_refuses_posts_and_changes_nothing(client, moderator, held_everywhere):
    comment = CommentFactory()
    post = PostFactory()
    report(post)

    response = client.post(
        QUEUE, {"items": [f"comment-{comment.pk}", f"post-{post.pk}"], "action": "remove", "reason": "No"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Reported posts can only have their reports dismissed here." in response.text
    assert Comment.objects.get().removed_at is None


def test_bulk_action_is_all_or_nothing(client, moderator, held_everywhere, monkeypatch):
    first, second = CommentFactory.create_batch(2)
    real_remove = services.comment_remove
    calls = []

    def failing_second(**kwargs):
        calls.append(kwargs["comment"].pk)
        if len(calls) == 2:
            raise services.ModerationDenied("boom", "Something went wrong.")
        return real_remove(**kwargs)

    monkeypatch.setattr(services, "comment_remove", failing_second)

    response = client.post(
        QUEUE, {"items": [f"comment-{first.pk}", f"comment-{second.pk}"], "action": "remove", "reason": "x"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Comment.objects.filter(removed_at__isnull=False).count() == 0
    assert not ModerationAction.objects.exists()


def test_bulk_skips_items_already_handled(client, moderator, held_everywhere):
    comment = CommentFactory()
    services.comment_approve(comment=comment, actor=moderator)

    response = client.post(QUEUE, {"items": [f"comment-{comment.pk}"], "action": "approve"}, follow=True)

    assert "Nothing to do: those items had already been handled." in response.text


def test_bulk_ignores_malformed_item_names(client, moderator):
    response = client.post(QUEUE, {"items": ["user-1"], "action": "approve"})

    assert response.status_code == HTTPStatus.BAD_REQUEST


# --- Size -----------------------------------------------------------------------


def fill_queue(size):
    post = PostFactory()
    for n in range(size):
        kind = n % 3
        if kind == 0:
            held_comment(post=post)
        elif kind == 1:
            report(CommentFactory(post=post))
        else:
            report(PostFactory())


@pytest.mark.parametrize("size", [3, 30])
def test_queue_query_count_does_not_grow(client, moderator, django_assert_max_num_queries, size):
    fill_queue(size)

    # Session and user, two to order the queue, four to load the page; one spare for the header's count.
    with django_assert_max_num_queries(9):
        response = client.get(QUEUE)

    assert response.status_code == HTTPStatus.OK
    assert response.text.count('name="items"') == size


def test_long_queue_is_paginated_by_fifty(client, moderator):
    post = PostFactory()
    for _ in range(51):
        held_comment(post=post)

    first = client.get(QUEUE)
    second = client.get(QUEUE, {"page": 2})

    assert first.text.count('name="items"') == 50
    assert second.text.count('name="items"') == 1
    assert "Page 1 of 2" in first.text
