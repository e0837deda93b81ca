"""The API's one error shape (palermo.core.api_errors), asserted in every test that provokes a refusal."""

from __future__ import annotations

from typing import Any

KEYS = {"code", "message", "fields"}


def api_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The refusal's `error` object, after asserting the status and the shape (and the code, if given)."""
    assert response.status_code == status, (response.status_code, getattr(response, "content", b"")[:300])
    # A test client's response, or a DRF view's own (called directly, not rendered).
    body = response.json() if hasattr(response, "json") else response.data
    assert set(body) == {"error"}, body
    error = body["error"]
    assert KEYS <= set(error) <= KEYS | {"current"}, error
    assert isinstance(error["message"], str) and error["message"], error
    for messages in error["fields"].values():
        assert messages and all(isinstance(message, str) and message for message in messages), error
    assert ("current" in error) == (error["code"] == "stale"), error
    if code is not None:
        assert error["code"] == code, error
    return error


def error_text(error: dict[str, Any]) -> str:
    """The message and every field's messages, for asserting what a refusal says."""
    return " ".join([error["message"], *(m for messages in error["fields"].values() for m in messages)])
