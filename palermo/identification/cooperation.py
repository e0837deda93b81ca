"""No decision is conditional on the person's cooperation with the authorities (the position paper; CETS 197
art. 12(6) and 14; Directive 2011/36/EU art. 11(3)). The decision form offers no such ground, and reasons
written as free text are checked by a rule simple enough to state:

    A sentence is refused when it mentions cooperation with the authorities AND a condition or a consequence,
    unless the same sentence says that cooperation plays no part.

- "Cooperation with the authorities" is either a word for cooperating or collaborating together with a word
  for the authorities (police, investigation, prosecution, court, justice...), or words that are themselves
  about assisting proceedings (testify, act as a witness, statement to the police, press charges, denounce).
  A testimony used as evidence of what happened is not cooperation: "her testimony is credible" passes.
- A condition or consequence is a word such as if, unless, provided, on condition, subject to, depends,
  in exchange, as long as, only when, because, due to, since, therefore, refused, declined, unwilling,
  failed to, did not, lack of.
- Saying that cooperation plays no part ("regardless of", "irrespective of", "whether or not", "has no
  bearing", "not relevant", "not a condition") makes the sentence acceptable: a decision maker may record that
  the person declined to give a statement, and that this was not taken into account.

So "The person gave a statement to the police describing the recruitment" passes (evidence, no condition);
"Negative because she refused to cooperate with the police" and "Positive on condition that he testifies"
are refused; "She did not wish to testify; regardless of this, the indicators are met" passes.

Languages: English, French, Spanish, Italian, German and Arabic. Text is compared without case or accents.
A rule on words cannot understand every sentence: it errs on the side of refusing, and the message says how
to write the sentence so that it passes. Grounds are a closed list, so "cooperation" cannot be chosen at all.
"""

from __future__ import annotations

import re
import unicodedata

# Word stems, matched at the start of a word (Latin scripts) or anywhere (Arabic, where particles attach).
COOPERATION = (
    r"co-?operat", r"cooper", r"collabor", r"colabor", r"kooper", r"zusammenarb", r"mitwirk", r"mitarbeit",
)  # fmt: skip
AUTHORITIES = (
    r"authorit", r"police", r"investigat", r"prosecut", r"court", r"judicia", r"justice", r"law enforcement",
    r"criminal proceeding", r"trial",
    r"autorit", r"enquet", r"procureur", r"tribunal", r"poursuite",
    r"autoridad", r"policia", r"investigacion", r"fiscal", r"justicia", r"juicio",
    r"polizia", r"indagin", r"procura", r"giustizia", r"processo",
    r"behord", r"polizei", r"ermittl", r"staatsanwalt", r"justiz", r"gericht", r"strafverfahren",
)  # fmt: skip
# Acts of assisting proceedings. A testimony or a statement as evidence of what happened is not among them:
# only testifying, acting as a witness, reporting or pressing charges.
ASSISTING_PROCEEDINGS = (
    r"testif", r"as a witness", r"be a witness", r"prosecution witness", r"statement to the police",
    r"give evidence", r"giving evidence", r"press charges", r"denounc",
    r"report the (?:trafficker|exploiter)",
    r"temoigner", r"comme temoin", r"en tant que temoin", r"porter plainte", r"deposer plainte", r"denonc",
    r"testific", r"como testigo", r"denunci",
    r"testimoniar", r"deporre", r"come testimone", r"sporgere denuncia",
    r"als zeug", r"aussagebereit", r"anzeige erstatt",
)  # fmt: skip
# Short words that must stand alone; the longer entries below are matched at the start of a word.
CONDITION_WORDS = (r"if", r"si", r"car", r"se non", r"solo se")
CONDITIONS = (
    r"unless", r"provided", r"on condition", r"conditional", r"subject to", r"depend", r"in exchange",
    r"in return", r"as long as", r"only when", r"only once", r"because", r"due to", r"since", r"owing to",
    r"as a result", r"therefore", r"hence", r"refus", r"declin", r"unwilling", r"not willing", r"fail",
    r"did not", r"does not", r"has not", r"will not", r"won't", r"didn't", r"doesn't", r"lack of", r"until",
    r"sauf", r"a condition", r"sous reserve", r"en echange", r"en contrepartie", r"tant que", r"parce qu",
    r"en raison", r"puisqu", r"faute d", r"n'a pas", r"ne veut pas", r"ne souhaite pas",
    r"salvo", r"siempre que", r"con tal", r"sujeto a", r"a cambio", r"mientras", r"porque", r"debido",
    r"ya que", r"puesto que", r"rechaz", r"se nego", r"no ha", r"no quiso", r"no quiere", r"falta de",
    r"qualora", r"nel caso in cui", r"purche", r"a condizione", r"subordinat", r"dipend", r"in cambio",
    r"finche", r"perche", r"poiche", r"a causa", r"dato che", r"rifiut", r"non ha", r"non vuole", r"mancat",
    r"wenn", r"falls", r"sofern", r"vorausgesetzt", r"bedingung", r"abhangig", r"im gegenzug", r"solange",
    r"weil", r"wegen", r"aufgrund", r"verweiger", r"abgelehnt", r"lehnte", r"nicht bereit", r"hat nicht",
    r"mangels",
)  # fmt: skip
NEUTRAL = (
    r"regardless", r"irrespective", r"whether or not", r"independent(?:ly)? of", r"no bearing",
    r"not relevant", r"irrelevant", r"not a condition", r"not conditional", r"not taken into account",
    r"no influence", r"without regard", r"plays no part", r"played no part",
    r"independamment", r"quel(?:le)?s? que soi", r"sans incidence", r"n'est pas une condition",
    r"sans tenir compte",
    r"independientemente", r"con independencia", r"sea cual sea", r"no es una condicion",
    r"sin tener en cuenta",
    r"indipendentemente", r"a prescindere", r"non e una condizione", r"senza tener conto", r"irrilevante",
    r"unabhangig", r"ungeachtet", r"keine bedingung", r"ohne rucksicht", r"unerheblich",
)  # fmt: skip
ARABIC_COOPERATION_WORDS = ("تعاون", "يتعاون", "تتعاون", "التعاون")
ARABIC_AUTHORITIES_WORDS = (
    "سلطات",
    "السلطات",
    "شرطة",
    "الشرطة",
    "تحقيق",
    "التحقيق",
    "النيابة",
    "القضاء",
    "المحكمة",
)
ARABIC_ASSISTING_WORDS = ("شهادة", "الشهادة", "يشهد", "تشهد", "الإدلاء بأقوال")
ARABIC_CONDITIONS_WORDS = (
    "إذا",
    "اذا",
    "إن ",
    "ما لم",
    "بشرط",
    "شريطة",
    "مشروط",
    "يتوقف",
    "مقابل",
    "طالما",
    "لأن",
    "بسبب",
    "رفض",
    "رفضت",
    "لم ",
)
ARABIC_NEUTRAL_WORDS = ("بغض النظر", "بصرف النظر", "ليس شرطا", "ليس شرطًا", "لا علاقة")


