import unicodedata
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

from forum.comments.models import Comment

# Control and format characters (NUL, direction overrides, zero-width joiners...)
# never belong in a comment; ordinary line breaks and tabs do.
KEPT_CONTROLS = {"\n", "\t"}


REMOVED_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}


def clean_comment_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Most text holds none of the removed characters, and one pass in C can tell: they
    # are all unprintable. So are spaces other than " " and unassigned characters, which
    # stay: text holding any of those is read a character at a time.
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return "".join(
        char for char in text if char in KEPT_CONTROLS or unicodedata.category(char) not in REMOVED_CATEGORIES
    )


class CommentBodyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Your comment"),
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text=_("You can use Markdown: *emphasis*, **bold**, [links](https://example.org), > quotes."),
            error_messages={"required": _("Please write something before posting.")},
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return clean_comment_text(value).strip() if value else value

    def validate(self, value):
        super().validate(value)
        limit = settings.COMMENTS_MAX_LENGTH
        if len(value) > limit:
            raise forms.ValidationError(
                _("Please keep your comment under %(limit)s characters; it has %(length)s."),
                code="too_long",
                params={"limit": f"{limit:,}", "length": f"{len(value):,}"},
            )


class ReplyTargetField(forms.ModelChoiceField):
    """The comment replied to: one that everyone can see, in the thread of `post_pk`."""

    post_pk: int | None = None
    LARGEST_ID = 2**63 - 1  # a crafted number beyond the database's integers is no comment either

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            pk = int(value)
        except (TypeError, ValueError):
            pk = None
        found = Comment.objects.reply_target(self.post_pk, pk) if pk and 0 < pk <= self.LARGEST_ID else None
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


# Django's own Jinja2 copies of its widget templates: the same markup as its template
# language gives, in a fraction of the time. One renderer keeps the compiled templates.
WIDGETS_IN_JINJA2 = Jinja2()


class CommentForm(forms.Form):
    # Under every thread shown to a member: drawn fast (see WIDGETS_IN_JINJA2).
    default_renderer = WIDGETS_IN_JINJA2

    body = CommentBodyField()
    parent = ReplyTargetField(
        queryset=Comment.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("The comment you are replying to no longer exists or cannot be replied to."),
        },
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    guest_name = forms.CharField(label=_("Your name"), max_length=80, required=False)
    guest_email = forms.EmailField(
        label=_("Your email"),
        required=False,
        help_text=_("Never shown to anyone. Used only if a moderator must reach you."),
    )

    def __init__(self, *args, post, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        # Replies may only go under visible comments of this same post.
        self.fields["parent"].post_pk = post.pk
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        self.is_guest = not user.is_authenticated
        if self.is_guest:
            self.fields["guest_name"].required = True
            self.fields["guest_email"].required = True
        else:
            del self.fields["guest_name"]
            del self.fields["guest_email"]
        # Drawn on every thread page by its own few lines of markup
        # (comments/includes/_comment_form.html) rather than a form layout library.
        for field in self.visible_fields():
            field.field.widget.attrs["class"] = "form-control"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.fields[name].widget.attrs["class"] = "form-control is-invalid"

    def detach_from_missing_parent(self) -> None:
        """After a refused reply, show the form again as a new top-level comment."""
        if self.has_error("parent"):
            self.data = self.data.copy()
            self.data["parent"] = ""

    def clean_guest_name(self):
        name = " ".join(clean_comment_text(self.cleaned_data["guest_name"]).split())
        if not name:
            raise forms.ValidationError(_("Please tell us your name."), code="required")
        return name


class CommentEditForm(forms.Form):
    body = CommentBodyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
