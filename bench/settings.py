"""The site's own settings, plus what the benchmark adds: the floor views and plain static files."""

import os
import warnings

from forum.settings import *  # noqa: F403
from forum.settings import DATABASES, STORAGES

ROOT_URLCONF = "bench.urls"

# The benchmark runs no collectstatic, so pages name static files as they are; no
# request of the benchmark fetches them. WhiteNoise would warn that STATIC_ROOT is missing.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
warnings.filterwarnings("ignore", message="No directory at")

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers from several worker processes: wait for the lock instead of
    # failing at once, take it when the transaction starts, and let readers go on (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

if os.environ.get("BENCH_CACHE") == "none":
    # "Nothing cached": every page is rendered as on a cache miss, and nothing is kept.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
