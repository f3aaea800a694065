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


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and page caches live in the cache: start every test empty.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD
