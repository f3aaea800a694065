from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "forum.notifications"
    label = "notifications"

    def ready(self):
        from accounts.restrictions import register_session_annotation
        from forum.notifications import checks, receivers  # noqa: F401  (they register themselves)
        from forum.notifications.querysets import unread_count
        from forum.notifications.views import follow_context
        from forum.posts.pages import register_section

        register_session_annotation("unread_notifications", unread_count)
        # Right below the article, before the discussion (order 100).
        register_section(template="notifications/includes/_follow.html", build_context=follow_context, order=50)
