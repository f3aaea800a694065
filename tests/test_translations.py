from django.test import override_settings
from django.utils import translation

from forum import translations

LONG = "Ensure this value has at most %(limit_value)d character (it has %(show_value)d)."
LONG_PLURAL = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."


def test_each_language_gets_its_own_translation():
    for language in ("de", "fr", "de", "en"):
        with translation.override(language):
            assert translations.gettext("Yes") == translation.gettext("Yes")
            for number in (1, 2, 5):
                assert translations.ngettext(LONG, LONG_PLURAL, number) == translation.ngettext(
                    LONG, LONG_PLURAL, number
                )
    with translation.override("de"):
        assert translations.gettext("Yes") == "Ja"
    with translation.override("fr"):
        assert translations.gettext("Yes") == "Oui"


def test_with_translations_off_the_text_is_its_own():
    with translation.override(None):
        assert translations.gettext("Yes") == "Yes"


def test_the_sites_own_language_is_followed():
    translation.deactivate()  # no language of a request's: the site's (LANGUAGE_CODE)
    with override_settings(LANGUAGE_CODE="de"):
        assert translations.gettext("Yes") == "Ja"
    assert translations.gettext("Yes") == "Yes"
