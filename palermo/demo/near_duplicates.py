"""Synthetic persons recorded twice with the errors of real case files, in six scripts (Latin, Cyrillic,
Arabic, Vietnamese, Albanian, Tigrinya), for the linkage's tests, bench and demo (docs/decisions/0042).

Each pair is one person as one agency recorded them and as another did: in the other's romanisation or
script, names swapped, a birth date partial or wrong (day and month swapped, a day off, an estimate), a typo.
Names are drawn from small pools of common names per script (synthetic combinations; no real person), with
distinct birth dates, so that people with the same name also appear, as they do. For populations of a
hundred thousand persons and more (the linkage's scaling bench), `population(..., wide=True)` draws from
wide pools instead (`wide_pools`: Faker's name lists of the script's locales after the common names, some
hundreds to thousands a script) at Zipf-like frequencies: a few names very common, most rare, as in a real
population; small pools there would make the same-name groups grow with the population, as no real one does.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import random
from dataclasses import dataclass, replace

from anyascii import anyascii
from unidecode import unidecode

POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "latin": (
        (
            "Maria",
            "Anna",
            "Elena",
            "Sofia",
            "Laura",
            "Sarah",
            "Julia",
            "Lucas",
            "Thomas",
            "Marco",
            "Daniel",
            "Peter",
            "Grace",
            "Joy",
            "Blessing",
            "Precious",
            "Esther",
            "Favour",
            "Adaeze",
            "Chioma",
        ),
        (
            "Schmidt",
            "Rossi",
            "Kowalski",
            "Okafor",
            "Adeyemi",
            "Garcia",
            "Moreau",
            "Novak",
            "Eze",
            "Bianchi",
            "Fischer",
            "Nwosu",
            "Lopez",
            "Dubois",
            "Popescu",
            "Horvat",
        ),
    ),
    "cyrillic": (
        (
            "Юлия",
            "Анастасия",
            "Екатерина",
            "Ольга",
            "Наталья",
            "Ксения",
            "Дарья",
            "Алексей",
            "Дмитрий",
            "Сергей",
            "Андрей",
            "Оксана",
            "Людмила",
            "Татьяна",
            "Виктория",
        ),
        (
            "Иванова",
            "Петрова",
            "Щербакова",
            "Кузнецова",
            "Соколова",
            "Шевченко",
            "Бондаренко",
            "Ковальчук",
            "Морозова",
            "Волкова",
            "Зайцева",
            "Ткаченко",
            "Мельник",
        ),
    ),
    "arabic": (
        (
            "محمد",
            "أحمد",
            "فاطمة",
            "عائشة",
            "مريم",
            "خديجة",
            "يوسف",
            "عمر",
            "علي",
            "حسن",
            "زينب",
            "نور",
            "ليلى",
            "سارة",
            "إبراهيم",
        ),
        (
            "حداد",
            "الخطيب",
            "منصور",
            "حسين",
            "عبدالله",
            "صالح",
            "النجار",
            "يوسف",
            "قاسم",
            "عثمان",
            "الحسن",
            "خليل",
            "سليمان",
            "بكر",
        ),
    ),
    "vietnamese": (
        (
            "Hương",
            "Lan",
            "Mai",
            "Thảo",
            "Ngọc",
            "Linh",
            "Hà",
            "Trang",
            "Tuấn",
            "Dũng",
            "Hùng",
            "Thủy",
            "Phương",
            "Quỳnh",
            "Hải",
        ),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"),
    ),
    "albanian": (
        (
            "Arbën",
            "Besnik",
            "Dritë",
            "Ermira",
            "Flutura",
            "Gëzim",
            "Jonida",
            "Klodiana",
            "Lindita",
            "Mirela",
            "Qëndrim",
            "Shpresa",
            "Valbona",
            "Xhensila",
            "Blerina",
        ),
        (
            "Hoxha",
            "Shehu",
            "Çela",
            "Gashi",
            "Krasniqi",
            "Berisha",
            "Dervishi",
            "Kola",
            "Leka",
            "Marku",
            "Përmeti",
            "Zeqiri",
            "Bajrami",
            "Xhafa",
        ),
    ),
    "tigrinya": (
        (
            "ሰላም",
            "ሳባ",
            "ሉላ",
            "ኤልሳ",
            "ሄለን",
            "ፀጋ",
            "ዮናስ",
            "ዳዊት",
            "ኣማኑኤል",
            "ሃብቶም",
            "ሚኪኤል",
            "ፍሸየ",
            "ብርሃነ",
            "ኪዳነ",
            "ሙሴ",
        ),
        (
            "ተስፋይ",
            "ገብረመድህን",
            "ወልደሚካኤል",
            "ተኽለ",
            "ሃይለ",
            "ኪዳነ",
            "ገብረሂወት",
            "ዘርኡ",
            "ሃብተ",
            "መሓሪ",
            "ኣብርሃ",
            "ተወልደ",
            "ብርሃነ",
            "ሰመረ",
        ),
    ),
}
SCRIPTS = tuple(POOLS)

# Faker's locales whose name lists widen each script's pool (Albanian and Tigrinya have none: further common
# names follow, and Tigrinya's compound names: Gebre-, Welde-, Habte- with Mariam, Mikael, Medhin...)
_LOCALES = {
    "latin": ("en_GB", "fr_FR", "it_IT", "de_DE", "es_ES", "ro_RO", "yo_NG", "ig_NG", "tw_GH"),
    "cyrillic": ("ru_RU", "uk_UA"),
    "arabic": ("ar_AA",),
    "vietnamese": ("vi_VN",),
}


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_MORE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "vietnamese": (
        _names(
            "Anh Bích Châu Chi Cường Dung Duy Giang Hạnh Hiền Hiếu Hoa Hòa Hồng Huy Khánh Khoa Kiên Lâm "
            "Liên Loan Long Minh My Nam Nga Nhung Phong Phúc Quân Quang Sơn Tâm Thắng Thanh Thành Thu "
            "Tiến Trinh Trung Tú Vân Việt Vy Yến Bảo Đạt Đông Hậu Hiệp"
        ),
        _names(
            "Dương Lý Trương Ngô Đinh Đoàn Lương Trịnh Lâm Cao Hồ Tạ Tô Đào Mai Hà Chu Quách Vương Kiều "
            "Thái La Lưu Tăng Lạc"
        ),
    ),
    "albanian": (
        _names(
            "Arta Besa Blendi Dorina Elona Endrit Erion Fatmir Genta Ilir Klajdi Kledi Ledia Luan Mimoza "
            "Olsi Rexhep Sokol Teuta Vjollca Artan Agron Bardhyl Dardan Edona Fjolla Granit Hana Ismet "
            "Jeton Kaltrina Liridon Majlinda Nexhmije Rina Shqipe Valon Zana Alban Arjeta"
        ),
        _names(
            "Ahmeti Aliu Basha Bytyqi Cani Dema Duka Fejzullahu Gjoka Haxhiu Hysa Ibrahimi Jashari "
            "Kastrati Kelmendi Lika Mema Morina Ndreu Osmani Prifti Qosja Rama Sadiku Selimi Tahiri Thaçi "
            "Ukaj Vata Zeneli Rexhepi Musliu Hasani Kryeziu"
        ),
    ),
    "tigrinya": (
        _names(
            "ሰናይት ሳምራዊት ሕሊና ሩታ ፍዮሪ ኤፍሬም ሰለሞን ዮሴፍ ሄኖክ ናትናኤል ምሕረት ትዕግስቲ ኣክበረት ብርኽቲ ሓጎስ ኣስመሮም ዓወት ፍሊሞን ሙሉጌታ "
            "ኣበበ ሳሙኤል ቢንያም ሮቤል ዮርዳኖስ ሊድያ ሰምሃር ሓዳስ ዳኒኤል"
        ),
        (),
    ),
}
_COMPOUNDS = (
    ("ገብረ", "ወልደ", "ሃብተ", "ተስፋ", "ኪዳነ", "ዘርኣ", "ሃይለ", "ተኽለ"),
    ("ማርያም", "ሚካኤል", "ሥላሴ", "ጊዮርጊስ", "ኢየሱስ", "መድህን", "ሂወት", "ክርስቶስ", "ገብርኤል", "ዮሃንስ"),
)
ZIPF_OFFSET = 5  # the name of rank r drawn with weight 1 / (r + ZIPF_OFFSET): the commonest a few per cent


def _faker_names(locales: tuple[str, ...], family: bool) -> list[str]:
    from faker import Faker

    found: list[str] = []
    for locale in locales:
        person = Faker(locale).provider("faker.providers.person")
        kinds: tuple[str, ...]
        if family:
            kinds = ("last_names_female", "last_names") if locale in ("ru_RU", "uk_UA") else ("last_names",)
        else:
            kinds = ("first_names_female", "first_names_male", "first_names_unisex")
        for kind in kinds:
            names = getattr(person, kind, ())
            if len(names) > 1:  # Faker's placeholders (a list of one) left out
                found += list(names)
                if family:  # the female forms where the language has them, as `POOLS` has
                    break
    return found


@functools.cache
def wide_pools() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each script's common names first (in `POOLS`' order), then the rest in a fixed shuffled order."""
    wide = {}
    for script, (given, family) in POOLS.items():
        more_given, more_family = _MORE.get(script, ((), ()))
        extra_given = [*more_given, *_faker_names(_LOCALES.get(script, ()), family=False)]
        extra_family = [*more_family, *_faker_names(_LOCALES.get(script, ()), family=True)]
        if script == "tigrinya":
            compounds = ["".join(parts) for parts in itertools.product(*_COMPOUNDS)]
            extra_given += compounds
            extra_family += compounds + list(more_given)
        pools = []
        for common, extra in ((given, extra_given), (family, extra_family)):
            rest = sorted(set(extra) - set(common))
            random.Random(script).shuffle(rest)  # noqa: S311 (a fixed order of synthetic names)
            pools.append((*common, *rest))
        wide[script] = (pools[0], pools[1])
    return wide


