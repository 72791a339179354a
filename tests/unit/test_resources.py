"""Resource shapes shared by the CDK app and the local bootstrap: the attachments bucket."""

from __future__ import annotations

from tasklane.resources import ATTACHMENTS_BUCKET, PENDING_UPLOAD_TAG


def test_the_bucket_shape() -> None:
    shape = ATTACHMENTS_BUCKET
    assert all(shape.public_access_block().values())
    rule = shape.encryption()["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert rule["SSEAlgorithm"] in ("AES256", "aws:kms")
    statement = shape.tls_only_policy("bkt")["Statement"][0]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == ["arn:aws:s3:::bkt", "arn:aws:s3:::bkt/*"]
    cors = shape.cors_rules(["http://127.0.0.1:3000"])[0]
    assert "POST" in cors["AllowedMethods"]
    assert cors["AllowedOrigins"] == ["http://127.0.0.1:3000"]
    rules = {r["ID"]: r for r in shape.lifecycle_rules()}
    tag_key, tag_value = PENDING_UPLOAD_TAG
    pending = rules["expire-uncompleted-uploads"]
    assert pending["Filter"] == {"Tag": {"Key": tag_key, "Value": tag_value}}
    assert "Days" in pending["Expiration"]
    # Tagged versions expire whether current or not (an upload after completion)...
    assert pending["NoncurrentVersionExpiration"]["NoncurrentDays"] == shape.pending_expiry_days
    # ...and only they: a completed attachment's verified version (untagged) must outlive a
    # later upload that made it noncurrent (issue 14, finding 8).
    for other in (r for r in rules.values() if r is not pending):
        assert "NoncurrentVersionExpiration" not in other
        assert "Days" not in other.get("Expiration", {})
    multipart = rules["abort-incomplete-multipart-uploads"]
    assert multipart["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] >= 1
    assert shape.versioned
