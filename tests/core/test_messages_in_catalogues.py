"""Every message the code marks for translation is in each staff language's catalogues. The catalogues are
made by `make messages` (Django's makemessages, over xgettext), which finds a message by the name of the
function that marks it: one marked through a name xgettext does not know (`gettext_noop as N_`) never reaches
a catalogue, and every reader then reads it in English; nor does one written into an f-string, or one added
to the code whose translations were never added. This reads the code's own calls, whatever name each function
is imported under (Python's ast), and the templates' tags as makemessages reads them, and looks each literal
message up."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

from tests.core.test_i18n import PO_PATHS, TRANSLATED, parse_po

PACKAGE = Path(settings.BASE_DIR) / "palermo"
# The functions of django.utils.translation that mark a message, and where their arguments are.
SINGULAR = {"gettext", "gettext_lazy", "gettext_noop"}
WITH_CONTEXT = {"pgettext", "pgettext_lazy"}
PLURAL = {"ngettext", "ngettext_lazy"}
MARKING = SINGULAR | WITH_CONTEXT | PLURAL


def marking_names(tree: ast.Module) -> dict[str, str]:
    """The names under which this module imported the marking functions (`_`, `N_`...), and `translation`
    itself (for `translation.gettext(...)`)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in MARKING:
                    names[alias.asname or alias.name] = alias.name
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils":
            for alias in node.names:
                if alias.name == "translation":
                    names[alias.asname or alias.name] = "translation"
    return names


def _function(call: ast.Call, names: dict[str, str]) -> str | None:
    if isinstance(call.func, ast.Name):
        found = names.get(call.func.id)
        return found if found != "translation" else None
    function = call.func
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
        return (
            function.attr
            if names.get(function.value.id) == "translation" and function.attr in MARKING
            else None
        )
    return None


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_messages(source: str) -> Iterator[tuple[str, int]]:
    """Each literal message marked in the module: its catalogue key (context\\x04message with a context; the
    singular of a plural) and its line."""
    tree = ast.parse(source)
    names = marking_names(tree)
    if not names:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = _function(node, names)
        if function is None or not node.args:
            continue
        if function in WITH_CONTEXT and len(node.args) >= 2:
            context, message = _literal(node.args[0]), _literal(node.args[1])
            if context is not None and message is not None:
                yield f"{context}\x04{message}", node.lineno
        elif function in SINGULAR | PLURAL and (message := _literal(node.args[0])) is not None:
            yield message, node.lineno


def _key(function: str, arguments: list[str]) -> str:
    """A message's catalogue key: context\x04message with a context; the singular of a plural."""
    return (
        f"{arguments[0]}\x04{arguments[1]}"
        if function.startswith(("pgettext", "npgettext"))
        else arguments[0]
    )


def template_messages(source: str) -> Iterator[tuple[str, int]]:
    """Each message a template marks ({% translate %}, {% blocktranslate %}), read as makemessages reads it:
    Django's `templatize` turns the template into gettext calls, whose literals are read here."""
    text = templatize(source)
    # Only the calls matter: each line's indentation (left from the template) is dropped so that it tokenizes.
    lines = "\n".join(line.lstrip() for line in text.splitlines())
    ignored = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT}
    tokens = [
        token for token in tokenize.generate_tokens(io.StringIO(lines).readline) if token.type not in ignored
    ]
    for index, token in enumerate(tokens[:-1]):
        if token.string in TEMPLATE_FUNCTIONS and tokens[index + 1].string == "(":
            arguments, after = [], index + 2
            while tokens[after].string != ")":
                if tokens[after].type == tokenize.STRING:
                    arguments.append(ast.literal_eval(tokens[after].string))
                after += 1
            yield _key(token.string, arguments), token.start[0]


# What templatize writes for each tag.
TEMPLATE_FUNCTIONS = {"gettext", "pgettext", "ngettext", "npgettext"}


@cache
def marked_in_the_code() -> tuple[tuple[str, str, int], ...]:
    """Every literal message marked in the package (its migrations aside) and its templates: file, message and
    line."""
    files = sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)
    templates = sorted(
        path for path in PACKAGE.rglob("*") if "templates" in path.parts and path.suffix in (".html", ".txt")
    )
    return tuple(
        (str(path.relative_to(PACKAGE)), message, line)
        for path in files
        for message, line in marked_messages(path.read_text(encoding="utf-8"))
    ) + tuple(
        (str(path.relative_to(PACKAGE)), message, line)
        for path in templates
        for message, line in template_messages(path.read_text(encoding="utf-8"))
    )


@cache
def catalogue_keys(language: str) -> frozenset[str]:
    """The messages of every catalogue of the language (the project's and each area's)."""
    keys = set()
    for po_path in PO_PATHS:
        if f"/locale/{language}/" in str(po_path):
            _header, entries = parse_po(po_path)
            keys |= {f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid for e in entries}
    return frozenset(keys)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_marked_in_the_code_is_in_the_catalogues(language: str) -> None:
    known = catalogue_keys(language)
    missing = [
        f"{path}:{line}: {message.replace(chr(4), ' | ')!r}"
        for path, message, line in marked_in_the_code()
        if message and message not in known
    ]
    assert not missing, f"{len(missing)} marked messages are in no {language} catalogue:\n" + "\n".join(
        missing
    )


def test_the_reader_finds_a_message_under_any_name_it_is_imported_as() -> None:
    source = (
        "from django.utils.translation import gettext_noop as N_, pgettext_lazy\n"
        "from django.utils import translation\n"
        "A = N_('one')\nB = pgettext_lazy('ctx', 'two')\nC = translation.gettext('three')\nD = N_(name)\n"
    )
    assert [message for message, _line in marked_messages(source)] == ["one", "ctx\x04two", "three"]


def test_the_reader_finds_a_templates_messages_as_makemessages_does() -> None:
    template = (
        "{% load i18n %}<p>\n    {% translate 'one' %}</p>\n"
        '{% translate "two" context "ctx" %}\n'
        "{% blocktranslate trimmed with n=count %}\n  three {{ n }}\n{% endblocktranslate %}"
    )
    assert [message for message, _line in template_messages(template)] == ["one", "ctx\x04two", "three %(n)s"]