@functools.cache
def _zipf(size: int) -> list[float]:
    return list(itertools.accumulate(1 / (rank + ZIPF_OFFSET) for rank in range(1, size + 1)))


PATRONYMIC = frozenset({"arabic", "tigrinya"})
_LATIN = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Recorded:
    """One person as one agency recorded them."""

    script: str
    given: str
    family: str
    born: datetime.date | None
    precision: str = "exact"
    given_latin: str = ""
    family_latin: str = ""


def _romanised(text: str, rng: random.Random) -> str:
    return (unidecode if rng.random() < 0.5 else anyascii)(text).title()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    cut = rng.randrange(1, len(word) - 1)
    how = rng.choice(("delete", "replace", "swap", "insert"))
    if how == "delete":
        return word[:cut] + word[cut + 1 :]
    if how == "replace":
        return word[:cut] + rng.choice(_LATIN) + word[cut + 1 :]
    if how == "insert":
        return word[:cut] + rng.choice(_LATIN) + word[cut:]
    return word[: cut - 1] + word[cut] + word[cut - 1] + word[cut + 1 :]


def _other_date(born: datetime.date, rng: random.Random) -> tuple[datetime.date, str]:
    choice = rng.random()
    if choice < 0.3:
        return born, "exact"
    if choice < 0.5:
        return born.replace(day=1), "year_month"
    if choice < 0.65:
        return born.replace(month=1, day=1), "year"
    if choice < 0.75 and born.day <= 12 and born.day != born.month:
        return born.replace(month=born.day, day=born.month), "exact"  # day and month swapped
    if choice < 0.9:
        return born + datetime.timedelta(days=rng.choice((-1, 1))), "exact"  # a day off
    return born.replace(month=7, day=1), "estimated"


