from datetime import datetime, time, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.usernames import username_key
from forum.moderation.models import ModerationAction, Suspension

DURATIONS = {
    "1d": timedelta(days=1),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
CUSTOM = "custom"
PERMANENT = "permanent"
DURATION_CHOICES = [
    ("1d", _("1 day")),
    ("3d", _("3 days")),
    ("7d", _("1 week")),
    ("30d", _("30 days")),
    (CUSTOM, _("Until a date and time I choose")),
    (PERMANENT, _("Until a moderator lifts it")),
]
REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 1000


def _form_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> has its token
    return helper


class SuspendForm(forms.Form):
    duration = forms.ChoiceField(
        label=_("How long"),
        choices=DURATION_CHOICES,
        initial="1d",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how long the suspension lasts.")},
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Only for “until a date and time I choose”. In the site's time zone."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Private: only moderators read it, here and in the moderation log."),
        error_messages={"required": _("Say why, for the other moderators.")},
    )
    public_reason = forms.CharField(
        label=_("Public reason (optional)"),
        max_length=Suspension._meta.get_field("public_reason").max_length,
        required=False,
        help_text=_(
            "Shown to the member and in the public moderation log. The log never names the member; "
            "don't name them here either."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper()

    def clean(self):
        cleaned = super().clean()
        duration = cleaned.get("duration")
        now = timezone.now()
        if duration in DURATIONS:
            cleaned["until"] = now + DURATIONS[duration]
        elif duration == PERMANENT:
            cleaned["until"] = None
        elif duration == CUSTOM:
            ends_at = cleaned.get("ends_at")
            if "ends_at" in self.errors:
                pass
            elif ends_at is None:
                self.add_error("ends_at", _("Choose when the suspension ends."))
            elif ends_at <= now:
                self.add_error("ends_at", _("The end must be in the future."))
            else:
                cleaned["until"] = ends_at
        return cleaned


class LiftForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why it ends early. Only moderators read it."),
    )

    def __init__(self, *args, suspension: Suspension, **kwargs):
        # One form per active suspension on the page: ids must not clash.
        kwargs.setdefault("auto_id", f"id_lift{suspension.pk}_%s")
        super().__init__(*args, **kwargs)
        self.suspension = suspension
        self.helper = _form_helper()


class LogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any action")), *ModerationAction.Kind.choices], required=False
    )
    moderator = forms.CharField(label=_("Moderator (username)"), max_length=150, required=False)
    member = forms.CharField(label=_("Member (username)"), max_length=150, required=False)
    post = forms.SlugField(
        label=_("Post (slug)"),
        max_length=220,
        required=False,
        error_messages={"invalid": _("A post's slug has only letters, numbers, hyphens and underscores.")},
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _form_helper()
        narrow = "col-sm-6 col-lg-4"
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class=narrow),
                Column("moderator", css_class=narrow),
                Column("member", css_class=narrow),
                Column("post", css_class=narrow),
                Column("since", css_class=narrow),
                Column("until", css_class=narrow),
            )
        )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the range comes before its start."))
        return cleaned

    def filter(self, actions):
        """Narrow `actions` to what the valid form asks for."""
        data = self.cleaned_data
        if data["kind"]:
            actions = actions.filter(kind=data["kind"])
        if data["moderator"]:
            actions = actions.filter(actor__username_key=username_key(data["moderator"].lstrip("@")))
        if data["member"]:
            actions = actions.filter(member__username_key=username_key(data["member"].lstrip("@")))
        if data["post"]:
            actions = actions.filter(post__slug=data["post"])
        # Whole days in the site's time zone, as bounds on the indexed column.
        if data["since"]:
            actions = actions.filter(created_at__gte=_start_of(data["since"]))
        if data["until"]:
            actions = actions.filter(created_at__lt=_start_of(data["until"] + timedelta(days=1)))
        return actions

    @property
    def is_filtering(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
