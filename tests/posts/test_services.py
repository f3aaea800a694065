import pytest
from django.core.exceptions import PermissionDenied

from forum.posts import services
from forum.posts.models import Post
from tests.factories import PostFactory, UserFactory
from tests.posts.images import image_upload

pytestmark = pytest.mark.django_db


def create(**overrides):
    arguments = {"author": UserFactory(), "title": "Naloxone", "body": "Text.", "status": "published"}
    return services.post_create(**(arguments | overrides))


def test_same_title_gets_numbered_slugs():
    slugs = [create(title="Naloxone basics").slug for _ in range(3)]

    assert slugs == ["naloxone-basics", "naloxone-basics-2", "naloxone-basics-3"]


def test_numbering_skips_taken_numbers():
    PostFactory(slug="policy")
    PostFactory(slug="policy-2")
    PostFactory(slug="policy-3")

    assert create(title="Policy").slug == "policy-4"


def test_longer_slug_with_the_same_start_does_not_count_as_taken():
    PostFactory(slug="policy-debate")

    assert create(title="Policy").slug == "policy"


def test_title_without_latin_letters_still_gets_a_slug():
    assert create(title="Наркополитика").slug == "post"


@pytest.mark.parametrize("title", ["New", "Mine", "Feed"])
def test_slug_never_takes_a_page_address(title):
    assert create(title=title).slug == f"{title.lower()}-2"


def test_long_title_slug_fits_with_a_number():
    title = "a" * Post._meta.get_field("title").max_length
    create(title=title)

    slug = create(title=title).slug

    assert slug.endswith("-2")
    assert len(slug) <= Post._meta.get_field("slug").max_length


def test_failed_create_leaves_neither_row_nor_file(monkeypatch, settings):
    def broken(names):
        raise RuntimeError("tag storage is down")

    monkeypatch.setattr(services, "tags_from_names", broken)

    with pytest.raises(RuntimeError):
        create(image=image_upload(), image_alt="A square", tag_names=["policy"])

    assert not Post.objects.exists()
    assert not any((settings.MEDIA_ROOT / "posts").rglob("*.png"))


def test_service_refuses_members_who_may_not_post(settings):
    settings.POSTS_AUTHORS_GROUP_ONLY = True

    with pytest.raises(PermissionDenied):
        create()


def test_service_refuses_edits_by_other_members():
    post = PostFactory()

    with pytest.raises(PermissionDenied):
        services.post_update(post=post, editor=UserFactory(), title="Mine now", body="Text.", status="published")


def test_draft_keeps_no_caption_without_an_image():
    post = create(status="draft", image_caption="A caption for nothing")

    assert post.image_caption == ""
    assert post.published_at is None
