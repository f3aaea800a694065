import os

from django.core.wsgi import get_wsgi_application

from forum.heap import keep_freed_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
keep_freed_memory()
application = get_wsgi_application()
