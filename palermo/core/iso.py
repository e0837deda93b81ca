"""ISO reference codes: countries (ISO 3166-1 alpha-3) and languages (ISO 639-2, terminology codes), named in
the reader's language.

Citizenships and issuing countries are stored as alpha-3 codes, as in the CTDC codebook; languages as ISO
639-2 codes, as HTCDS 2.0 asks (prs_PrimaryLanguage). Codes, names and the names' translations come from
pycountry (Debian's iso-codes and its gettext catalogues); a name the catalogue of the active language lacks
is taken from the Unicode CLDR (Babel), whose display names cover the languages iso-codes' catalogues leave
out (Albanian in Arabic, Korean in Albanian), and stays in English only where neither has it. pycountry does
not mark which ISO 639-3 languages are also in ISO 639-2, so the language set is listed here by code: ISO
639-2 without the codes reserved for local use (qaa-qtz), "no linguistic content" (zxx), "multiple" (mul),
"undetermined" (und), and historical languages (old and middle forms; Modern Greek and Occitan are kept).
Collective codes (e.g. "ber", Berber languages) are named from ISO 639-5.

Beyond ISO, the overlay below keeps ICAO Doc 9303's XXA "Stateless person" (statelessness is a citizenship
status an NRM must be able to record) and ISO 639-2's "him", which ISO 639-5 has since withdrawn, so that a
record holding it still validates.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from typing import Any

import pycountry
from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATELESS = "XXA"

COUNTRY_OVERLAY: dict[str, str | Promise] = {STATELESS: _("Stateless person")}
LANGUAGE_OVERLAY: dict[str, str | Promise] = {"him": _("Himachali languages")}

_ISO_639_2 = """
    aar abk ace ach ada ady afa afh afr ain aka akk ale alg alt amh anp apa ara arg arn arp art arw asm ast
    ath aus ava ave awa aym aze bad bai bak bal bam ban bas bat bej bel bem ben ber bho bih bik bin bis bla
    bnt bod bos bra bre btk bua bug bul byn cad cai car cat cau ceb cel ces cha chb che chg chk chm chn cho
    chp chr chu chv chy cmc cnr cop cor cos cpe cpf cpp cre crh crp csb cus cym dak dan dar day del den deu
    dgr din div doi dra dsb dua dyu dzo efi egy eka ell elx eng epo est eus ewe ewo fan fao fas fat fij fil
    fin fiu fon fra frr frs fry ful fur gaa gay gba gem gez gil gla gle glg glv gon gor got grb grn gsw guj
    gwi hai hat hau haw heb her hil him hin hit hmn hmo hrv hsb hun hup hye iba ibo ido iii ijo iku ile ilo
    ina inc ind ine inh ipk ira iro isl ita jav jbo jpn jpr jrb kaa kab kac kal kam kan kar kas kat kau kaw
    kaz kbd kha khi khm kho kik kin kir kmb kok kom kon kor kos kpe krc krl kro kru kua kum kur kut lad lah
    lam lao lat lav lez lim lin lit lol loz ltz lua lub lug lui lun luo lus mad mag mah mai mak mal man map
    mar mas mdf mdr men mic min mis mkd mkh mlg mlt mnc mni mno moh mon mos mri msa mun mus mwl mwr mya myn
    myv nah nai nap nau nav nbl nde ndo nds nep new nia nic niu nld nno nob nog non nor nqo nso nub nwc nya
    nym nyn nyo nzi oci oji ori orm osa oss oto paa pag pal pam pan pap pau phi phn pli pol pon por pra pus
    que raj rap rar roa roh rom ron run rup rus sad sag sah sai sal sam san sas sat scn sco sel sem sgn shn
    sid sin sio sit sla slk slv sma sme smi smj smn smo sms sna snd snk sog som son sot spa sqi srd srn srp
    srr ssa ssw suk sun sus sux swa swe syc syr tah tai tam tat tel tem ter tet tgk tgl tha tig tir tiv tkl
    tlh tli tmh tog ton tpi tsi tsn tso tuk tum tup tur tut tvl twi tyv udm uga uig ukr umb urd uzb vai ven
    vie vol vot wak wal war was wen wln wol xal xho yao yap yid yor ypk zap zbl zen zgh zha zho znd zul zun
    zza
