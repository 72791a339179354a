"""Use cases, one module per capability. They depend on ``domain.ports``, never on boto3."""
