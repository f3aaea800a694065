import os

from django.core.asgi import get_asgi_application

from forum.heap import keep_freed_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
keep_freed_memory()
application = get_asgi_application()
