from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """Links in notification emails are built from SITE_URL; a local address makes every one of them dead."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or parts.hostname in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in notification emails will not reach your site.",
                hint="Set SITE_URL to the site's public https:// address, e.g. https://forum.example.org.",
                id="notifications.W001",
            )
        ]
    return []
