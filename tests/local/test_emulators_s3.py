"""moto's S3 behind our server answers DeleteObjectTagging on a gone object as S3 does."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tasklane.local.bootstrap import LocalConfig
from tasklane.local.emulators import MissingTaggedObject

from .support import moto_client


def _s3(config: LocalConfig) -> Any:
    return moto_client(config, "s3")


def test_tags_of_a_deleted_version_are_no_such_key(local_config: LocalConfig) -> None:
    s3 = _s3(local_config)
    bucket = local_config.bucket_name
    version = s3.put_object(Bucket=bucket, Key="gone", Body=b"x")["VersionId"]
    s3.delete_object(Bucket=bucket, Key="gone", VersionId=version)

    with pytest.raises(ClientError) as raised:
        s3.delete_object_tagging(Bucket=bucket, Key="gone", VersionId=version)

    assert raised.value.response["Error"]["Code"] == "NoSuchKey"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_tags_of_an_existing_object_are_deleted(local_config: LocalConfig) -> None:
    s3 = _s3(local_config)
    bucket = local_config.bucket_name
    s3.put_object(Bucket=bucket, Key="kept", Body=b"x", Tagging="tasklane-upload=pending")

    s3.delete_object_tagging(Bucket=bucket, Key="kept")

    assert s3.get_object_tagging(Bucket=bucket, Key="kept")["TagSet"] == []


class _Answers:
    def __init__(self) -> None:
        self.status = ""

    def __call__(self, status: str, headers: list[tuple[str, str]]) -> None:
        self.status = status


def _moto_losing_the_key(environ: Any, start_response: Any) -> Iterable[bytes]:
    # What moto does when the key vanishes mid-request: ``None.arn``.
    raise AttributeError("'NoneType' object has no attribute 'arn'")


def test_a_key_lost_mid_request_is_no_such_key() -> None:
    answers = _Answers()
    environ = {"REQUEST_METHOD": "DELETE", "QUERY_STRING": "tagging&versionId=v1"}

    body = b"".join(MissingTaggedObject(_moto_losing_the_key)(environ, answers))

    assert answers.status.startswith("404")
    assert b"<Code>NoSuchKey</Code>" in body


def test_other_requests_fail_as_they_would() -> None:
    environ = {"REQUEST_METHOD": "GET", "QUERY_STRING": "tagging"}

    with pytest.raises(AttributeError):
        MissingTaggedObject(_moto_losing_the_key)(environ, _Answers())
