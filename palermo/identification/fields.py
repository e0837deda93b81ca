"""An encrypted list of choice codes (a checklist), stored as one T2-T4 value."""

from __future__ import annotations

from typing import Any

from palermo.core.fields import EncryptedTextField

SEPARATOR = ","


class EncryptedChoiceListField(EncryptedTextField):
    """A list of short codes (no commas), kept in the order given, encrypted as one value. The services
    check the codes against their choices; the field only stores them."""

    # For django-stubs: the Python value is a list of codes, not text.
    _pyi_private_set_type: list[str] | tuple[str, ...]  # type: ignore[assignment]
    _pyi_private_get_type: list[str]  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, list):
            return value
        if isinstance(value, tuple | set | frozenset):
            return list(value)
        return [code for code in str(value).split(SEPARATOR) if code]

    def serialise(self, value: list[str]) -> str:
        if any(SEPARATOR in code for code in value):
            raise ValueError("a code in a choice list may not contain a comma")
        return SEPARATOR.join(value)

    def deserialise(self, text: str) -> list[str]:
        return self.to_python(text)  # type: ignore[no-any-return]
