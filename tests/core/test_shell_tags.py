"""The page shell's language switcher: each language named in itself, the reader's current one selected."""

from __future__ import annotations

from django.utils import translation

from palermo.core.templatetags.shell import language_options


def test_the_current_language_is_selected_and_each_is_named_in_itself():
    with translation.override("ar"):
        arabic = language_options()
    with translation.override("en"):
        english = language_options()
    assert '<option value="ar" lang="ar" selected>العربيّة</option>' in arabic
    assert '<option value="en" lang="en">English</option>' in arabic
    assert '<option value="en" lang="en" selected>English</option>' in english
    assert " selected" not in english.split('value="ar"')[1]
