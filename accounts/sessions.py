"""Django's database sessions, read with a query compiled once (forum.compiled).

Every request of a signed-in member reads its session first; through the ORM,
building that query took longer than the database took to answer it.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import models, router
from django.utils import timezone

from forum.compiled import CompiledQuery, Placeholder

LIVE_SESSION = CompiledQuery(
    lambda: Session.objects.filter(
        session_key=Placeholder("key", models.CharField()),
        expire_date__gt=Placeholder("now", models.DateTimeField()),
    ).order_by()[:1]
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        session = LIVE_SESSION.first(router.db_for_read(Session), key=self.session_key, now=timezone.now())
        if session is None:
            self._session_key = None
        return session
