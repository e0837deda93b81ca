"""Gunicorn's access log, without who read the public pages (docs/decisions/0046).

`make run` and a deployment start gunicorn with
`--logger-class palermo.portal.accesslog.PrivateAccessLogger`. For a path of the public portal (under
/help/) the line keeps the method, the path, the status, the size and the time, and nothing else: no network
address, no query string, no request line, no referrer, no user agent, no header, no environment variable,
whatever the access log format asks for (the missing atoms print "-").
Every other path logs as the format says.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

KEPT = frozenset({"t", "s", "m", "U", "H", "b", "B", "T", "D", "M", "L", "p"})


def is_private(path: str) -> bool:
    return path == "/help" or path.startswith("/help/")


class PrivateAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        if not is_private(str(environ.get("PATH_INFO") or "")):
            return atoms
        return {key: value for key, value in atoms.items() if key in KEPT}
