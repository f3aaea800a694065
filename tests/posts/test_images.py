import io
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forum.posts.forms import IMAGE_MAX_BYTES
from forum.posts.models import Post
from tests.factories import PostFactory
from tests.posts.images import image_upload

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    return {"title": "A post with a picture", "body": "Text.", "status": "published"} | overrides


@pytest.mark.parametrize(
    ("name", "image_format"), [("a.png", "PNG"), ("b.jpg", "JPEG"), ("c.webp", "WEBP"), ("d.gif", "GIF")]
)
def test_accepted_image_formats_are_stored(client, member, name, image_format):
    upload = image_upload(name, image_format)

    response = client.post(reverse("posts:create"), post_data(image=upload, image_alt="A teal square"))

    post = Post.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert post.image.name.startswith("posts/")
    assert post.image.name.endswith(name[1:])
    assert default_storage.exists(post.image.name)
    assert post.image_alt == "A teal square"


def test_stored_image_does_not_keep_the_uploaded_name(client, member):
    upload = image_upload("maya-at-the-clinic.png")

    client.post(reverse("posts:create"), post_data(image=upload, image_alt="A teal square"))

    assert "maya" not in Post.objects.get().image.name


def test_renamed_text_file_is_refused(client, member):
    upload = SimpleUploadedFile("notes.png", b"just some text, not a picture", content_type="image/png")

    response = client.post(reverse("posts:create"), post_data(image=upload, image_alt="Notes"))

    assert response.status_code == HTTPStatus.OK
    assert "This file is not an image we can read." in response.text
    assert not Post.objects.exists()


def test_image_with_a_lying_extension_is_refused(client, member):
    upload = image_upload("photo.png", "GIF")

    response = client.post(reverse("posts:create"), post_data(image=upload, image_alt="A photo"))

    assert "name ends in .png but it is not a PNG image" in response.text
    assert not Post.objects.exists()


def test_other_file_types_are_refused(client, member):
    upload = image_upload("drawing.bmp", "BMP")

    response = client.post(reverse("posts:create"), post_data(image=upload, image_alt="A drawing"))

    assert "Choose a JPEG, PNG, WebP or GIF image." in response.text
    assert not Post.objects.exists()


def test_image_over_the_size_limit_is_refused(client, member):
    upload = SimpleUploadedFile("big.png", b"\0" * (IMAGE_MAX_BYTES + 1), content_type="image/png")

    response = client.post(reverse("posts:create"), post_data(image=upload, image_alt="Big"))

    assert "the limit is 5.0\xa0MB" in response.text
    assert not Post.objects.exists()


def test_image_needs_alt_text(client, member):
    response = client.post(reverse("posts:create"), post_data(image=image_upload()))

    assert "Describe the image for people who cannot see it." in response.text
    assert not Post.objects.exists()


def test_refused_upload_leaves_no_file(client, member, settings):
    client.post(reverse("posts:create"), post_data(image=image_upload()))

    assert not (settings.MEDIA_ROOT / "posts").exists()


def test_post_page_shows_image_with_alt_and_caption(client, member):
    client.post(
        reverse("posts:create"),
        post_data(image=image_upload(), image_alt="A teal square", image_caption="Our new colour"),
    )
    post = Post.objects.get()

    response = client.get(post.get_absolute_url())

    assert f'src="{post.image.url}" alt="A teal square"' in response.text
    assert "<figcaption" in response.text
    assert "Our new colour" in response.text


def test_new_image_replaces_the_old_file(client, django_capture_on_commit_callbacks):
    post = PostFactory()
    client.force_login(post.author)
    edit_url = reverse("posts:edit", kwargs={"slug": post.slug})
    client.post(edit_url, post_data(image=image_upload("one.png"), image_alt="One"))
    old_name = Post.objects.get().image.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, post_data(image=image_upload("two.png"), image_alt="Two"))

    post.refresh_from_db()
    assert post.image.name != old_name
    assert default_storage.exists(post.image.name)
    assert not default_storage.exists(old_name)


def test_edit_without_upload_keeps_the_image(client):
    post = PostFactory()
    client.force_login(post.author)
    edit_url = reverse("posts:edit", kwargs={"slug": post.slug})
    client.post(edit_url, post_data(image=image_upload(), image_alt="Kept"))
    name = Post.objects.get().image.name

    client.post(edit_url, post_data(image_alt="Kept, described better"))

    post.refresh_from_db()
    assert post.image.name == name
    assert post.image_alt == "Kept, described better"


def test_clearing_the_image_removes_it(client, django_capture_on_commit_callbacks):
    post = PostFactory()
    client.force_login(post.author)
    edit_url = reverse("posts:edit", kwargs={"slug": post.slug})
    client.post(edit_url, post_data(image=image_upload(), image_alt="Gone soon"))
    name = Post.objects.get().image.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, post_data(**{"image-clear": "on"}))

    post.refresh_from_db()
    assert not post.image
    assert post.image_alt == ""
    assert not default_storage.exists(name)


def test_preview_says_a_chosen_image_must_be_chosen_again(client, member):
    response = client.post(reverse("posts:create"), post_data(image=image_upload(), preview="1"))

    assert "choose the image again before saving" in response.text
    assert not Post.objects.exists()


def test_stored_photo_loses_its_location_metadata(client, member):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS: latitude
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")

    client.post(reverse("posts:create"), post_data(image=upload, image_alt="A teal square"))

    with default_storage.open(Post.objects.get().image.name) as stored, Image.open(stored) as picture:
        assert not picture.getexif()
        assert picture.size == (8, 6)
