"""Members' reports: filing one, once, hiding after enough of them, and following what happened."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from forum.moderation import services
from forum.moderation.models import Report
from forum.posts.models import Post
from tests.factories import CommentFactory, ModeratorFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def moderator():
    user = ModeratorFactory(username="maya-the-moderator")
    return user


def comment_report_url(comment):
    return reverse("moderation:report-comment", kwargs={"pk": comment.pk})


def post_report_url(post):
    return reverse("moderation:report-post", kwargs={"slug": post.slug})


def report_by_someone(comment):
    return services.report_create(reporter=UserFactory(), reason=Report.Reason.SPAM, comment=comment)


def test_report_page_shows_the_comment_and_the_reasons(client, member):
    comment = CommentFactory(body="Questionable words.")

    response = client.get(comment_report_url(comment))

    assert response.status_code == HTTPStatus.OK
    assert "Questionable words." in response.text
    assert "Shares someone&#x27;s personal information" in response.text


def test_member_reports_a_comment(client, member):
    comment = CommentFactory()

    response = client.post(comment_report_url(comment), {"reason": "harassment", "note": "Name-calling."})

    report = Report.objects.get()
    assert response.url == comment.get_absolute_url()
    assert (report.reporter, report.comment, report.reason, report.note) == (
        member,
        comment,
        Report.Reason.HARASSMENT,
        "Name-calling.",
    )


def test_report_thanks_the_member(client, member):
    comment = CommentFactory()

    response = client.post(comment_report_url(comment), {"reason": "spam"}, follow=True)

    assert "Thank you. A moderator will look at your report" in response.text


def test_member_reports_a_post(client, member):
    post = PostFactory()

    response = client.post(post_report_url(post), {"reason": "off_topic"})

    assert response.url == post.get_absolute_url()
    assert Report.objects.get().post == post


def test_other_needs_a_note(client, member):
    comment = CommentFactory()

    response = client.post(comment_report_url(comment), {"reason": "other", "note": "  "})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please tell moderators what is wrong." in response.text
    assert not Report.objects.exists()


def test_report_needs_a_reason(client, member):
    comment = CommentFactory()

    response = client.post(comment_report_url(comment), {"note": "Typed this first."})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Please choose the reason that fits best." in response.text
    assert "Typed this first." in response.text


def test_second_report_gets_a_clear_message(client, member):
    comment = CommentFactory()
    client.post(comment_report_url(comment), {"reason": "spam"})

    response = client.post(comment_report_url(comment), {"reason": "harassment"})

    assert response.status_code == HTTPStatus.OK
    assert "You already reported this" in response.text
    assert Report.objects.count() == 1


def test_second_report_of_a_post_gets_a_clear_message(client, member):
    post = PostFactory()
    client.post(post_report_url(post), {"reason": "spam"})

    response = client.get(post_report_url(post))

    assert "You already reported this" in response.text


def test_visitors_are_asked_to_sign_in(client):
    comment = CommentFactory()

    response = client.get(comment_report_url(comment))

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login"))


def test_suspended_member_cannot_report(client, member, moderator):
    services.member_suspend(member=member, actor=moderator, reason="Spam")
    comment = CommentFactory()

    response = client.post(comment_report_url(comment), {"reason": "spam"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Your account is suspended" in response.text
    assert not Report.objects.exists()


def test_author_cannot_report_their_own_comment(client, member):
    comment = CommentFactory(author=member)

    response = client.post(comment_report_url(comment), {"reason": "spam"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Report.objects.exists()


def test_held_comment_cannot_be_reported(client, member, settings):
    settings.MODERATION_HOLD_ALL = True
    comment = CommentFactory()

    response = client.get(comment_report_url(comment))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_draft_post_cannot_be_reported(client, member):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)

    response = client.get(post_report_url(post))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- Enough reports hide a comment --------------------------------------------------


def test_comment_is_hidden_when_reports_reach_the_threshold(client, settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    comment = CommentFactory(body="Reported words.")
    CommentFactory(post=comment.post)
    for _ in range(2):
        report_by_someone(comment)
    client.force_login(UserFactory())

    client.post(comment_report_url(comment), {"reason": "spam"})

    comment.refresh_from_db()
    page = client.get(comment.post.get_absolute_url())
    assert comment.held_at is not None
    assert comment.held_by_reports is True
    assert "Reported words." not in page.text
    assert "1 comment on" in page.text
    assert Post.objects.get(pk=comment.post_id).comment_count == 1


def test_comment_below_the_threshold_stays_up(settings):
    settings.MODERATION_REPORT_THRESHOLD = 3
    comment = CommentFactory()

    for _ in range(2):
        report_by_someone(comment)

    comment.refresh_from_db()
    assert comment.held_at is None
    assert Post.objects.get(pk=comment.post_id).comment_count == 1


def test_hidden_comment_keeps_its_replies_in_place(client, settings):
    settings.MODERATION_REPORT_THRESHOLD = 1
    first = CommentFactory(body="First comment.")
    reported = CommentFactory(post=first.post, body="Reported words.")
    CommentFactory(post=first.post, parent=reported, body="A reply underneath.")

    report_by_someone(reported)

    page = client.get(first.post.get_absolute_url()).text
    assert "Reported words." not in page
    assert "This comment is hidden while a moderator reviews it." in page
    assert page.index("First comment.") < page.index("hidden while a moderator") < page.index("A reply underneath.")


def test_dismissing_brings_the_hidden_comment_back_and_counts_it(moderator, settings):
    settings.MODERATION_REPORT_THRESHOLD = 1
    comment = CommentFactory()
    report_by_someone(comment)

    services.reports_dismiss(comment=comment, actor=moderator)

    comment.refresh_from_db()
    assert comment.held_at is None
    assert Post.objects.get(pk=comment.post_id).comment_count == 1


# --- Links on the thread ---------------------------------------------------------------


def test_signed_in_reader_sees_report_links(client, member):
    comment = CommentFactory()

    page = client.get(comment.post.get_absolute_url()).text

    assert comment_report_url(comment) in page
    assert post_report_url(comment.post) in page


def test_visitors_see_no_report_links(client):
    comment = CommentFactory()

    page = client.get(comment.post.get_absolute_url()).text

    assert comment_report_url(comment) not in page
    assert post_report_url(comment.post) not in page


def test_authors_see_no_report_link_on_what_they_wrote(client, member):
    post = PostFactory(author=member)
    comment = CommentFactory(post=post, author=member)

    page = client.get(post.get_absolute_url()).text

    assert comment_report_url(comment) not in page
    assert post_report_url(post) not in page


def test_suspended_members_see_no_report_links(client, member, moderator):
    services.member_suspend(member=member, actor=moderator, reason="Spam")
    comment = CommentFactory()

    page = client.get(comment.post.get_absolute_url()).text

    assert comment_report_url(comment) not in page


# --- My reports --------------------------------------------------------------------


def test_my_reports_lists_open_and_handled_reports_without_naming_moderators(client, member, moderator):
    kept, removed, waiting = CommentFactory.create_batch(3)
    for comment in (kept, removed, waiting):
        services.report_create(reporter=member, reason=Report.Reason.SPAM, comment=comment)
    services.reports_dismiss(comment=kept, actor=moderator)
    services.comment_remove(comment=removed, actor=moderator, reason="Spam")

    page = client.get(reverse("moderation:my-reports")).text

    assert page.count("A moderator reviewed it and left it up") == 1
    assert page.count("A moderator took action") == 1
    assert page.count("Open: waiting for a moderator") == 1
    assert "maya-the-moderator" not in page
    assert moderator.public_name not in page


def test_my_reports_shows_only_my_own(client, member):
    comment = CommentFactory(post=PostFactory(title="Someone else reported this"))
    report_by_someone(comment)

    page = client.get(reverse("moderation:my-reports")).text

    assert "Someone else reported this" not in page
    assert "You have not reported anything." in page


def test_my_reports_asks_visitors_to_sign_in(client):
    response = client.get(reverse("moderation:my-reports"))

    assert response.status_code == HTTPStatus.FOUND


def test_my_reports_query_count_does_not_grow(client, member, django_assert_max_num_queries):
    for comment in CommentFactory.create_batch(10):
        services.report_create(reporter=member, reason=Report.Reason.SPAM, comment=comment)
    for post in PostFactory.create_batch(5):
        services.report_create(reporter=member, reason=Report.Reason.SPAM, post=post)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("moderation:my-reports"))

    assert response.text.count("<article") == 15
