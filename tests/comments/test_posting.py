import uuid
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from forum.comments.models import Comment
from forum.posts.models import Post
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def post_comment(client, post, body="A thoughtful reply.", **extra):
    data = {"body": body, "token": str(uuid.uuid4()), **extra}
    return client.post(reverse("comments:create", kwargs={"slug": post.slug}), data, **extra.pop("headers", {}))


def test_member_comments_on_a_post(client, member):
    post = PostFactory()

    response = post_comment(client, post, "First!")

    comment = Comment.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert comment.author == member
    assert comment.depth == 0
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_member_replies_to_a_nested_comment(client, member):
    post = PostFactory()
    parent = CommentFactory(post=post, parent=CommentFactory(post=post))

    post_comment(client, post, "Deeper.", parent=parent.pk)

    reply = Comment.objects.get(body="Deeper.")
    assert reply.parent == parent
    assert reply.depth == 2


def test_successful_comment_redirects_to_its_permalink(client, member):
    post = PostFactory()

    response = post_comment(client, post)

    comment = Comment.objects.get()
    assert response.url == reverse("comments:permalink", kwargs={"pk": comment.pk})


def test_permalink_lands_on_the_comment_in_its_thread(client):
    comment = CommentFactory()

    response = client.get(comment.get_absolute_url())

    assert response.url == f"{comment.post.get_absolute_url()}#comment-{comment.pk}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write something before posting."),
        ("   \n\t  ", "Please write something before posting."),
        ("x" * 10_001, "Please keep your comment under 10,000 characters"),
    ],
)
def test_bad_body_comes_back_with_a_message_and_the_text(client, member, body, message):
    post = PostFactory()

    response = post_comment(client, post, body)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    assert not Comment.objects.exists()


def test_the_message_sits_beside_the_field_it_is_about_and_is_tied_to_it(client, member):
    response = post_comment(client, PostFactory(), "")

    html = response.text
    field = html.split('<textarea name="body"')[1].split(">")[0]
    assert 'class="form-control is-invalid"' in field
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_body_helptext id_body_error"' in field
    assert '<label for="id_body" class="form-label requiredField">Your comment' in html
    error = html.split('<div id="id_body_error" class="invalid-feedback">')[1].split("</div>")[0]
    assert "Please write something before posting." in error
    assert html.index('id="id_body_error"') < html.index('id="id_body_helptext"')


def test_a_guest_sees_labelled_name_and_email_fields(client, settings):
    settings.COMMENTS_ALLOW_GUESTS = True
    post = PostFactory()

    html = client.get(post.get_absolute_url()).text

    assert '<label for="id_guest_name" class="form-label requiredField">Your name' in html
    assert 'type="email" name="guest_email"' in html
    assert 'aria-describedby="id_guest_email_helptext"' in html


def test_rejected_comment_keeps_what_was_typed(client, member, settings):
    settings.COMMENTS_MAX_LENGTH = 20
    post = PostFactory()

    response = post_comment(client, post, "This text is far too long for the limit")

    assert "This text is far too long for the limit" in response.text


@pytest.mark.parametrize("parent", ["999999", "not-a-number", "-1", "0", "1.5", "99999999999999999999", "\x00"])
def test_reply_to_a_missing_parent_is_refused_clearly(client, member, parent):
    post = PostFactory()

    response = post_comment(client, post, "Hello", parent=parent)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "no longer exists or cannot be replied to" in response.text
    assert not Comment.objects.exists()


def test_reply_to_a_comment_on_another_post_is_refused(client, member):
    post = PostFactory()
    elsewhere = CommentFactory()

    response = post_comment(client, post, "Hello", parent=elsewhere.pk)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("state", ["held_at", "removed_at"])
def test_reply_to_a_comment_not_everyone_sees_is_refused(client, member, state):
    post = PostFactory()
    hidden = CommentFactory(post=post)
    Comment.objects.filter(pk=hidden.pk).update(**{state: "2026-01-01T00:00Z"})

    response = post_comment(client, post, "Hello", parent=hidden.pk)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "no longer exists or cannot be replied to" in response.text
    assert Comment.objects.count() == 1


def test_reply_to_a_deleted_comment_is_refused(client, member):
    post = PostFactory()
    gone = CommentFactory(post=post)
    CommentFactory(post=post, parent=gone)
    Comment.objects.filter(pk=gone.pk).update(deleted_at="2026-01-01T00:00Z")

    response = post_comment(client, post, "Hello", parent=gone.pk)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Comment.objects.count() == 2


