"""The sharing use-case tests (members, assignees, comments) on DynamoDB (moto)."""

from tests.unit.test_comments import *  # noqa: F403
from tests.unit.test_members import *  # noqa: F403
