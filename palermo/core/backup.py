"""One encrypted archive of an instance, and an instance rebuilt from it (docs/decisions/0044).

An archive holds, in a gzipped tar stream:

    manifest.json        format, time, database vendor, row counts per model, the audit chain head,
                         the rulebook in use, and key *fingerprints* (never keys)
    database.sqlite3     SQLite: a consistent copy made through SQLite's online backup API
    database.pgdump      PostgreSQL: `pg_dump --format=custom` (one snapshot)
    documents/...        the document store as it is on disk (files already encrypted under the field keys)
    rulebooks/*.toml     the rulebooks the instance reads

The stream is encrypted under the backup key ring (`settings.BACKUP_KEYS`, "id:base64key" entries like the
field key ring; the first encrypts, every one decrypts) in chunks of AES-256-GCM. Each chunk's nonce is a
random prefix, the chunk's number and a last-chunk flag, and the header is associated data of every chunk, so
chunks cannot be reordered, dropped, truncated at a chunk boundary or moved between archives unnoticed.

A backup without the field, blind-index and audit keys is unreadable ciphertext: the keys are escrowed apart
(docs/operations/keys.md). Restoring checks that the running instance holds every key the archive's data
needs (by fingerprint) before it touches the database.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from palermo.core import crypto
from palermo.core.blind_index import blind_index_key

FORMAT = 1
MAGIC = b"PALERMO-BACKUP\x00"
CHUNK_BYTES = 1024 * 1024
_PREFIX_BYTES = 7
_LENGTH = struct.Struct(">I")
MANIFEST = "manifest.json"
SQLITE_DUMP = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"
DOCUMENTS = "documents"
RULEBOOKS = "rulebooks"


class BackupError(Exception):
    """An archive that cannot be written, read or restored here; the message names no personal data."""


# --- keys and fingerprints -------------------------------------------------------------------------------


def fingerprint(key: bytes) -> str:
    """A key's fingerprint: enough to tell keys apart, useless to recover one (SHA-256 under a label)."""
    return hashlib.sha256(b"palermo key fingerprint\x00" + key).hexdigest()[:32]


def backup_key_ring() -> crypto.KeyRing:
    text = getattr(settings, "BACKUP_KEYS", "")
    if not text:
        raise BackupError(
            "PALERMO_BACKUP_KEYS (or PALERMO_BACKUP_KEYS_FILE) must be set to write or read backups"
        )
    try:
        return crypto.parse_key_ring(text)
    except crypto.KeyRingError as error:
        raise BackupError(str(error).replace("FIELD_KEYS", "BACKUP_KEYS")) from None


def _ring_keys(text: str) -> dict[str, bytes]:
    """id -> raw key of an "id:base64key" ring (field or audit keys)."""
    keys: dict[str, bytes] = {}
    for raw in text.replace(",", "\n").splitlines():
        entry = raw.strip()
        if entry and not entry.startswith("#"):
            key_id, _sep, encoded = entry.partition(":")
            keys[key_id.strip()] = base64.b64decode(encoded.strip())
    return keys


def key_fingerprints() -> dict[str, dict[str, str]]:
    """Fingerprints of every key the data needs: field keys, the blind-index key, audit keys."""
    return {
        "field_keys": {key_id: fingerprint(key) for key_id, key in _ring_keys(settings.FIELD_KEYS).items()},
        "blind_index_key": {"-": fingerprint(blind_index_key())},
        "audit_keys": {key_id: fingerprint(key) for key_id, key in _ring_keys(settings.AUDIT_KEYS).items()},
    }


def missing_keys(recorded: dict[str, dict[str, str]]) -> list[str]:
    """The keys an archive's data was written under that this instance does not hold (kind/id)."""
    present = key_fingerprints()
    return [
        f"{kind}/{key_id}"
        for kind, keys in recorded.items()
        for key_id, print_ in keys.items()
        if present.get(kind, {}).get(key_id) != print_
    ]


