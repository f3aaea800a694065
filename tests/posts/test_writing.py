from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.posts.models import Post, Tag
from tests.factories import CategoryFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    return {
        "title": "Carrying naloxone at festivals",
        "body": "Bring **two** doses.",
        "status": "published",
        "tags": "",
        "publish_at": "",
        "image_alt": "",
        "image_caption": "",
    } | overrides


def local_input(moment) -> str:
    """`moment` as a datetime-local field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_new_post_page_shows_the_form(client, member):
    response = client.get(reverse("posts:create"))

    assert response.status_code == HTTPStatus.OK
    assert 'name="title"' in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_member_publishes_a_post(client, member):
    response = client.post(reverse("posts:create"), post_data())

    post = Post.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == post.get_absolute_url()
    assert post.author == member
    assert post.is_published
    assert "<strong>two</strong>" in post.body_html


def test_draft_is_saved_without_publish_time(client, member):
    client.post(reverse("posts:create"), post_data(status="draft"))

    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert post.published_at is None


def test_scheduled_post_waits_for_its_time(client, member):
    when = timezone.now() + timedelta(days=2)

    client.post(reverse("posts:create"), post_data(status="scheduled", publish_at=local_input(when)))

    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED
    assert post.published_at.replace(second=0, microsecond=0) == when.replace(second=0, microsecond=0)
    assert not post.is_published


def test_schedule_needs_a_time(client, member):
    response = client.post(reverse("posts:create"), post_data(status="scheduled"))

    assert response.status_code == HTTPStatus.OK
    assert "Choose when the post goes public." in response.text
    assert not Post.objects.exists()


def test_schedule_in_the_past_is_refused(client, member):
    when = timezone.now() - timedelta(hours=1)

    response = client.post(reverse("posts:create"), post_data(status="scheduled", publish_at=local_input(when)))

    assert "Choose a time in the future, or publish now." in response.text
    assert not Post.objects.exists()


def test_slug_comes_from_the_title(client, member):
    client.post(reverse("posts:create"), post_data(title="Drug checking: what works?"))

    assert Post.objects.get().slug == "drug-checking-what-works"


def test_categories_are_chosen_with_checkboxes(client, member):
    policy = CategoryFactory(name="Policy")
    CategoryFactory(name="Recovery")

    client.post(reverse("posts:create"), post_data(categories=[policy.pk]))

    assert list(Post.objects.get().categories.all()) == [policy]


def test_new_tags_are_created_and_slugified(client, member):
    client.post(reverse("posts:create"), post_data(tags="Harm Reduction, naloxone , harm reduction"))

    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["harm-reduction", "naloxone"]
    assert Post.objects.get().tags.count() == 2


def test_existing_tags_are_reused(client, member):
    tag = TagFactory(name="naloxone")

    client.post(reverse("posts:create"), post_data(tags="Naloxone"))

    assert list(Post.objects.get().tags.all()) == [tag]
    assert Tag.objects.count() == 1


def test_tag_without_letters_is_refused(client, member):
    response = client.post(reverse("posts:create"), post_data(tags="policy, !!!"))

    assert "needs at least one letter or digit" in response.text
    assert not Post.objects.exists()


def test_errors_keep_what_was_typed(client, member):
    response = client.post(reverse("posts:create"), post_data(title="", body="My *careful* words", tags="a, b"))

    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.text
    assert "My *careful* words" in response.text
    assert 'value="a, b"' in response.text
    assert not Post.objects.exists()


def test_preview_renders_the_body_without_saving(client, member):
    response = client.post(reverse("posts:create"), post_data(body="Some **bold** text", preview="1"))

    assert response.status_code == HTTPStatus.OK
    assert "Some <strong>bold</strong> text" in response.text
    assert not Post.objects.exists()


def test_preview_keeps_everything_typed(client, member):
    category = CategoryFactory()

    response = client.post(
        reverse("posts:create"),
        post_data(title="Kept title", body="Kept body", tags="kept", categories=[category.pk], preview="1"),
    )

    assert 'value="Kept title"' in response.text
    assert "Kept body</textarea>" in response.text
    assert 'value="kept"' in response.text
    assert 'id="id_categories_0" checked' in response.text


def test_preview_escapes_raw_html(client, member):
    response = client.post(reverse("posts:create"), post_data(body="<script>alert(1)</script>", preview="1"))

    assert "<script>alert(1)</script>" not in response.text


def test_preview_does_not_complain_about_empty_fields(client, member):
    response = client.post(reverse("posts:create"), post_data(title="", preview="1"))

    assert "This field is required." not in response.text


def test_edit_page_shows_the_post(client):
    post = PostFactory(title="Old title")
    post.tags.add(TagFactory(name="policy"))
    client.force_login(post.author)

    response = client.get(reverse("posts:edit", kwargs={"slug": post.slug}))

    assert response.status_code == HTTPStatus.OK
    assert 'value="Old title"' in response.text
    assert 'value="policy"' in response.text


def test_edit_saves_changes_and_keeps_the_slug(client):
    post = PostFactory(title="First title", slug="first-title")
    client.force_login(post.author)

    response = client.post(
        reverse("posts:edit", kwargs={"slug": post.slug}), post_data(title="Second title", body="New *body*")
    )

    post.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert post.title == "Second title"
    assert post.slug == "first-title"
    assert "<em>body</em>" in post.body_html


def test_edit_keeps_the_original_publish_date(client):
    published_at = timezone.now() - timedelta(days=30)
    post = PostFactory(published_at=published_at)
    client.force_login(post.author)

    client.post(reverse("posts:edit", kwargs={"slug": post.slug}), post_data())

    post.refresh_from_db()
    assert post.published_at == published_at


def test_publishing_a_draft_dates_it_now(client):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)
    client.force_login(post.author)

    client.post(reverse("posts:edit", kwargs={"slug": post.slug}), post_data(status="published"))

    post.refresh_from_db()
    assert post.is_published
    assert timezone.now() - post.published_at < timedelta(minutes=1)


def test_staff_may_edit_any_post(client, staff):
    post = PostFactory()

    response = client.post(reverse("posts:edit", kwargs={"slug": post.slug}), post_data(title="Tidied title"))

    post.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert post.title == "Tidied title"
    assert post.author != staff


def test_other_members_draft_cannot_be_edited(client, member):
    post = PostFactory(status=Post.Status.DRAFT, published_at=None)

    response = client.get(reverse("posts:edit", kwargs={"slug": post.slug}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_edit_replaces_tags_and_categories(client):
    old_category, new_category = CategoryFactory(), CategoryFactory()
    post = PostFactory()
    post.categories.add(old_category)
    post.tags.add(TagFactory(name="old"))
    client.force_login(post.author)

    client.post(reverse("posts:edit", kwargs={"slug": post.slug}), post_data(tags="new", categories=[new_category.pk]))

    assert list(post.categories.all()) == [new_category]
    assert list(post.tags.values_list("name", flat=True)) == ["new"]


def test_editing_a_missing_post_is_not_found(client, member):
    response = client.get(reverse("posts:edit", kwargs={"slug": "no-such-post"}))

    assert response.status_code == HTTPStatus.NOT_FOUND
