from django.dispatch import Signal

# Sent when the site closes or reopens a discussion by itself (policy or timer), with
# `post`, `at` and `reason`; moderation listens and records it in its log.
discussion_auto_closed = Signal()
discussion_auto_reopened = Signal()
