"""The form of a directory record (a provider's service, a partner organisation abroad): its plain fields
taken as they are, and its lists (languages, regions) typed as text separated by commas."""

from __future__ import annotations

from typing import Any, ClassVar

from palermo.core.forms import StyledForm


def comma_list(value: str) -> list[str]:
    """The items of a text separated by commas (or semicolons), trimmed, the empty ones left out."""
    return [item.strip() for item in (value or "").replace(";", ",").split(",") if item.strip()]


class DirectoryForm(StyledForm):
    # A subclass declares `scalars`, the record's plain fields as the service takes them, and `comma_lists`:
    # form field -> (the record's related items, the value of each), shown and typed as "a, b, c".

    scalars: ClassVar[tuple[str, ...]]
    comma_lists: ClassVar[dict[str, tuple[str, str]]]

    def record_values(self) -> dict[str, Any]:
        """The service's arguments from the valid form."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.scalars},
            **{name: comma_list(data[name]) for name in self.comma_lists},
        }

    @classmethod
    def record_initial(cls, record: Any) -> dict[str, Any]:
        """The form's initial values from the record as it is, with its version."""
        return {
            **{name: getattr(record, name) for name in cls.scalars},
            **{
                name: ", ".join(getattr(item, value) for item in getattr(record, related).all())
                for name, (related, value) in cls.comma_lists.items()
            },
            "version": record.version,
        }
