"""The public portal's pages (issue 22, items 1, 2 and 4): anonymous by construction, light, in every public
language, and saying what the rulebook says. Browser checks (quick exit, axe-core, the accessibility tree) are
in tests/e2e/test_browser_portal.py."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from palermo.portal import content
from palermo.portal.accesslog import PrivateAccessLogger
from tests.queries import Queries

pytestmark = pytest.mark.django_db

PAGES = ["home", "rights", "check", "next", "help", "contact"]
LANGUAGES = settings.PUBLIC_LANGUAGES
LOCALE = Path(settings.BASE_DIR) / "palermo" / "portal" / "locale"
MAX_PAGE_BYTES = 100 * 1024
ASSETS = ["portal/portal.css", "portal/portal.js"]
# Every URL a page may name: the site's own paths, and the quick exit's page elsewhere (a link, never loaded).
URL_ATTRIBUTE = re.compile(r"""\b(?:src|href|action|data-exit)="([^"]*)\"""")


def page_url(name: str, lang: str) -> str:
    return reverse(f"portal:{name}", args=[lang])


@pytest.fixture
def services(make_agency):
    """A directory with a national hotline, a regional drop-in centre and a safe house (never listed)."""
    from palermo.assistance.models import ProviderService, ServiceLanguage, ServiceRegion

    ngo = make_agency("ngo", region="")
    hotline = ProviderService.objects.create(
        agency=ngo, kind="legal_information", name="National helpline (synthetic)", contact="+00 000 000 001"
    )
    ServiceLanguage.objects.create(service=hotline, language="ara")
    drop_in = ProviderService.objects.create(
        agency=ngo, kind="psychosocial_care", name="Drop-in centre (synthetic)", contact="Mon-Fri 9-17"
    )
    ServiceRegion.objects.create(service=drop_in, region="Sicilia")
    safe = ProviderService.objects.create(
        agency=ngo, kind="safe_accommodation", name="Safe house (synthetic)", contact="secret", capacity=4
    )
    ServiceRegion.objects.create(service=safe, region="Sicilia")
    return SimpleNamespace(hotline=hotline, drop_in=drop_in, safe=safe)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_reads_in_its_language_sets_no_cookie_and_names_nothing_off_site(client, lang, services):
    for name in PAGES:
        response = client.get(page_url(name, lang))
        assert response.status_code == 200, name
        html = response.content.decode()
        direction = "rtl" if lang in {"ar", "fa", "ur"} else "ltr"
        assert f'<html lang="{lang}" dir="{direction}">' in html
        assert not response.cookies, f"{name} set {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"
        for url in URL_ATTRIBUTE.findall(html):
            if url.startswith(("http:", "https:", "//")):
                assert url == settings.PORTAL_EXIT_URL, f"{name} names {url}"
            else:
                assert url.startswith(("/", "#")), f"{name} names {url}"
        assert "<script" not in html.replace('<script src="/static/portal/portal.js" defer></script>', "")
        assert "<iframe" not in html and "<img" not in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_page_with_its_assets_weighs_under_100_kb(client, lang, services):
    assets = sum(Path(finders.find(asset)).stat().st_size for asset in ASSETS)
    for name in PAGES:
        weight = len(client.get(page_url(name, lang)).content) + assets
        assert weight < MAX_PAGE_BYTES, f"{name} in {lang}: {weight} bytes"


def _sentences(html: str) -> set[str]:
    """The visible texts of a page's main content and header, longer than a word or two."""
    body = re.sub(r"<[^>]+>", "\n", html.split("<body>", 1)[1])
    return {line.strip() for line in body.splitlines() if len(line.strip()) > 12}


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_no_english_sentence_is_left_on_a_translated_page(client, lang, services):
    for name in PAGES:
        english = _sentences(client.get(page_url(name, "en")).content.decode())
        english -= {"National helpline (synthetic)", "Drop-in centre (synthetic)", "+00 000 000 001"}
        english -= {"Mon-Fri 9-17", services.hotline.agency.name} | {
            name for _code, name in _language_names()
        }
        translated = _sentences(client.get(page_url(name, lang)).content.decode())
        assert not english & translated, f"{name} in {lang} keeps {sorted(english & translated)}"


def _language_names() -> list[tuple[str, str]]:
    from palermo.portal.forms import language_choices

    return language_choices()


