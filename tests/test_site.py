import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import PostFactory

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_ok(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_readyz_answers_ok_when_database_answers(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_readyz_answers_503_when_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("readyz"))

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


@pytest.mark.django_db
def test_home_shows_empty_state_without_posts(client):
    response = client.get(reverse("home"))

    assert response.status_code == HTTPStatus.OK
    assert "No discussions yet." in response.text


@pytest.mark.django_db
def test_home_lists_published_posts_only(client):
    PostFactory(title="A published post")
    PostFactory(title="A draft post", status="draft")

    response = client.get(reverse("home"))

    assert "A published post" in response.text
    assert "A draft post" not in response.text


@pytest.mark.django_db
def test_missing_page_uses_site_layout(client):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Page not found" in response.text
    assert 'id="main"' in response.text


@pytest.mark.django_db
def test_pages_ask_for_no_third_party_resources(client):
    response = client.get(reverse("home"))

    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "https://" not in response.text.split("<body")[0]


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "forum.example.org",
    "EMAIL_URL": "smtp+tls://forum:secret@mail.example.org",
}


# The browser tests allow sync database access inside Playwright's loop; production must not.
NOT_PRODUCTION = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def deploy_check(**overrides):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV.keys() | NOT_PRODUCTION}
    env.update({key: value for key, value in (PRODUCTION_ENV | overrides).items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = deploy_check()

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_deploy_check_names_the_missing_mail_server():
    result = deploy_check(EMAIL_URL=None)

    assert result.returncode != 0
    assert "mail.E001" in result.stderr
    assert "System check identified 1 issue" in result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    env["DEBUG"] = "0"

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_django_log_records_are_printed_once_in_development():
    """Django's default console handler (on with DEBUG) and the site's root handler
    would otherwise both print every record of the django loggers, tasks included."""
    env = {**os.environ, "DEBUG": "1", "LOG_LEVEL": "INFO"}
    script = (
        "import django, logging; django.setup(); logging.getLogger('django.tasks').info('task finished: marker-7f3a')"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("marker-7f3a") == 1
