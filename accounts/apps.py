from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.restrictions import register_session_annotation
        from accounts.roles import in_moderators_group

        register_session_annotation("in_moderators_group", in_moderators_group)
