"""The page shell's parts rendered once per language: the language switcher (each language named in itself,
the reader's current one selected), the stylesheets for the language's direction and the script's texts."""

from __future__ import annotations

from django.test import override_settings
from django.utils import translation

from palermo.core.templatetags.shell import language_options, page_assets, page_texts


def test_the_current_language_is_selected_and_each_is_named_in_itself():
    with translation.override("ar"):
        arabic = language_options()
    with translation.override("en"):
        english = language_options()
    assert '<option value="ar" lang="ar" selected>العربيّة</option>' in arabic
    assert '<option value="en" lang="en">English</option>' in arabic
    assert '<option value="en" lang="en" selected>English</option>' in english
    assert " selected" not in english.split('value="ar"')[1]


def test_each_language_gets_its_direction_s_stylesheet_and_its_own_texts():
    with translation.override("ar"):
        arabic, arabic_texts = page_assets(), page_texts()
    with translation.override("en"):
        english, english_texts = page_assets(), page_texts()
    assert "bootstrap.rtl.min.css" in arabic and "bootstrap.rtl.min.css" not in english
    assert 'data-type-ahead-add="Add"' in english_texts
    assert 'data-type-ahead-add="إضافة"' in arabic_texts


def test_a_change_of_static_storage_renders_the_assets_anew():
    with translation.override("en"):
        before = page_assets()
        with override_settings(STATIC_URL="/elsewhere/"):
            moved = page_assets()
        after = page_assets()
    assert "/elsewhere/palermo/app.css" in moved and "/elsewhere/" not in before
    assert after == before
