from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from accounts.models import User


class AuthenticationBackend(AllauthBackend):
    """allauth's sign-in by username or email; the signed-in user is loaded with their roles."""

    def get_user(self, user_id):
        user = User.objects.for_session().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
