"""Documents on S3-compatible storage (issue 21, deployment): django-storages' S3 backend against moto's fake
S3. Every byte sent to the store, as recorded on the wire by botocore, and every object in the bucket is
ciphertext: the plaintext and the file's marker never leave the process, and the store's object opens only
through the document's row. An upload that does not commit leaves no object; the sweep removes an orphan."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from palermo.cases import docstore
from palermo.cases.models import CaseDocument
from palermo.cases.services import documents
from palermo.cases.services.documents import case_document_download
from tests.cases.casework import make_case, put_on_team
from tests.cases.test_documents import pdf, upload

boto3 = pytest.importorskip("boto3", reason="the `s3` extra (django-storages with boto3) is not installed")
moto = pytest.importorskip("moto", reason="moto, the fake S3 of the test extra, is not installed")
pytest.importorskip("storages")

pytestmark = pytest.mark.django_db
BUCKET = "palermo-documents"


@pytest.fixture
def bucket(settings: Any, document_store: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "documents": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "location": "documents",
                    "region_name": "us-east-1",
                    "access_key": "synthetic",
                    "secret_key": "synthetic",
                    "file_overwrite": True,
                    "default_acl": None,
                },
            },
        }
        settings.DOCUMENT_STORAGE = "documents"
        yield client


@pytest.fixture
def wire(bucket: Any) -> list[bytes]:
    """Every request body the storage backend's S3 client sends."""
    sent: list[bytes] = []

    def record(request: Any, **kwargs: Any) -> None:
        body = request.body
        if hasattr(body, "read"):  # a stream (botocore's aws-chunked wrapper): keep what is read from it
            read = body.read

            def reading(*args: Any, **kwargs: Any) -> Any:
                chunk = read(*args, **kwargs)
                sent.append(chunk if isinstance(chunk, bytes) else str(chunk).encode())
                return chunk

            body.read = reading
        elif body:
            sent.append(body if isinstance(body, bytes) else str(body).encode())

    store = docstore.object_store()
    assert store is not None
    store.connection.meta.client.meta.events.register("before-send.s3", record)
    return sent


def objects(client: Any) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read() for item in listed}


@pytest.fixture
def team_case(manager: Any) -> Any:
    case = make_case(manager.membership.agency)
    put_on_team(case, manager)
    return case


def test_only_ciphertext_reaches_the_store_and_the_document_opens(
    bucket, wire, manager, team_case, document_store
):
    content = pdf("s3-marker-7f3a")
    document = upload(manager, team_case, content)

    stored = objects(bucket)
    key = f"documents/{document.storage_name[:2]}/{document.storage_name}"
    assert list(stored) == [key]
    assert not [path for path in document_store.rglob("*") if path.is_file()]  # nothing on the local disk
    uploaded = b"".join(wire)
    assert len(uploaded) >= len(stored[key])  # the recording saw the upload itself
    for sealed in (stored[key], uploaded):
        assert b"s3-marker-7f3a" not in sealed and b"%PDF" not in sealed and b"statement" not in sealed
    assert len(stored[key]) > len(content)  # nonce and tag: sealed, not merely stored
    fetched = case_document_download(
        actor=manager, membership=manager.membership, case=team_case, document_id=document.pk
    )
    assert fetched.content == content


def test_an_upload_that_does_not_commit_leaves_no_object(bucket, manager, team_case, monkeypatch):
    def refused(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the timeline entry could not be written")

    monkeypatch.setattr(documents, "record_entry", refused)
    with pytest.raises(RuntimeError):
        upload(manager, team_case, pdf("rolled back"))
    assert not CaseDocument.objects.exists() and objects(bucket) == {}


def test_the_sweep_removes_an_orphan_object_and_keeps_a_committed_one(bucket, manager, team_case):
    kept = upload(manager, team_case, pdf("kept"))
    orphan = docstore.new_storage_name()
    docstore.write(b"left by a killed upload", row_key=kept.row_key, storage_name=orphan)
    call_command("documents_sweep", "--grace-minutes", "0", stdout=StringIO())
    assert list(objects(bucket)) == [f"documents/{kept.storage_name[:2]}/{kept.storage_name}"]
    assert docstore.read(row_key=kept.row_key, storage_name=kept.storage_name) == pdf("kept")