def _entries(path: Path) -> list[dict[str, object]]:
    """msgid, msgstr(s) and flags of each entry of a .po file (the header left out)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line and not line.startswith("# ")]
        strings: dict[str, str] = {}
        key = ""
        for line in lines:
            if line.startswith("#,"):
                strings["flags"] = line
                continue
            match = re.match(r'^(msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                strings[key] = match.group(2)[1:-1]
            elif line.startswith('"'):
                strings[key] += line[1:-1]
        if strings.get("msgid"):
            entries.append(strings)
    return entries


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_portal_catalogue_is_complete_and_compiled(lang, tmp_path):
    po = LOCALE / lang / "LC_MESSAGES" / "django.po"
    entries = _entries(po)
    # Every public string; the staff interface's languages also hold the portal's staff pages' strings.
    assert public_strings() <= {entry["msgid"] for entry in entries}
    for entry in entries:
        assert "fuzzy" not in str(entry.get("flags", "")), entry["msgid"]
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations and all(translations), f"{lang}: {entry['msgid']} is not translated"
        for placeholder in re.findall(r"%\(\w+\)[sd]", str(entry["msgid"])):
            assert all(placeholder in value for value in translations), (lang, entry["msgid"])
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(po)], check=True)  # noqa: S603
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), f"{lang}: run msgfmt again"


def public_strings() -> set[str]:
    """The strings the public modules and templates mark for translation."""
    portal = Path(settings.BASE_DIR) / "palermo" / "portal"
    sources = [portal / "content.py", portal / "forms.py", portal / "views" / "public.py"]
    sources += sorted((portal / "templates" / "portal" / "public").glob("*.html"))
    marked = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        marked |= set(re.findall(r'(?:\b_\(\s*|\{% translate )"([^"]+)"', text))
    return marked


def test_the_catalogues_hold_every_string_of_the_public_pages():
    """Each string the public modules and templates mark is in the catalogue (makemessages was run)."""
    marked = public_strings()
    known = {entry["msgid"] for entry in _entries(LOCALE / "ar" / "LC_MESSAGES" / "django.po")}
    assert len(marked) > 60 and marked - known == set()


def test_the_self_check_stands_for_indicators_of_the_shipped_instrument():
    instrument = Path(settings.BASE_DIR) / "palermo" / "identification" / "data" / "ilo-2009-labour.csv"
    with instrument.open(encoding="utf-8") as rows:
        known = {(row["dimension"], row["indicator"]) for row in csv.DictReader(rows)}
    for group in content.SELF_CHECK:
        for statement in group.statements:
            assert statement.sources and set(statement.sources) <= known, statement.key
    dimensions = {source[0] for group in content.SELF_CHECK for s in group.statements for source in s.sources}
    assert dimensions == {dimension for dimension, _indicator in known}, "every dimension is asked about"


def test_the_self_check_answers_without_a_verdict_and_keeps_nothing(client):
    url = page_url("check", "en")
    with Queries() as queries:
        ticked = client.post(url, {"s": ["papers", "debt", "not-a-statement"]})
    assert ticked.status_code == 200
    text = ticked.content.decode()
    assert "You may be a victim of trafficking" in text and "This is not a decision about you" in text
    assert "are a victim" not in text
    assert reverse("portal:help", args=["en"]) in text and reverse("portal:contact", args=["en"]) in text
    assert not [sql for sql in queries.sql if re.match(r"\s*(INSERT|UPDATE|DELETE)", sql, re.I)]
    assert not ticked.cookies
    none = client.post(url, {}).content.decode()
    assert "You did not tick anything" in none and "You may be a victim" not in none


def test_the_rights_follow_the_active_rulebook(client, settings):
    assert "at least 3 months" in client.get(page_url("rights", "en")).content.decode()
    assert "3 أشهر" in client.get(page_url("rights", "ar")).content.decode()
    settings.PALERMO_RULEBOOK = "coe-cets197"
    assert "at least 30 days" in client.get(page_url("rights", "en")).content.decode()
    assert "30 дней" in client.get(page_url("rights", "ru")).content.decode()


def test_services_are_listed_by_region_and_never_a_safe_house(client, services):
    html = client.get(page_url("help", "en")).content.decode()
    assert "National helpline (synthetic)" in html and "+00 000 000 001" in html
    assert html.index("The whole country") < html.index("Sicilia") < html.index("Drop-in centre (synthetic)")
    assert "Safe house" not in html and "secret" not in html
    assert "العربيّة" in html  # the service's language, named in itself


def test_the_portal_root_follows_the_browser_and_an_unknown_language_is_404(client):
    response = client.get("/help/", HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5")
    assert response.status_code == 302 and response["Location"] == "/help/uk/"
    assert client.get("/help/", HTTP_ACCEPT_LANGUAGE="zz").headers["Location"] == "/help/en/"
    assert client.get("/help/de/rights/").status_code == 404
    assert not response.cookies


def _atoms(path: str, query: str = "") -> dict[str, object]:
    logger = PrivateAccessLogger.__new__(PrivateAccessLogger)
    environ = {
        "REMOTE_ADDR": "198.51.100.7",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_USER_AGENT": "Synthetic/1.0",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.9"), ("USER-AGENT", "Synthetic/1.0")])
    logger.cfg = SimpleNamespace()
    when = SimpleNamespace(seconds=0, microseconds=1500)
    return logger.atoms(response, request, environ, when)


def test_the_access_log_keeps_no_address_or_query_for_the_portal():
    private = _atoms("/help/fa/check/", "s=papers")
    shown = " ".join(str(value) for value in private.values())
    assert "198.51.100.7" not in shown and "203.0.113.9" not in shown
    assert "papers" not in shown and "Synthetic" not in shown
    assert private["U"] == "/help/fa/check/" and private["s"] == "200"
    staff = _atoms("/cases/", "q=x")
    assert staff["h"] == "198.51.100.7" and staff["q"] == "q=x"
