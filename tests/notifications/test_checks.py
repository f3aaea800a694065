from forum.notifications.checks import site_url_is_public


def test_deploy_check_warns_about_a_local_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"

    [warning] = site_url_is_public(None)

    assert warning.id == "notifications.W001"


def test_deploy_check_accepts_a_public_https_site_url(settings):
    settings.SITE_URL = "https://forum.example.org"

    assert site_url_is_public(None) == []
