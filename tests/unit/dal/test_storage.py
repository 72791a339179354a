"""The upload form's policy (S3): exactly the declared type and size, and the pending tag."""

from __future__ import annotations

from tasklane.dal.storage import pending_tagging, upload_policy
from tasklane.resources import PENDING_UPLOAD_TAG


def test_the_upload_policy_pins_type_size_and_the_pending_tag() -> None:
    fields, conditions = upload_policy("attachments/p/t/a", "image/png", 1234)
    assert fields == {"Content-Type": "image/png", "tagging": pending_tagging()}
    assert ["content-length-range", 1234, 1234] in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert {"tagging": pending_tagging()} in conditions
    key, value = PENDING_UPLOAD_TAG
    assert f"<Key>{key}</Key><Value>{value}</Value>" in pending_tagging()
