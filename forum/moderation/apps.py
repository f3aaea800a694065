from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"

    def ready(self):
        from accounts.restrictions import register_restriction, register_session_annotation
        from forum.comments.policies import register_hold_policy
        from forum.comments.rules import register_manage_check, register_write_check
        from forum.moderation import policies, receivers, rules  # noqa: F401  (receivers connect signals)

        register_restriction(policies.suspension_restriction)
        register_session_annotation("has_active_suspension", policies.has_active_suspension)
        for policy in (
            policies.hold_everything,
            policies.hold_guests,
            policies.hold_new_members,
            policies.hold_many_links,
            policies.hold_watched_phrases,
        ):
            register_hold_policy(policy)
        register_write_check(policies.slow_mode)
        register_manage_check(rules.can_close)