"""
LANGUAGE_CODES = frozenset(_ISO_639_2.split())


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    """The iso-codes catalogue of `domain` for a Django language code ("pt-br" is iso-codes' "pt_BR")."""
    base, *region = language.split("-")
    locale = "_".join([base, *(part.upper() for part in region)])
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def _translated(domain: str, language: str, *names: str) -> str:
    """The first of `names` the catalogue translates, else the first name in English."""
    catalogue = _catalogue(domain, language)
    for name in names:
        translated = catalogue.gettext(name)
        if translated != name:
            return translated
    return names[0]


@cache
def _cldr(language: str) -> Locale | None:
    """CLDR's data for a Django language code, None for a language it does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def _named_by_cldr(language: str, english: str, table: str, key: str) -> str:
    """`english` in `language` as CLDR's `table` ("languages", "territories") names `key`, when iso-codes had
    no translation (`english` came back); English itself, or a name CLDR lacks, as it is."""
    cldr = _cldr(language)
    if cldr is None or cldr.language == "en":
        return english
    return getattr(cldr, table).get(key) or english


def _overlay(names: dict[str, str | Promise], language: str) -> dict[str, str]:
    with translation.override(language):
        return {code: str(name) for code, name in names.items()}


def _sort_key(item: tuple[str, str]) -> str:
    # Accents and case aside, so that "Åland Islands" sorts with the A's.
    decomposed = unicodedata.normalize("NFKD", item[1])
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _active() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@cache
def _countries() -> dict[str, Any]:
    return {country.alpha_3: country for country in pycountry.countries}


@cache
def _terminology_code_of(kind: str) -> dict[str, str]:
    """Another code of a language and its ISO 639-2 terminology code ("deu"): `kind` "bibliographic" for the
    ISO 639-2 bibliographic codes ("ger"), "alpha_2" for the two-letter ISO 639-1 codes ("de")."""
    return {
        getattr(entry, kind): entry.alpha_3
        for entry in pycountry.languages
        if hasattr(entry, kind) and entry.alpha_3 in LANGUAGE_CODES
    }


def _language_entry(code: str) -> tuple[str, str]:
    """(catalogue domain, English name) of an ISO 639-2 code: a language, or a group of them (ISO 639-5)."""
    entry = pycountry.languages.get(alpha_3=code)
    if entry is not None:
        return "iso639-3", getattr(entry, "common_name", entry.name)
    family = pycountry.language_families.get(alpha_3=code)
    if family is None:
        raise LookupError(f"{code} is in neither ISO 639-3 nor ISO 639-5: add it to the overlay")
    return "iso639-5", family.name


@cache
def country_names(language: str) -> dict[str, str]:
    """Every country code and its name in `language` (a Django language code), the common name first
    ("Bolivia" rather than "Bolivia, Plurinational State of")."""
    names = {}
    for code, country in _countries().items():
        english = getattr(country, "common_name", country.name)
        name = _translated("iso3166-1", language, english, country.name)
        names[code] = (
            _named_by_cldr(language, name, "territories", country.alpha_2) if name == english else name
        )
    return {**names, **_overlay(COUNTRY_OVERLAY, language)}


@cache
def language_names(language: str) -> dict[str, str]:
    names = {}
    cldr_keys = {alpha_3: alpha_2 for alpha_2, alpha_3 in _terminology_code_of("alpha_2").items()}
    for code in LANGUAGE_CODES - LANGUAGE_OVERLAY.keys():
        domain, english = _language_entry(code)
        name = _translated(domain, language, english)
        # CLDR keys a language by its two-letter code where it has one (BCP 47), else by its ISO 639 code.
        names[code] = (
            _named_by_cldr(language, name, "languages", cldr_keys.get(code, code))
            if name == english
            else name
        )
    return {**names, **_overlay(LANGUAGE_OVERLAY, language)}


def country_name(code: str) -> str:
    """The name of an alpha-3 code in the reader's language, or the code itself when unknown (old data
    stays readable)."""
    return country_names(_active()).get(code, code)


def language_name(code: str) -> str:
    return language_names(_active()).get(code, code)


def normalise_country(value: str) -> str | None:
    """An alpha-3 code from user input in any case, or None when it is not one."""
    code = (value or "").strip().upper()
    return code if code in _countries() or code in COUNTRY_OVERLAY else None


def normalise_language(value: str) -> str | None:
    """An ISO 639-2 terminology code from user input, or None. Bibliographic codes ("ger") and two-letter
    ISO 639-1 codes ("de", as Django names its languages) are read as their terminology code ("deu")."""
    code = (value or "").strip().lower()
    code = _terminology_code_of("bibliographic").get(code, code)
    code = _terminology_code_of("alpha_2").get(code, code)
    return code if code in LANGUAGE_CODES else None


# Select lists, built once per language (treat them as read-only), in the order of the names as read.


@cache
def _named(language: str, kind: str) -> list[tuple[str, str]]:
    names = country_names(language) if kind == "country" else language_names(language)
    return sorted(names.items(), key=_sort_key)


@cache
def _labelled(language: str, kind: str) -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})") for code, name in _named(language, kind)]


def country_choices() -> list[tuple[str, str]]:
    """(code, "Name (CODE)") pairs for select lists."""
    return _labelled(_active(), "country")


def language_choices() -> list[tuple[str, str]]:
    return _labelled(_active(), "language")


def country_name_choices() -> list[tuple[str, str]]:
    """(code, name) pairs, without the code."""
    return _named(_active(), "country")


# --- regions: the ISO 3166-2 subdivisions of a country ---
# Named as iso-codes' catalogue of the reader's language names them, else as the standard does (mostly in
# the country's own language and script: "Lombardia", "Edo"); the code follows the name in a list, as a
# country's does, since a region and a province of the same name are both listed ("Roma (IT-RM)").


@cache
def _subdivisions() -> dict[str, Any]:
    return {subdivision.code: subdivision for subdivision in pycountry.subdivisions}


@cache
def _region_names(language: str) -> dict[str, str]:
    return {code: _translated("iso3166-2", language, entry.name) for code, entry in _subdivisions().items()}


def region_name(code: str) -> str:
    """The name of an ISO 3166-2 code in the reader's language, or the code itself when unknown."""
    return _region_names(_active()).get(code, code)


def region_country(code: str) -> str | None:
    """The country (alpha-3) of an ISO 3166-2 code, or None when the code is none."""
    entry = _subdivisions().get(code)
    found = pycountry.countries.get(alpha_2=entry.country_code) if entry is not None else None
    return found.alpha_3 if found is not None else None


def normalise_region(country: str, value: str) -> str | None:
    """An ISO 3166-2 code of `country` (alpha-3) from user input in any case, or None when it is not one of
    that country's regions."""
    code = (value or "").strip().upper()
    return code if country and region_country(code) == country else None


@cache
def _regions_of(language: str, country: str) -> list[tuple[str, str]]:
    found = _countries().get(country)
    if found is None:
        return []
    names = _region_names(language)
    return sorted(
        (
            (code, f"{names[code]} ({code})")
            for code, entry in _subdivisions().items()
            if entry.country_code == found.alpha_2
        ),
        key=_sort_key,
    )


def region_choices(country: str) -> list[tuple[str, str]]:
    """(code, "Name (CODE)") pairs of a country's regions (none for a code that is not a country)."""
    return _regions_of(_active(), country)
