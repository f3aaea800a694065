import pytest

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests do not run collectstatic, so no manifest; serve files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    # Most tests are about established members; the queue's tests hold new members' comments.
    settings.MODERATION_TRUST_AFTER = 0
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # work runs at once


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and page caches live in the cache: start every test empty.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Rows made by data migrations, put back on a reused test database.

    Browser tests need committed data, so their tables are emptied after each test;
    a database kept with --reuse-db would start the next run without the Moderators group.
    """
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP

    with django_db_blocker.unblock():
        Group.objects.get_or_create(name=MODERATORS_GROUP)


@pytest.fixture
def password():
    return PASSWORD
