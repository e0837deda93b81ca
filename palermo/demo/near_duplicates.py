"""Synthetic persons recorded twice with the errors of real case files, in six scripts (Latin, Cyrillic,
Arabic, Vietnamese, Albanian, Tigrinya), for the linkage's tests, bench and demo (docs/decisions/0042).

Each pair is one person as one agency recorded them and as another did: in the other's romanisation or
script, names swapped, a birth date partial or wrong (day and month swapped, a day off, an estimate), a typo.
Names are drawn from small pools of common names per script (synthetic combinations; no real person), with
distinct birth dates, so that people with the same name also appear, as they do.
"""

from __future__ import annotations

import datetime
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
    pairs: int, *, seed: int = 1, scripts: tuple[str, ...] = SCRIPTS
) -> list[tuple[Recorded, Recorded]]:
    """`pairs` persons each recorded twice (the first as written in their own script, exact birth date)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible)
    made = []
    for number in range(pairs):
        script = scripts[number % len(scripts)]
        given_pool, family_pool = POOLS[script]
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(45 * 365))
        family = rng.choice(family_pool)
        if rng.random() < 0.6:  # a second family name, or the father's name as Eritrean and Arab names carry
            family = f"{rng.choice(given_pool if script in PATRONYMIC else family_pool)} {family}"
        person = Recorded(script, rng.choice(given_pool), family, born)
        made.append((person, variant(person, rng)))
    return made
