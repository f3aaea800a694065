import uuid
from collections.abc import Iterable
from datetime import datetime
from io import BytesIO
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps

from forum.posts import rules
from forum.posts.models import Category, Post, Tag

# Paths under /posts/ that are pages, not posts: a post may never take these slugs.
RESERVED_SLUGS = {"new", "mine", "feed"}
SLUG_BASE_LENGTH = 200  # leaves room in the column for a "-<n>" suffix
SLUG_ATTEMPTS = 5


def unique_slug(title: str) -> str:
    """A slug for `title` that no post has yet: "a-title", else "a-title-2", "a-title-3"…"""
    base = slugify(title)[:SLUG_BASE_LENGTH].strip("-") or "post"
    taken = set(Post.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def tags_from_names(names: Iterable[str]) -> list[Tag]:
    """The tags called `names`, creating the missing ones; names with the same slug are one tag."""
    tags = {}
    for name in names:
        slug = slugify(name)[: Tag._meta.get_field("slug").max_length]
        if slug and slug not in tags:
            tags[slug] = Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    return list(tags.values())


def _publish_time(*, status: str, publish_at: datetime | None, current: Post | None = None) -> datetime | None:
    if status == Post.Status.DRAFT:
        return None
    if status == Post.Status.SCHEDULED:
        return publish_at
    # Publishing again something already public keeps its original date.
    if current is not None and current.is_published:
        return current.published_at
    return timezone.now()


def without_metadata(image: UploadedFile) -> File:
    """The image drawn again without its metadata: photos carry EXIF data such as
    where they were taken and with which phone, which must not leak from the site.

    The camera's orientation is applied first, so the picture still stands the right
    way up. Animated images are kept as uploaded: redrawing would lose the animation,
    and the formats that animate here (GIF, WebP) rarely carry location data.
    """
    image.seek(0)
    with Image.open(image) as picture:
        if getattr(picture, "is_animated", False):
            image.seek(0)
            return image
        image_format = picture.format
        upright = ImageOps.exif_transpose(picture)
        if image_format in {"JPEG", "MPO"}:
            image_format = "JPEG"
            upright = upright.convert("RGB")
        out = BytesIO()
        options = {"quality": 90, "optimize": True} if image_format in {"JPEG", "WEBP"} else {"optimize": True}
        upright.save(out, format=image_format, **options)
    return ContentFile(out.getvalue(), name=image.name)


def _store_image(post: Post, image: UploadedFile) -> None:
    # A random name: the uploader's file name can carry personal details. The extension stays:
    # the form has checked that it matches what the file really is.
    name = f"{uuid.uuid4().hex}{PurePath(image.name).suffix.lower()}"
    post.image.save(name, without_metadata(image), save=False)


def _insert_with_unique_slug(post: Post) -> None:
    # Two posts with the same title saved at the same moment may pick the same slug: try the next one.
    for attempt in range(SLUG_ATTEMPTS):
        post.slug = unique_slug(post.title)
        try:
            with transaction.atomic():
                post.save(force_insert=True)
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1:
                raise
            post.pk = None
        else:
            return


@transaction.atomic
def post_create(
    *,
    author,
    title: str,
    body: str,
    status: str,
    publish_at: datetime | None = None,
    categories: Iterable[Category] = (),
    tag_names: Iterable[str] = (),
    image: UploadedFile | None = None,
    image_alt: str = "",
    image_caption: str = "",
) -> Post:
    """Write a new post with its categories, tags and featured image.

    The slug comes from the title once, here, and never changes.
    """
    if not rules.can_start_discussion(author):
        raise PermissionDenied("This member may not start discussions.")
    post = Post(
        author=author,
        title=title,
        body=body,
        status=status,
        published_at=_publish_time(status=status, publish_at=publish_at),
        image_alt=image_alt if image else "",
        image_caption=image_caption if image else "",
    )
    if image:
        _store_image(post, image)
    try:
        _insert_with_unique_slug(post)
        post.categories.set(categories)
        post.tags.set(tags_from_names(tag_names))
    except Exception:
        # The row is rolled back; do not leave its file behind.
        if post.image:
            post.image.storage.delete(post.image.name)
        raise
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    editor,
    title: str,
    body: str,
    status: str,
    publish_at: datetime | None = None,
    categories: Iterable[Category] = (),
    tag_names: Iterable[str] = (),
    image: UploadedFile | None = None,
    remove_image: bool = False,
    image_alt: str = "",
    image_caption: str = "",
) -> Post:
    """Save an edit of `post`; its slug stays as it is.

    A new `image` replaces the old one; `remove_image` drops it. A replaced file is deleted
    from storage only once the edit is committed.
    """
    # Read the stored row afresh and lock it: a bound ModelForm has already changed `post` in memory.
    current = Post.objects.select_for_update().get(pk=post.pk)
    if not rules.can_edit_post(editor, current):
        raise PermissionDenied("This member may not edit this post.")
    old_image_name = current.image.name
    current.title = title
    current.body = body
    current.status = status
    current.published_at = _publish_time(status=status, publish_at=publish_at, current=current)
    if image:
        _store_image(current, image)
    elif remove_image:
        current.image = ""
    has_image = bool(current.image)
    current.image_alt = image_alt if has_image else ""
    current.image_caption = image_caption if has_image else ""
    try:
        current.save()
        current.categories.set(categories)
        current.tags.set(tags_from_names(tag_names))
    except Exception:
        if image:
            current.image.storage.delete(current.image.name)
        raise
    if old_image_name and old_image_name != current.image.name:
        storage = current.image.storage
        transaction.on_commit(lambda: storage.delete(old_image_name))
    return current