def test_same_form_submitted_twice_creates_one_comment(client, member):
    post = PostFactory()
    data = {"body": "Only once, please.", "token": str(uuid.uuid4())}
    url = reverse("comments:create", kwargs={"slug": post.slug})

    client.post(url, data)
    client.post(url, data)

    assert Comment.objects.count() == 1
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_a_form_sent_again_within_slow_mode_finds_its_comment_instead_of_being_refused(client, member):
    post = PostFactory()
    data = {"body": "Sent twice.", "token": str(uuid.uuid4())}
    url = reverse("comments:create", kwargs={"slug": post.slug})
    first = client.post(url, data)
    Post.objects.filter(pk=post.pk).update(slow_mode_seconds=3600)

    again = client.post(url, data)
    other = post_comment(client, post, "A new comment, not the same form.")

    assert first.status_code == again.status_code == HTTPStatus.FOUND
    assert again["Location"] == first["Location"] == Comment.objects.get().get_absolute_url()
    assert other.status_code == HTTPStatus.FORBIDDEN  # slow mode holds for anything new
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_a_form_token_sent_to_another_post_finds_the_comment_it_made(client, member):
    post, elsewhere = PostFactory(), PostFactory()
    data = {"body": "Crafted.", "token": str(uuid.uuid4())}
    first = client.post(reverse("comments:create", kwargs={"slug": post.slug}), data)

    again = client.post(reverse("comments:create", kwargs={"slug": elsewhere.slug}), data)

    assert again["Location"] == first["Location"]
    assert list(Comment.objects.values_list("post_id", flat=True)) == [post.pk]
    assert Post.objects.get(pk=elsewhere.pk).comment_count == 0


def test_control_characters_are_stripped(client, member):
    post = PostFactory()

    post_comment(client, post, "Hello\x00 world\u202e reversed\u200b")

    assert Comment.objects.get().body == "Hello world reversed"


def test_raw_html_in_a_comment_is_shown_as_text(client, member):
    post = PostFactory()

    post_comment(client, post, "<script>alert(1)</script> **bold**")

    html = Comment.objects.get().body_html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_comment_images_are_dropped_by_default(client, member):
    post = PostFactory()

    post_comment(client, post, "![a cat](https://example.org/cat.png)")

    assert "<img" not in Comment.objects.get().body_html


def test_signed_out_reader_cannot_comment_by_default(client):
    post = PostFactory()

    response = post_comment(client, post, "Drive-by")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Please sign in" in response.text
    assert "Drive-by" in response.text
    assert not Comment.objects.exists()


def test_guest_comment_needs_name_and_email_when_allowed(client, settings):
    settings.COMMENTS_ALLOW_GUESTS = True
    post = PostFactory()

    missing = post_comment(client, post, "Guest here")
    complete = post_comment(client, post, "Guest here", guest_name="Ana", guest_email="ana@example.org")

    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert complete.status_code == HTTPStatus.FOUND
    assert Comment.objects.get().author_name == "Ana"


def test_comment_on_a_draft_is_not_found(client, member):
    post = PostFactory(status=Post.Status.DRAFT)

    response = post_comment(client, post)

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_json_client_gets_the_new_comment_fragment(client, member):
    post = PostFactory()

    response = client.post(
        reverse("comments:create", kwargs={"slug": post.slug}),
        {"body": "Via fetch", "token": str(uuid.uuid4())},
        headers={"Accept": "application/json"},
    )

    data = response.json()
    assert data["count"] == 1
    assert "Via fetch" in data["html"]
    assert data["heading"].startswith("1 comment on")


def test_json_client_gets_field_errors(client, member):
    post = PostFactory()

    response = client.post(
        reverse("comments:create", kwargs={"slug": post.slug}), {"body": " "}, headers={"Accept": "application/json"}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"]["body"][0]["message"] == "Please write something before posting."


def test_get_on_the_comment_route_is_not_allowed(client, member):
    post = PostFactory()

    response = client.get(reverse("comments:create", kwargs={"slug": post.slug}))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_rerender_command_renders_stored_comment_html_again():
    comment = CommentFactory(body="**strong**")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>stale</p>")

    call_command("rerender_html", "--only", "comments", stdout=StringIO())

    assert Comment.objects.get(pk=comment.pk).body_html == "<p><strong>strong</strong></p>\n"
