from crispy_forms.helper import FormHelper
from django import forms

from forum.notifications.models import Channel, Preference

KIND_FIELDS = ["reply", "post_comment", "mention", "followed", "closing", "moderation"]


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = [*KIND_FIELDS, "email_timing", "auto_follow"]
        widgets = {"email_timing": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Moderators' decisions always show in the site; only their email can be turned off.
        self.fields["moderation"].choices = [(value, label) for value, label in Channel.choices if value != Channel.OFF]
        self.helper = FormHelper()
        self.helper.form_tag = False
