"""Transnational packages as JOSE (docs/decisions/0038): a nested JWT, so a partner opens it with any JOSE
library, without this software.

- Inside: a JWS (compact, ES256) over the package's JSON, signed with this system's signing key; its header
  names the key (`kid`, the key's RFC 7638 thumbprint).
- Outside: a JWE (compact, ECDH-ES+A256KW with A256GCM) of that JWS, encrypted to the partner's encryption key
  (`kid` its thumbprint, `cty` "JWT").

Keys are JWK sets: ours (private) is a secret read like the other keys (settings.TRANSNATIONAL_KEYS, from
PALERMO_TRANSNATIONAL_KEYS or its _FILE; never in the database); a partner's (public) is registered by the
administrator, who confirms its fingerprint. A fingerprint is the SHA-256 of the set's two thumbprints,
written as 16 groups of four hex digits, so it can be read out over the telephone and compared.

No Django model here: the services call these functions and keep the record.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from jwcrypto import jwe, jwk, jws
from jwcrypto.common import JWException

from palermo.core.secrets import make_transnational_keys

SIGNING_ALG = "ES256"
KEY_WRAP_ALG = "ECDH-ES+A256KW"
CONTENT_ALG = "A256GCM"
FORMAT = "palermo-transnational/1"


class PackageRefused(ValueError):
    """A package that cannot be opened or trusted: not decryptable with our key, not signed by a registered
    partner, or not a package at all. The message names no person (it may reach a log or an API client)."""


class KeyProblem(ValueError):
    """A key set that is not usable (not JSON, not a signing and an encryption EC key...)."""


@dataclass(frozen=True)
class KeyPair:
    """One side's keys: the signing key and the encryption key (private or public)."""

    signing: jwk.JWK
    encryption: jwk.JWK

    def public_set(self) -> str:
        keys = jwk.JWKSet()
        for key in (self.signing, self.encryption):
            keys.add(jwk.JWK.from_json(key.export_public()))
        return str(keys.export(private_keys=False))

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.signing, self.encryption)


def fingerprint_of(signing: jwk.JWK, encryption: jwk.JWK) -> str:
    digest = hashlib.sha256(f"{signing.thumbprint()}.{encryption.thumbprint()}".encode()).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4)).upper()


def normalise_fingerprint(value: str) -> str:
    """A typed fingerprint as stored: hex digits only, upper case, in groups of four."""
    digits = "".join(ch for ch in (value or "").upper() if ch in "0123456789ABCDEF")
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def key_pair(text: str, *, private: bool) -> KeyPair:
    """A JWK set (JSON) holding one EC signing key and one EC encryption key. `private`: both must hold the
    private part (ours); otherwise any private part is refused (a partner gives us public keys only)."""
    try:
        keys = jwk.JWKSet.from_json(text)
    except (JWException, ValueError, TypeError) as error:
        raise KeyProblem("not a JWK set") from error
    found: dict[str, jwk.JWK] = {}
    for key in keys:
        use = key.get("use")
        if key.get("kty") != "EC" or use not in ("sig", "enc") or use in found:
            raise KeyProblem("a JWK set of one EC signing key (use sig) and one EC encryption key (use enc)")
        if key.has_private != private:
            raise KeyProblem("private keys are expected" if private else "give the public keys only")
        found[use] = key
    if set(found) != {"sig", "enc"}:
        raise KeyProblem("a JWK set of one EC signing key (use sig) and one EC encryption key (use enc)")
    return KeyPair(signing=found["sig"], encryption=found["enc"])


@functools.lru_cache(maxsize=4)
def _own(text: str) -> KeyPair:
    return key_pair(text, private=True)


@functools.lru_cache(maxsize=1)
def _ephemeral() -> str:
    return make_transnational_keys()


def own_keys() -> KeyPair:
    """This system's key pair (KeyProblem when none is configured)."""
    text = settings.TRANSNATIONAL_KEYS
    if not text and getattr(settings, "EPHEMERAL_KEYS", False):
        text = _ephemeral()
    if not text:
        raise KeyProblem("no transnational key pair is configured (PALERMO_TRANSNATIONAL_KEYS)")
    return _own(text)


def seal(payload: dict[str, Any], *, sender: KeyPair, recipient: KeyPair) -> str:
    """The package: `payload` signed with the sender's key, then encrypted to the recipient's."""
    signed = jws.JWS(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
    signed.add_signature(
        sender.signing, alg=SIGNING_ALG, protected={"alg": SIGNING_ALG, "kid": sender.signing["kid"]}
    )
    header = {
        "alg": KEY_WRAP_ALG,
        "enc": CONTENT_ALG,
        "kid": recipient.encryption["kid"],
        "cty": "JWT",
    }
    token = jwe.JWE(signed.serialize(compact=True).encode(), protected=header)
    token.add_recipient(recipient.encryption)
    return str(token.serialize(compact=True))


def signing_key_id(token: str, *, recipient: KeyPair) -> tuple[str, str]:
    """Decrypt with our key; answer the inner JWS and the id of the key that signed it (not yet verified)."""
    try:
        outer = jwe.JWE()
        outer.deserialize(token.strip(), key=recipient.encryption)
        inner = outer.payload.decode()
        signed = jws.JWS()
        signed.deserialize(inner)
        kid = signed.jose_header.get("kid")  # type: ignore[union-attr]
    except (JWException, ValueError, TypeError, UnicodeDecodeError) as error:
        raise PackageRefused("the package cannot be opened with this system's key") from error
    if not isinstance(kid, str) or not kid:
        raise PackageRefused("the package does not name the key that signed it")
    return inner, kid


def verified(inner: str, *, sender: KeyPair) -> dict[str, Any]:
    """The payload, once its signature is checked against the sender's registered key."""
    try:
        signed = jws.JWS()
        signed.deserialize(inner)
        if signed.jose_header.get("alg") != SIGNING_ALG:  # type: ignore[union-attr]
            raise PackageRefused("the package is not signed with the expected algorithm")
        signed.verify(sender.signing, alg=SIGNING_ALG)
        payload = json.loads(signed.payload.decode())
    except (JWException, ValueError, TypeError, UnicodeDecodeError) as error:
        raise PackageRefused("the package's signature does not verify") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise PackageRefused("the package is not a transnational referral package")
    return payload