# --- the encrypted stream --------------------------------------------------------------------------------


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", number) + (b"\x01" if last else b"\x00")


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that seals what it is given in chunks onto `target`."""

    def __init__(self, target: IO[bytes], ring: crypto.KeyRing) -> None:
        self._target = target
        self._cipher = ring.ciphers[ring.current_id]
        key_id = ring.current_id.encode("ascii")
        self._prefix = os.urandom(_PREFIX_BYTES)
        self._header = MAGIC + bytes((FORMAT, len(key_id))) + key_id + self._prefix
        target.write(self._header)
        self._buffer = bytearray()
        self._number = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        sealed = self._cipher.encrypt(_nonce(self._prefix, self._number, last), plain, self._header)
        self._target.write(_LENGTH.pack(len(sealed)) + sealed)
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of what an EncryptingWriter sealed; refuses altered, reordered or cut archives."""

    def __init__(self, source: IO[bytes], ring: crypto.KeyRing) -> None:
        self._source = source
        head = source.read(len(MAGIC) + 2)
        if len(head) < len(MAGIC) + 2 or not head.startswith(MAGIC):
            raise BackupError("not a Palermo backup archive")
        if head[len(MAGIC)] != FORMAT:
            raise BackupError(f"backup archive format {head[len(MAGIC)]} is not {FORMAT}")
        key_id = source.read(head[-1]).decode("ascii", "replace")
        self._prefix = source.read(_PREFIX_BYTES)
        self._header = head + key_id.encode("ascii", "replace") + self._prefix
        cipher = ring.ciphers.get(key_id)
        if cipher is None:
            raise BackupError(f"the archive is under backup key {key_id!r}, which is not in BACKUP_KEYS")
        self._cipher = cipher
        self._number = 0
        self._plain = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        length = self._source.read(_LENGTH.size)
        if len(length) < _LENGTH.size:
            raise BackupError("the archive is cut short")
        sealed = self._source.read(_LENGTH.unpack(length)[0])
        for last in (False, True):
            try:
                self._plain = self._cipher.decrypt(
                    _nonce(self._prefix, self._number, last), sealed, self._header
                )
            except InvalidTag:
                continue
            self._number += 1
            self._done = last
            return
        raise BackupError("the archive failed authentication: it was altered, cut or the key is wrong")

    def readinto(self, buffer: Any) -> int:
        while not self._plain and not self._done:
            self._next_chunk()
        count = min(len(buffer), len(self._plain))
        buffer[:count] = self._plain[:count]
        self._plain = self._plain[count:]
        return count


# --- what an instance is ---------------------------------------------------------------------------------


def vendor() -> str:
    return str(connection.vendor)


def row_counts() -> dict[str, int]:
    """Rows per model, every installed app's (what a restore must give back)."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@dataclass
class Manifest:
    created: str
    vendor: str
    rulebook: str
    counts: dict[str, int]
    keys: dict[str, dict[str, str]]
    extra: dict[str, Any] = field(default_factory=dict)
    documents: int = 0
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        values = json.loads(data)
        if values.get("format") != FORMAT:
            raise BackupError(f"manifest format {values.get('format')!r} is not {FORMAT}")
        return cls(**values)


# --- the database ----------------------------------------------------------------------------------------


def _postgres_arguments() -> tuple[list[str], dict[str, str]]:
    settings_dict = connection.settings_dict
    arguments = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments.append(f"{option}={settings_dict[key]}")
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return [*arguments, f"--dbname={settings_dict['NAME']}"], environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, check=False)  # noqa: S603
    if completed.returncode:
        # pg_dump's messages name tables and options, not values.
        message = completed.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise BackupError(f"{Path(command[0]).name}: {message[0]}")


@contextlib.contextmanager
def _sqlite_file() -> Iterator[sqlite3.Connection]:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("an in-memory SQLite database cannot be backed up")
    database = sqlite3.connect(name, timeout=30)
    try:
        yield database
    finally:
        database.close()


def dump_database(directory: Path) -> Path:
    """A consistent copy of the database in `directory` (SQLite backup API, or pg_dump)."""
    if vendor() == "sqlite":
        target = directory / SQLITE_DUMP
        # A connection of its own: it reads what is committed, whatever Django's connection is doing.
        with _sqlite_file() as source, contextlib.closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
        return target
    if vendor() == "postgresql":
        target = directory / POSTGRES_DUMP
        arguments, environment = _postgres_arguments()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", *arguments],
            environment,
        )
        return target
    raise BackupError(f"backups of a {vendor()} database are not supported")


def restore_database(dump: Path) -> None:
    """Replace the whole database with the dump's content (same vendor)."""
    if vendor() == "sqlite":
        connection.close()
        with contextlib.closing(sqlite3.connect(dump)) as source, _sqlite_file() as target:
            source.backup(target)
        return
    arguments, environment = _postgres_arguments()
    connection.close()  # pg_restore drops and recreates every table: no session of ours may hold one
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(dump),
        ],
        environment,
    )


# --- writing and reading archives ------------------------------------------------------------------------


def _document_files() -> Iterator[Path]:
    root = Path(settings.DOCUMENT_STORE)
    if root.is_dir():
        yield from sorted(
            path for path in root.rglob("*") if path.is_file() and not path.name.startswith(".")
        )