def variant(person: Recorded, rng: random.Random) -> Recorded:
    """The same person as another agency recorded them: one to three of the usual errors."""
    given, family = person.given, person.family
    if person.script != "latin" or rng.random() < 0.5:  # another romanisation, or the Latin written plain
        given, family = _romanised(given, rng), _romanised(family, rng)
    if rng.random() < 0.4:
        words = [given, family]
        index = rng.randrange(2)
        words[index] = _typo(words[index], rng)
        given, family = words
    if rng.random() < 0.25:
        given, family = family, given
    born, precision = _other_date(person.born, rng) if person.born else (None, "exact")
    return replace(person, given=given, family=family, born=born, precision=precision)


def population(
    pairs: int, *, seed: int = 1, scripts: tuple[str, ...] = SCRIPTS, wide: bool = False
) -> list[tuple[Recorded, Recorded]]:
    """`pairs` persons each recorded twice (the first as written in their own script, exact birth date);
    `wide`: names from `wide_pools` at Zipf-like frequencies, else from `POOLS`, each name as likely."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible)

    def pick(pool: tuple[str, ...]) -> str:
        return rng.choices(pool, cum_weights=_zipf(len(pool)))[0] if wide else rng.choice(pool)

    pools = wide_pools() if wide else POOLS
    made = []
    for number in range(pairs):
        script = scripts[number % len(scripts)]
        given_pool, family_pool = pools[script]
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(45 * 365))
        family = pick(family_pool)
        if rng.random() < 0.6:  # a second family name, or the father's name as Eritrean and Arab names carry
            family = f"{pick(given_pool if script in PATRONYMIC else family_pool)} {family}"
        person = Recorded(script, pick(given_pool), family, born)
        made.append((person, variant(person, rng)))
    return made
