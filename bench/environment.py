"""The benchmark's own database and settings, made before Django starts."""

import os
import shutil
from pathlib import Path

POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
DATABASE_NAME = "forum_bench"
# A throwaway key: the benchmark database holds nothing worth protecting.
SECRET_KEY = "bench-only-secret-key-never-used-by-a-real-deployment"


def create_database(*, sqlite: bool, workdir: Path, server: str = POSTGRES_SERVER, name: str = DATABASE_NAME) -> str:
    """A new, empty database; returns its DATABASE_URL. PostgreSQL's is dropped first if it exists."""
    if sqlite:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    server = server if server.endswith("/") else server + "/"
    _postgres_database(server, name)
    return server + name


def copy_database(database_url: str, name: str) -> str:
    """A copy, named `name`, of the database at `database_url` as it is now (nobody may be
    connected to it); returns the copy's DATABASE_URL. An earlier copy of that name is
    dropped first. An SQLite file is copied beside the original."""
    if database_url.startswith("sqlite:///"):
        source = Path(database_url.removeprefix("sqlite:///"))
        copy = source.with_name(f"{name}.sqlite3")
        shutil.copyfile(source, copy)
        return f"sqlite:///{copy}"
    server, source = database_url.rsplit("/", 1)
    _postgres_database(f"{server}/", name, template=source)
    return f"{server}/{name}"


def _postgres_database(server: str, name: str, *, template: str | None = None) -> None:
    """Database `name` on `server` (its URL up to the name, ending in "/"), made anew:
    empty, or a copy of `template`."""
    import psycopg
    from psycopg import sql

    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create = sql.SQL("{} TEMPLATE {}").format(create, sql.Identifier(template))
    with psycopg.connect(server + "postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(create)


def bench_env(database_url: str) -> dict[str, str]:
    """The environment of the benchmark process and of gunicorn: production-like, on plain HTTP,
    with nothing cached (BENCH_CACHE=none; leave it out to use the site's cache)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_URL": "dummy://",
            "LOG_LEVEL": "WARNING",
            "BENCH_CACHE": "none",
        }
    )
    return env


def start_django(env: dict[str, str]) -> None:
    """Configure this process with `env`, start Django and create the tables."""
    os.environ.update(env)
    import django
    from django.core.management import call_command

    from forum.heap import keep_freed_memory

    keep_freed_memory()  # as the site's server entry points (forum/wsgi.py) do
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