def write_archive(target: Path, *, extra: dict[str, Any] | None = None) -> Manifest:
    """Write an archive of this instance to `target` (created with mode 0600, renamed into place when
    complete, so a half-written archive never carries the final name)."""
    ring = backup_key_ring()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="palermo-backup-") as work:
        dump = dump_database(Path(work))
        documents = list(_document_files())
        manifest = Manifest(
            created=timezone.now().isoformat(),
            vendor=vendor(),
            rulebook=str(settings.PALERMO_RULEBOOK),
            counts=row_counts(),
            keys=key_fingerprints(),
            extra=extra or {},
            documents=len(documents),
        )
        partial = target.with_name(f".{target.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                writer = EncryptingWriter(stream, ring)
                with tarfile.open(fileobj=writer, mode="w|gz") as archive:
                    _add_bytes(archive, MANIFEST, manifest.to_json())
                    archive.add(dump, arcname=dump.name)
                    root = Path(settings.DOCUMENT_STORE)
                    for path in documents:
                        archive.add(path, arcname=f"{DOCUMENTS}/{path.relative_to(root).as_posix()}")
                    for path in sorted(Path(settings.RULEBOOK_DIR).glob("*.toml")):
                        archive.add(path, arcname=f"{RULEBOOKS}/{path.name}")
                writer.close()
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def open_archive(source: Path, into: Path) -> Manifest:
    """Decrypt and unpack an archive into the directory `into`; its manifest."""
    ring = backup_key_ring()
    with source.open("rb") as stream:
        reader = io.BufferedReader(DecryptingReader(stream, ring), buffer_size=CHUNK_BYTES)
        try:
            with tarfile.open(fileobj=reader, mode="r|gz") as archive:
                archive.extractall(into, filter="data")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise BackupError(f"the archive does not unpack: {type(error).__name__}") from None
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError("the archive holds no manifest")
    return Manifest.from_json(manifest_path.read_bytes())


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    counts: dict[str, int]
    documents: int
    rulebooks_differing: list[str]

    @property
    def count_differences(self) -> dict[str, tuple[int, int]]:
        """Models whose row count differs from the archive's: label -> (archive, now)."""
        return {
            label: (count, self.counts.get(label, 0))
            for label, count in self.manifest.counts.items()
            if self.counts.get(label, 0) != count
        }


def restore_archive(
    source: Path, *, replace_documents: bool = False, rulebooks_to: Path | None = None
) -> Restored:
    """Rebuild this instance from an archive: the database, the document store, and (if asked) the rulebooks.

    Refused before anything is changed when the archive is of another database vendor, when this instance
    lacks a key the archive's data needs, or when the document store is not empty (unless
    `replace_documents`)."""
    store = Path(settings.DOCUMENT_STORE)
    with tempfile.TemporaryDirectory(prefix="palermo-restore-") as work:
        unpacked = Path(work)
        manifest = open_archive(source, unpacked)
        if manifest.vendor != vendor():
            raise BackupError(
                f"the archive is of a {manifest.vendor} database; this instance uses {vendor()}"
            )
        missing = missing_keys(manifest.keys)
        if missing:
            raise BackupError("this instance lacks keys the archive's data needs: " + ", ".join(missing))
        if store.is_dir() and any(store.iterdir()) and not replace_documents:
            raise BackupError(f"the document store {store} is not empty (restore with --replace-documents)")
        dump = unpacked / (SQLITE_DUMP if manifest.vendor == "sqlite" else POSTGRES_DUMP)
        restore_database(dump)
        if store.is_dir():
            shutil.rmtree(store)
        store.mkdir(mode=0o700, parents=True, exist_ok=True)
        documents = 0
        if (unpacked / DOCUMENTS).is_dir():
            shutil.copytree(unpacked / DOCUMENTS, store, dirs_exist_ok=True)
            documents = sum(1 for path in store.rglob("*") if path.is_file())
        differing = _compare_rulebooks(unpacked / RULEBOOKS, rulebooks_to)
    return Restored(
        manifest=manifest, counts=row_counts(), documents=documents, rulebooks_differing=differing
    )


def _compare_rulebooks(unpacked: Path, rulebooks_to: Path | None) -> list[str]:
    """Copy the archive's rulebooks to `rulebooks_to`, if given; the names of those that differ from the
    ones this instance reads."""
    if not unpacked.is_dir():
        return []
    if rulebooks_to is not None:
        rulebooks_to.mkdir(parents=True, exist_ok=True)
        for path in unpacked.glob("*.toml"):
            shutil.copy2(path, rulebooks_to / path.name)
    current = Path(settings.RULEBOOK_DIR)
    return sorted(
        path.name
        for path in unpacked.glob("*.toml")
        if not (current / path.name).is_file() or (current / path.name).read_bytes() != path.read_bytes()
    )
