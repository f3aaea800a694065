import unicodedata

from allauth.account import forms as allauth_forms
from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.usernames import RESERVED, RESERVED_PREFIXES, username_key

# Direction overrides, zero-width joiners and the like would let a name disguise itself.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Co", "Cs"}


def clean_visible_text(value: str) -> str:
    """Strip control and formatting characters, keep ordinary line breaks and tabs out."""
    return "".join(char for char in value if unicodedata.category(char) not in UNSAFE_CATEGORIES or char == "\n")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "display_name": _("Shown beside your comments instead of your username. Leave blank to use your username."),
            "bio": _("A few words about yourself, shown on your public profile (500 characters at most)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_display_name(self):
        name = " ".join(clean_visible_text(self.cleaned_data["display_name"]).split())
        if not name:
            return name
        key = username_key(name.replace(" ", "-"))
        if key in RESERVED or key.startswith(RESERVED_PREFIXES):
            raise forms.ValidationError(_("This name is reserved. Please choose another."), code="reserved")
        others = User.objects.exclude(pk=self.instance.pk)
        if others.filter(username_key__in={key, username_key(name.replace(" ", ""))}).exists():
            raise forms.ValidationError(
                _("Another member goes by this name. Please choose one that is clearly yours."), code="taken"
            )
        return name

    def clean_bio(self):
        return clean_visible_text(self.cleaned_data["bio"]).strip()


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not correct."), code="wrong_password")
        return password


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, with the field named for what it takes: a username or an email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username or email")
        login.widget.attrs.update({"autocomplete": "username", "placeholder": ""})
        self.fields["password"].widget.attrs["placeholder"] = ""
