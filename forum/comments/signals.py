from django.dispatch import Signal

# A comment became visible to everyone for the first time (posted without being held,
# or approved from the queue). Sent after the transaction commits, with `comment`.
# Higher apps (notifications) listen; the comments app never imports them.
comment_published = Signal()
