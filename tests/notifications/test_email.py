"""What a notification email contains, and who gets one at all."""

import email.policy

import pytest
from django.core import mail

from forum.notifications.models import Channel, Delivery, Preference
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(committed, settings):
    settings.SITE_URL = "https://forum.example.org"
    settings.SITE_NAME = "Harbour"
    settings.DEFAULT_FROM_EMAIL = "noreply@forum.example.org"
    parent = CommentFactory(author=UserFactory(email="parent@example.org", display_name="Ana"))
    replier = UserFactory(email="replier@example.org", display_name="Bo", username="bo")
    with committed():
        comment = CommentFactory(
            post=parent.post, parent=parent, author=replier, body="Thanks **Ana**. See @bo and <script>x</script>."
        )
    return comment


def only_message():
    [message] = mail.outbox
    return message


def html_part(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_reply_email_goes_to_the_parent_author_only(reply):
    message = only_message()

    assert message.to == ["parent@example.org"]
    assert message.cc == message.bcc == []


def test_email_reveals_no_other_address(reply):
    message = only_message()

    raw = message.message().as_string()
    assert "replier@example.org" not in raw
    assert "Bo replied to your comment" in message.subject


def test_sender_shows_the_site_name(reply):
    assert only_message().from_email == "Harbour <noreply@forum.example.org>"


def test_subject_names_the_site_and_what_happened(reply):
    assert only_message().subject == f"[Harbour] Bo replied to your comment on “{reply.post.title}”"


def test_plain_text_quotes_the_comment_and_links_to_it_in_context(reply):
    body = only_message().body

    assert "> Thanks Ana. See @bo and <script>x</script>." in body
    assert f"https://forum.example.org/comments/{reply.pk}/" in body


def test_html_part_has_the_sanitised_comment_with_absolute_links(reply):
    content = html_part(only_message())

    assert "<strong>Ana</strong>" in content
    assert '<a href="https://forum.example.org/u/bo/"' in content
    assert "<script>" not in content
    assert f'href="https://forum.example.org/comments/{reply.pk}/"' in content


def test_email_has_one_click_unsubscribe_headers(reply):
    message = only_message()

    assert message.extra_headers["List-Unsubscribe"].startswith("<https://forum.example.org/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert link in html_part(message)


def test_unsubscribe_header_is_sent_as_a_plain_url(reply):
    raw = only_message().message(policy=email.policy.SMTP).as_string()

    [line] = [line for line in raw.splitlines() if line.startswith("List-Unsubscribe:")]
    assert line.startswith("List-Unsubscribe: <https://forum.example.org/notifications/unsubscribe/")
    assert line.endswith("/>")


def test_email_says_what_the_unsubscribe_link_turns_off(reply):
    assert "Stop emails about replies to your comments" in only_message().body


def test_message_id_is_the_same_on_every_try(reply):
    delivery = Delivery.objects.get()

    assert only_message().extra_headers["Message-ID"] == (
        f"<notification-delivery-{delivery.pk}.{delivery.created_at:%Y%m%d%H%M%S}@forum.example.org>"
    )


def test_unverified_address_gets_notifications_in_the_site_only(committed, mailoutbox):
    post = PostFactory(author=UserFactory(verified_email=False))

    with committed():
        CommentFactory(post=post)

    assert post.author.notifications.count() == 1
    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_site_only_choice_sends_no_email(committed, mailoutbox):
    post = PostFactory()
    Preference.objects.create(user=post.author, post_comment=Channel.SITE)

    with committed():
        CommentFactory(post=post)

    assert post.author.notifications.count() == 1
    assert mailoutbox == []


def test_followed_discussions_are_not_emailed_by_default(committed, mailoutbox):
    with committed():
        first = CommentFactory()
    with committed():
        CommentFactory(post=first.post)

    assert first.author.notifications.count() == 1
    assert all(message.to != [first.author.email] for message in mailoutbox)


def test_guest_email_address_is_never_shown(committed, settings, mailoutbox):
    from django.contrib.auth.models import AnonymousUser

    from forum.comments.services import comment_create
    from forum.moderation.services import comment_approve

    settings.COMMENTS_ALLOW_GUESTS = True
    post = PostFactory()
    comment = comment_create(
        post=post, author=AnonymousUser(), body="Hi", guest_name="Wren", guest_email="wren@example.org"
    )
    with committed():
        comment_approve(comment=comment, actor=UserFactory(is_staff=True))

    [message] = [m for m in mailoutbox if m.to == [post.author.email]]
    assert "Wren" in message.subject
    assert "wren@example.org" not in message.message().as_string()
