"""Small readers for settings that come from environment variables."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_choice(name: str, *, choices: set[str], default: str) -> str:
    value = (os.environ.get(name) or default).strip()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}; got {value!r}.")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def dev_only_secret(debug: bool) -> str:
    """A fixed key for local development; production must set SECRET_KEY."""
    if not debug:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    return "django-insecure-development-only-key-never-use-in-production"


def mailers_setting(url: str | None) -> dict[str, dict]:
    """Translate EMAIL_URL into Django's MAILERS setting.

    Accepted forms: console://, locmem://, dummy://, smtp://user:pass@host:25,
    smtp+tls://... (STARTTLS, port 587 by default), smtps://... (implicit TLS, 465).
    Unset means the console backend, so development never sends real mail.
    """
    backends = "django.core.mail.backends"
    if not url:
        return {"default": {"BACKEND": f"{backends}.console.EmailBackend"}}
    parts = urlsplit(url)
    if parts.scheme in {"console", "locmem", "dummy"}:
        return {"default": {"BACKEND": f"{backends}.{parts.scheme}.EmailBackend"}}
    default_ports = {"smtp": 25, "smtp+tls": 587, "smtps": 465}
    if parts.scheme not in default_ports:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of console, locmem, dummy, smtp, smtp+tls, smtps."
        )
    options = parse_qs(parts.query)
    return {
        "default": {
            "BACKEND": f"{backends}.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or default_ports[parts.scheme],
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": parts.scheme == "smtp+tls",
                "use_ssl": parts.scheme == "smtps",
                "timeout": int(options.get("timeout", ["10"])[0]),
            },
        }
    }