def _stems(stems: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the stems at the start of a word."""
    return re.compile(r"(?<!\w)(?:" + "|".join(stems) + r")")


def _whole(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


_COOPERATION = _stems(COOPERATION)
_AUTHORITIES = _stems(AUTHORITIES)
_ASSISTING = _stems(ASSISTING_PROCEEDINGS)
_CONDITIONS = _stems(CONDITIONS)
_CONDITION_WORDS = _whole(CONDITION_WORDS)
_NEUTRAL = _stems(NEUTRAL)
_SENTENCE_END = re.compile(r"[.!?؟\n]+")


def _plain(text: str) -> str:
    """Lower case; accents, Arabic hamza and vowel marks removed; typographic apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# The Arabic words, compared after the same normalisation as the text.
ARABIC_COOPERATION = tuple(_plain(word) for word in ARABIC_COOPERATION_WORDS)
ARABIC_AUTHORITIES = tuple(_plain(word) for word in ARABIC_AUTHORITIES_WORDS)
ARABIC_ASSISTING = tuple(_plain(word) for word in ARABIC_ASSISTING_WORDS)
ARABIC_CONDITIONS = tuple(_plain(word) for word in ARABIC_CONDITIONS_WORDS)
ARABIC_NEUTRAL = tuple(_plain(word) for word in ARABIC_NEUTRAL_WORDS)


def _any(words: tuple[str, ...], sentence: str) -> bool:
    return any(word in sentence for word in words)


def _mentions_cooperation(sentence: str) -> bool:
    latin = bool(_COOPERATION.search(sentence) and _AUTHORITIES.search(sentence)) or bool(
        _ASSISTING.search(sentence)
    )
    arabic = (_any(ARABIC_COOPERATION, sentence) and _any(ARABIC_AUTHORITIES, sentence)) or _any(
        ARABIC_ASSISTING, sentence
    )
    return latin or arabic


def _states_condition(sentence: str) -> bool:
    return bool(_CONDITIONS.search(sentence) or _CONDITION_WORDS.search(sentence)) or _any(
        ARABIC_CONDITIONS, sentence + " "
    )


def _neutralised(sentence: str) -> bool:
    return bool(_NEUTRAL.search(sentence)) or _any(ARABIC_NEUTRAL, sentence)


def cooperation_conditions(text: str) -> list[str]:
    """The sentences of `text` that make something depend on cooperation with the authorities."""
    found = []
    for sentence in _SENTENCE_END.split(text):
        plain = _plain(sentence)
        if _mentions_cooperation(plain) and _states_condition(plain) and not _neutralised(plain):
            found.append(sentence.strip())
    return found
