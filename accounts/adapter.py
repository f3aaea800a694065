from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from accounts.usernames import normalize, username_key, validate_username


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        username = normalize(username)
        validate_username(username)
        username = super().clean_username(username, shallow=shallow)
        if not shallow and get_user_model().objects.filter(username_key=username_key(username)).exists():
            # Same message as an exact duplicate: a look-alike is taken just the same.
            raise forms.ValidationError(_("A user with that username already exists."), code="username_taken")
        return username
