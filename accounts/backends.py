from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.db import models

from accounts.models import User
from forum.compiled import CompiledQuery, Placeholder

# Every signed-in request runs it: compiled once (see forum.compiled).
SESSION_USER = CompiledQuery(
    lambda: User.objects.for_session().filter(pk=Placeholder("pk", models.BigIntegerField()))[:1]
)


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in by username or email; the signed-in user is loaded with their roles."""

    def get_user(self, user_id):
        user = SESSION_USER.first(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
