"""Forms of the discussion settings page and of the sub-thread lock page."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.posts.closing import default_close_links
from forum.posts.models import Post

REASON_LENGTH = Post._meta.get_field("close_reason").max_length
MAX_LINKS = 8
PHONE = re.compile(r"\+?[0-9][0-9 ().-]{1,30}")
SLOW_MODE_PRESETS = {60: _("1 minute"), 300: _("5 minutes"), 900: _("15 minutes"), 3600: _("1 hour")}
CUSTOM = "custom"
MAX_CUSTOM_MINUTES = 7 * 24 * 60
LINK_URL_ERROR = _(
    "Use a web address (https://…), a phone number (tel:…), an email address (mailto:…) "
    "or a path on this site (starting with /)."
)


def validate_link_url(value: str) -> None:
    """Accept only addresses that are safe to show as a link to every reader."""
    scheme, _colon, rest = value.partition(":")
    scheme = scheme.lower()
    if scheme == "tel" and PHONE.fullmatch(rest):
        return  # spaces are fine in a phone number: people type them, diallers ignore them
    if any(char.isspace() for char in value) or "\\" in value:
        raise ValidationError(LINK_URL_ERROR, code="invalid_link")
    # "//host" would leave the site while looking like a local path.
    if value.startswith("/") and not value.startswith("//"):
        return
    if scheme == "mailto" and rest:
        try:
            validate_email(rest.partition("?")[0])
        except ValidationError:
            pass
        else:
            return
    if scheme in {"http", "https"}:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            pass
        else:
            return
    raise ValidationError(LINK_URL_ERROR, code="invalid_link")


def slow_mode_label(seconds: int) -> str:
    if seconds in SLOW_MODE_PRESETS:
        return str(SLOW_MODE_PRESETS[seconds])
    minutes = -(-seconds // 60)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its token
    return helper


def _moment_field(label, help_text="") -> forms.DateTimeField:
    zone = _("Time zone: %(zone)s.") % {"zone": timezone.get_current_timezone_name()}
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=f"{help_text} {zone}".strip(),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _reason_field(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=REASON_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseLinkForm(forms.Form):
    """One "where to go now" link; a label alone is shown as plain text (a phone line, say)."""

    label = forms.CharField(max_length=120, required=False)
    url = forms.CharField(max_length=500, required=False, validators=[validate_link_url])

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.fields["label"].label = _("Link %(number)s: text") % {"number": number}
        self.fields["url"].label = _("Link %(number)s: address") % {"number": number}

    def clean(self):
        data = super().clean()
        if data.get("url") and not data.get("label"):
            self.add_error("label", _("Say where this link leads, so readers know before they follow it."))
        return data

    def link(self) -> dict | None:
        label = self.cleaned_data.get("label", "").strip()
        return {"label": label, "url": self.cleaned_data.get("url", "").strip()} if label else None


class BaseCloseLinkFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "number": (index or 0) + 1}

    def links(self) -> list[dict]:
        return [link for form in self.forms if (link := form.link())]


CloseLinkFormSet = forms.formset_factory(
    CloseLinkForm,
    formset=BaseCloseLinkFormSet,
    extra=2,
    max_num=MAX_LINKS,
    absolute_max=MAX_LINKS,
    validate_max=True,
)


class CloseForm(forms.Form):
    """Close now or at a set time, with a reason, links and an optional reopening time."""

    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Close now")), ("later", _("Close at a set time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    close_at = _moment_field(_("Close at"), _("Only when closing at a set time."))
    reason = _reason_field(
        _("Reason (optional)"), _("Shown to everyone with “Comments are closed.” and in the public moderation log.")
    )
    reopen_at = _moment_field(_("Reopen automatically at (optional)"), _("Leave empty to keep it closed."))

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        if post.is_closed:
            # Already closed: what remains to change is what the closure says.
            del self.fields["when"], self.fields["close_at"]
        if post.closed_at:
            # Changing an existing closure starts from what it says now.
            self.initial.setdefault("reason", post.close_reason)
            self.initial.setdefault("reopen_at", post.reopens_at)
            if post.closes_at:
                self.initial.setdefault("when", "later")
                self.initial.setdefault("close_at", post.closes_at)
            links = post.close_links
        else:
            links = default_close_links()
        self.links = CloseLinkFormSet(
            self.data if self.is_bound else None, prefix=self.add_prefix("links"), initial=links
        )
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        now = timezone.now()
        close_at = data.get("close_at")
        if data.get("when") == "later":
            if close_at is None:
                self.add_error("close_at", _("Choose when comments should close, or choose “Close now”."))
            elif close_at <= now:
                self.add_error("close_at", _("Choose a time in the future, or choose “Close now”."))
        else:
            data["close_at"] = None
        reopen_at = data.get("reopen_at")
        if reopen_at is not None and reopen_at <= max(data.get("close_at") or now, now):
            self.add_error("reopen_at", _("The reopening time must come after the closing time."))
        return data

    def is_valid(self):
        # Both, so the page shows every mistake at once.
        form_valid = super().is_valid()
        return self.links.is_valid() and form_valid

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "links": self.links.links(),
            "at": data["close_at"],
            "reopens_at": data["reopen_at"],
        }


class ReopenForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Reopen now")), ("later", _("Reopen at a set time"))],
        initial="now",
        widget=forms.RadioSelect,
    )
    reopen_at = _moment_field(_("Reopen at"), _("Only when reopening at a set time."))
    reason = _reason_field(_("Reason (optional)"), _("Shown in the public moderation log."))

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        if post.reopens_at:
            self.initial.setdefault("when", "later")
            self.initial.setdefault("reopen_at", post.reopens_at)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if self.post.closed_at is None:
            raise ValidationError(_("This discussion is open, so there is nothing to reopen."), code="open")
        if data.get("when") != "later":
            data["reopen_at"] = None
            return data
        reopen_at = data.get("reopen_at")
        if reopen_at is None:
            self.add_error("reopen_at", _("Choose when comments should reopen, or choose “Reopen now”."))
        elif reopen_at <= max(self.post.closed_at, timezone.now()):
            self.add_error("reopen_at", _("Choose a time in the future, after the closing time."))
        return data


class SwitchForm(forms.Form):
    """A setting turned on or off by one button; the posted value is the state wanted."""

    on = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def wanted(self) -> bool:
        # A missing or odd value means "off", like an unticked box.
        return self.is_valid() and self.cleaned_data["on"]


class SlowModeForm(forms.Form):
    interval = forms.ChoiceField(
        label=_("Minimum time between one member's comments"),
        choices=[("0", _("Off")), *((str(s), label) for s, label in SLOW_MODE_PRESETS.items()), (CUSTOM, _("Custom"))],
        widget=forms.RadioSelect,
    )
    custom_minutes = forms.IntegerField(
        label=_("Custom interval, in minutes"),
        required=False,
        min_value=1,
        max_value=MAX_CUSTOM_MINUTES,
        help_text=_("Only with “Custom”. At most a week (%(max)s minutes).") % {"max": MAX_CUSTOM_MINUTES},
    )
    reason = _reason_field(_("Note for the moderation log (optional)"))

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        seconds = post.slow_mode_seconds
        if not seconds or seconds in SLOW_MODE_PRESETS:
            self.initial.setdefault("interval", str(seconds))
        else:
            self.initial.setdefault("interval", CUSTOM)
            self.initial.setdefault("custom_minutes", -(-seconds // 60))  # whole minutes, rounded up
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        missing = data.get("custom_minutes") is None and "custom_minutes" not in self.errors
        if data.get("interval") == CUSTOM and missing:
            self.add_error("custom_minutes", _("Enter the number of minutes for a custom interval."))
        return data

    def seconds(self) -> int:
        data = self.cleaned_data
        if data["interval"] == CUSTOM:
            return data["custom_minutes"] * 60
        return int(data["interval"])


class CommentLockForm(forms.Form):
    reason = _reason_field(_("Reason (optional)"), _("Shown to everyone below the locked comment."))
    until = _moment_field(_("Unlock automatically at (optional)"), _("Leave empty to keep it locked."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.now():
            raise ValidationError(_("Choose a time in the future, or leave it empty."), code="past")
        return until


class CommentUnlockForm(forms.Form):
    reason = _reason_field(_("Note for the moderation log (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
