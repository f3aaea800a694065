from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's emails greet and sign off with the site's name ("Hello from ...!").
        # Without the sites framework that name is the request's host; give them ours,
        # and keep the host as the address they show.
        site = get_current_site(allauth_context.request)
        site.name = settings.SITE_NAME
        super().send_mail(template_prefix, email, {"current_site": site, **context})
