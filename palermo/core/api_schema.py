"""The OpenAPI schema says what the API sends on refusal: every 4xx response of every operation is the one
`Error` component (palermo.core.api_errors), and the refusals every operation can give are documented even
where the view names none (not signed in, no second factor, not found or not allowed; a body that cannot be
used)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from palermo.core.api_errors import ErrorSerializer

# Refused before the view runs, for any operation (the login, second-factor and role middlewares).
EVERY_OPERATION = {
    "401": "Not signed in (or, for a client system, no valid token).",
    "403": "Signed in without the second factor.",
    "404": "No such record, or not visible to the caller (the same answer); or not allowed.",
}
# Refused when the body cannot be used.
WITH_A_BODY = {
    "400": "The body is not valid; `fields` says what is wrong with each field.",
    "415": "The body is not in a media type this operation accepts.",
}
WITH_QUERY = {"400": "A query parameter is not valid; `fields` says which."}
# Refused before the view runs for a write on a closed case (palermo.access.closure), except the few it takes.
CLOSED_CASE = (
    "`closed`: the case is closed and takes no write but re-opening, consent withdrawal and a note; "
    "re-open it first."
)


class ErrorContractSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for code, description in self._refusals(operation).items():
            responses.setdefault(code, {"description": description})
        if self.method in {"POST", "PUT", "PATCH", "DELETE"} and "{reference}" in self.path:
            conflict = responses.setdefault("409", {"description": ""})
            conflict["description"] = " ".join(filter(None, [conflict.get("description", ""), CLOSED_CASE]))
        error = {"application/json": {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}}
        for code, response in responses.items():
            if code.startswith("4"):
                response["content"] = error
                response.setdefault("description", "")
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _refusals(self, operation: dict[str, Any]) -> dict[str, str]:
        refusals = dict(EVERY_OPERATION)
        if any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
            refusals.update(WITH_QUERY)
        if "requestBody" in operation:
            refusals.update(WITH_A_BODY)
        return refusals
