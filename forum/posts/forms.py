from pathlib import PurePath

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image

from forum.posts.models import Category, Post, Tag

BODY_MAX_LENGTH = 100_000
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# The formats Pillow may report for each accepted file extension. MPO is how Pillow
# names the JPEG files many phone cameras write.
IMAGE_FORMATS_BY_EXTENSION = {
    ".jpg": {"JPEG", "MPO"},
    ".jpeg": {"JPEG", "MPO"},
    ".png": {"PNG"},
    ".webp": {"WEBP"},
    ".gif": {"GIF"},
}
IMAGE_CONTENT_TYPES = "image/jpeg,image/png,image/webp,image/gif"
MAX_TAGS = 10


def image_format(upload) -> str:
    """The format Pillow finds in `upload` once it has checked the file's structure."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except Image.DecompressionBombError as error:
        raise ValidationError(_("This image has too many pixels. Choose a smaller one."), code="too_large") from error
    except Exception as error:
        # Pillow signals a broken or foreign file with many exception types, all meaning the same here.
        raise ValidationError(
            _("This file is not an image we can read. Choose a JPEG, PNG, WebP or GIF image."), code="invalid_image"
        ) from error
    finally:
        upload.seek(0)
    return found or ""


class FeaturedImageField(forms.FileField):
    """An upload that must really be a JPEG, PNG, WebP or GIF image, of at most IMAGE_MAX_BYTES."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > IMAGE_MAX_BYTES:
            raise ValidationError(
                _("This image is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)},
                code="too_big",
            )
        extension = PurePath(upload.name).suffix.lower()
        if extension not in IMAGE_FORMATS_BY_EXTENSION:
            raise ValidationError(_("Choose a JPEG, PNG, WebP or GIF image."), code="extension")
        found = image_format(upload)
        if found not in IMAGE_FORMATS_BY_EXTENSION[extension]:
            raise ValidationError(
                _("This file's name ends in %(extension)s but it is not a %(expected)s image.")
                % {"extension": extension, "expected": extension.lstrip(".").upper()},
                code="wrong_extension",
            )
        return upload


class PostForm(forms.ModelForm):
    body = forms.CharField(
        label=_("Body"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: **bold**, *italic*, [a link](https://example.org), lists with - or 1., "
            "> quotes, `code`, and ## for headings. HTML is shown as typed."
        ),
    )
    image = FeaturedImageField(
        label=_("Featured image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_CONTENT_TYPES}),
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB."),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=MAX_TAGS * (Tag._meta.get_field("name").max_length + 2),
        help_text=_("Separate tags with commas, e.g. naloxone, policy. New tags are created as you save."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    class Meta:
        model = Post
        fields = ["title", "body", "image", "image_alt", "image_caption", "categories", "status"]
        widgets = {"status": forms.RadioSelect}
        help_texts = {
            "image_alt": _("Required with an image: what it shows, for people who cannot see it."),
            "image_caption": _("Optional, shown below the image."),
        }

    def __init__(self, *args, preview: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview
        post = self.instance
        is_public = post.pk is not None and post.is_published
        self.fields["status"].label = _("Visibility")
        self.fields["status"].choices = [
            (Post.Status.DRAFT, _("Draft: only you and the site staff can see it")),
            (Post.Status.PUBLISHED, _("Published") if is_public else _("Publish now")),
            (Post.Status.SCHEDULED, _("Scheduled: goes public at the time below")),
        ]
        self.fields["publish_at"].help_text = _("For a scheduled post. Time zone: %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }
        if post.pk is None:
            self.initial.setdefault("status", Post.Status.PUBLISHED)
        else:
            # A scheduled post whose time has come is simply published now.
            if is_public:
                self.initial["status"] = Post.Status.PUBLISHED
            elif post.status == Post.Status.SCHEDULED:
                self.initial["publish_at"] = post.published_at
            self.initial["tags"] = ", ".join(tag.name for tag in post.tags.all())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has its token
        self.helper.layout = Layout(
            "title",
            "body",
            Fieldset(_("Featured image (optional)"), "image", "image_alt", "image_caption"),
            "categories",
            "tags",
            "status",
            "publish_at",
        )

    def full_clean(self):
        # A preview shows the text as it will look; complaints about the fields wait for the save.
        if self.preview:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.split())
            if not name or name.casefold() in (seen.casefold() for seen in names):
                continue
            if len(name) > Tag._meta.get_field("name").max_length:
                raise ValidationError(
                    _("“%(name)s” is too long for a tag."), code="tag_too_long", params={"name": name[:20] + "…"}
                )
            if not slugify(name):
                raise ValidationError(
                    _("“%(name)s” needs at least one letter or digit (a to z, 0 to 9)."),
                    code="tag_no_slug",
                    params={"name": name},
                )
            names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Use at most %(count)d tags."), code="too_many_tags", params={"count": MAX_TAGS})
        return names

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        publish_at = cleaned.get("publish_at")
        if status == Post.Status.SCHEDULED and "publish_at" not in self.errors:
            if publish_at is None:
                self.add_error("publish_at", _("Choose when the post goes public."))
            elif publish_at <= timezone.now():
                self.add_error("publish_at", _("Choose a time in the future, or publish now."))
        if self.has_image() and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned

    def has_image(self) -> bool:
        # A new upload, or the post's current image left in place (False means "remove it").
        return bool(self.cleaned_data.get("image"))

    def service_arguments(self) -> dict:
        """The cleaned values in the shape post_create and post_update take."""
        data = self.cleaned_data
        image = data.get("image")
        new_image = image if isinstance(image, UploadedFile) else None
        arguments = {
            "title": data["title"],
            "body": data["body"],
            "status": data["status"],
            "publish_at": data.get("publish_at") if data["status"] == Post.Status.SCHEDULED else None,
            "categories": data["categories"],
            "tag_names": data["tags"],
            "image": new_image,
            "image_alt": data["image_alt"],
            "image_caption": data["image_caption"],
        }
        if self.instance.pk is not None:
            arguments["remove_image"] = image is False
        return arguments
