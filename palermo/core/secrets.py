"""Reading secrets and local key files; importable before Django is configured."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path


class MissingSecret(RuntimeError):
    pass


def read_secret(name: str, *, default: str | None = None) -> str:
    """Return NAME from the environment, or the contents of the file named by NAME_FILE."""
    value = os.environ.get(name)
    if value:
        return value
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    if default is not None:
        return default
    raise MissingSecret(f"{name} (or {name}_FILE) must be set")


LOCAL_SECRET_FILES = {
    "secret_key": lambda: secrets.token_urlsafe(50),
    # Key ring: one "id:base64key" per line; the first line encrypts, all lines decrypt.
    "field_keys": lambda: f"k1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    "blind_index_key": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    # Audit chain keys, like the key ring: the first signs new events, every line verifies.
    "audit_keys": lambda: f"a1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
    # The transnational key pair (docs/decisions/0038): a private JWK set, one signing and one encryption key.
    "transnational_keys": lambda: make_transnational_keys(),
    # Backup archive keys, like the key ring: the first encrypts new archives, every line opens old ones.
    "backup_keys": lambda: f"b1:{base64.b64encode(secrets.token_bytes(32)).decode()}",
}


def make_transnational_keys() -> str:
    """A new private JWK set (JSON, one line): an EC P-256 key that signs (ES256) the packages this system
    sends, and one that receives the packages partners encrypt to it (ECDH-ES+A256KW). Each key's id is its
    RFC 7638 thumbprint."""
    from jwcrypto import jwk

    keys = jwk.JWKSet()
    for use, alg in (("sig", "ES256"), ("enc", "ECDH-ES+A256KW")):
        key = jwk.JWK.generate(kty="EC", crv="P-256", use=use, alg=alg)
        key.update(kid=key.thumbprint())
        keys.add(key)
    return str(keys.export(private_keys=True))


def create_local_secrets(directory: Path) -> list[Path]:
    """Create missing secret files with mode 0600; never overwrite an existing one."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    created = []
    for name, make in LOCAL_SECRET_FILES.items():
        path = directory / name
        if path.exists():
            continue
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(make() + "\n")
        created.append(path)
    return created
