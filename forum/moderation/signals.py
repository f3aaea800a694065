from django.dispatch import Signal

# A moderation decision that concerns a member: sent after the transaction commits, with
# `member`, `kind` (a ModerationAction.Kind), `action` (the log entry) and, where there is
# one, `comment`. Notifications tell the member what happened and how to ask for a review.
member_affected = Signal()
