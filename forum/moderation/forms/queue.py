import re

import regex
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from forum.comments.forms import CommentBodyField
from forum.moderation.models import Report, WatchPhrase
from forum.moderation.policies import pattern_runs_out_of_time
from forum.moderation.queue import APPROVE, COMMENT, DISMISS, POST, REMOVE, SPAM

ITEM_KEY = re.compile(rf"^({COMMENT}|{POST})-(\d+)$")


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class RemoveForm(_Form):
    reason = forms.CharField(
        label=_("Reason for removing"),
        max_length=500,
        error_messages={"required": _("Please say why it is removed; the reason goes in the moderation log.")},
    )
    show_reason = forms.BooleanField(
        label=_("Show the reason publicly"),
        required=False,
        help_text=_("Readers then see it under “Removed by a moderator.”"),
    )


class SpamForm(_Form):
    suspend_author = forms.BooleanField(label=_("Also suspend the author"), required=False)


class ModeratorEditForm(_Form):
    body = CommentBodyField()
    note = forms.CharField(
        label=_("Note for the moderation log"),
        max_length=500,
        required=False,
        help_text=_("Optional. Why the text was changed; only moderators see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Text of the comment")
        self.fields["body"].widget.attrs["rows"] = 8


class BulkForm(forms.Form):
    """One action applied to several queue items, named "comment-12" or "post-3"."""

    items = forms.MultipleChoiceField(
        required=True, error_messages={"required": _("Please select at least one item first.")}
    )
    action = forms.ChoiceField(
        label=_("With the selected items"),
        choices=[
            ("", _("Choose an action…")),
            (APPROVE, _("Approve (publish, or keep up and dismiss reports)")),
            (REMOVE, _("Remove")),
            (SPAM, _("Mark as spam and remove")),
            (DISMISS, _("Dismiss reports")),
        ],
        error_messages={"required": _("Please choose what to do with the selected items.")},
    )
    reason = forms.CharField(label=_("Reason for removing"), max_length=500, required=False)
    show_reason = forms.BooleanField(label=_("Show the reason publicly"), required=False)
    suspend_author = forms.BooleanField(label=_("Also suspend the authors of spam"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any well-formed key is accepted; items handled meanwhile are skipped by the view.
        self.fields["items"].valid_value = lambda value: bool(ITEM_KEY.match(value))

    def clean_items(self) -> list[tuple[str, int]]:
        return [(kind, int(pk)) for kind, pk in (ITEM_KEY.match(key).groups() for key in self.cleaned_data["items"])]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == REMOVE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Please say why these items are removed."))
        items = cleaned.get("items") or []
        if action in {REMOVE, SPAM} and any(kind == POST for kind, _pk in items):
            self.add_error(
                "action",
                _(
                    "Reported posts can only have their reports dismissed here. "
                    "Unselect them, or choose “Dismiss reports”."
                ),
            )
        return cleaned


class ReportForm(_Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose the reason that fits best.")},
    )
    note = forms.CharField(
        label=_("Anything moderators should know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        required=False,
        help_text=_("Needed when you choose “Something else”. Only moderators read it."),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["note"] = cleaned.get("note", "").strip()
        if cleaned.get("reason") == Report.Reason.OTHER and not cleaned["note"]:
            self.add_error("note", _("Please tell moderators what is wrong."))
        return cleaned


class WatchPhraseForm(forms.ModelForm):
    class Meta:
        model = WatchPhrase
        fields = ["phrase", "is_pattern", "action", "note"]
        labels = {"phrase": _("Word, phrase or pattern"), "is_pattern": _("This is a regular expression")}
        help_texts = {
            "phrase": _("Matched as whole words, ignoring case, unless it is a regular expression."),
            "is_pattern": _("For example \\b\\d{3}-\\d{4}\\b for a phone number. Matching ignores case."),
            "note": _("Why moderators watch for this. Moderators see it as the reason a comment was held."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget = forms.RadioSelect(choices=self.fields["action"].choices)
        self.fields["phrase"].error_messages["max_length"] = _("Please keep it to 200 characters or fewer.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_phrase(self):
        return self.cleaned_data["phrase"].strip()

    def clean(self):
        cleaned = super().clean()
        phrase = cleaned.get("phrase")
        if phrase and cleaned.get("is_pattern"):
            try:
                regex.compile(phrase)
            except regex.error as error:
                self.add_error("phrase", _("This regular expression does not work: %(error)s.") % {"error": error})
                return cleaned
            if pattern_runs_out_of_time(phrase):
                self.add_error(
                    "phrase",
                    _(
                        "This regular expression takes too long on some texts (it backtracks), so it would "
                        "hold comments it cannot check. Make its repeated parts unable to match the same text "
                        "in more than one way."
                    ),
                )
                return cleaned
        # Said plainly here; the field's error then keeps the generic constraint message away.
        if phrase and WatchPhrase.objects.filter(phrase=phrase, is_pattern=cleaned.get("is_pattern", False)).exists():
            self.add_error("phrase", _("This is already on the list."))
        return cleaned
