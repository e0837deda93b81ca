"""The form of a directory record (a provider's service, a partner organisation abroad): its plain fields
taken as they are, and its lists: chosen from a list (languages, from the type-ahead) or typed as text
separated by commas (regions)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from palermo.core.forms import StyledForm


def comma_list(value: str) -> list[str]:
    """The items of a text separated by commas (or semicolons), trimmed, the empty ones left out."""
    return [item.strip() for item in (value or "").replace(";", ",").split(",") if item.strip()]


class DirectoryForm(StyledForm):
    # A subclass declares `scalars`, the record's plain fields as the service takes them, and `comma_lists`:
    # form field -> (the record's related items, the value of each): typed as "a, b, c" in a text field, or
    # chosen from a list (a multiple choice, such as the languages from the type-ahead).

    scalars: ClassVar[tuple[str, ...]]
    comma_lists: ClassVar[dict[str, tuple[str, str]]]

    def record_values(self) -> dict[str, Any]:
        """The service's arguments from the valid form."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.scalars},
            **{name: _listed(data[name]) for name in self.comma_lists},
        }

    @classmethod
    def record_initial(cls, record: Any) -> dict[str, Any]:
        """The form's initial values from the record as it is, with its version."""
        return {
            **{name: getattr(record, name) for name in cls.scalars},
            **{
                name: cls._shown([getattr(item, value) for item in getattr(record, related).all()], name)
                for name, (related, value) in cls.comma_lists.items()
            },
            "version": record.version,
        }

    @classmethod
    def _shown(cls, values: list[str], name: str) -> list[str] | str:
        """A related list as its form field takes it: the values chosen, or typed as "a, b, c"."""
        return values if isinstance(cls.base_fields[name], forms.MultipleChoiceField) else ", ".join(values)


def _listed(value: list[str] | str) -> list[str]:
    return list(value) if isinstance(value, list | tuple) else comma_list(value)
