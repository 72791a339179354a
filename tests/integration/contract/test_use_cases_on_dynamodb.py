"""Every use-case test of the unit suite, on DynamoDB (moto) through DynamoStore."""

from tests.unit.test_projects import *  # noqa: F403
from tests.unit.test_task_listing import *  # noqa: F403
from tests.unit.test_tasks import *  # noqa: F403
