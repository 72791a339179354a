"""The local resources come from resources.py, once, however often bootstrap runs."""

from __future__ import annotations

import boto3
import httpx

from tasklane.local.bootstrap import LocalConfig, bootstrap
from tasklane.local.emulators import MotoServer
from tasklane.resources import TABLE, USER_POOL


def _session(config: LocalConfig) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=config.region
    )


def test_bootstrap_twice_changes_nothing(local_config: LocalConfig) -> None:
    again = bootstrap(local_config.endpoint_url)

    assert again == local_config
    cognito = _session(local_config).client("cognito-idp", endpoint_url=local_config.endpoint_url)
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    assert [pool["Id"] for pool in pools] == [local_config.user_pool_id]
    clients = cognito.list_user_pool_clients(UserPoolId=local_config.user_pool_id)
    assert [c["ClientId"] for c in clients["UserPoolClients"]] == [local_config.client_id]
    dynamodb = _session(local_config).client("dynamodb", endpoint_url=local_config.endpoint_url)
    assert dynamodb.list_tables()["TableNames"] == [local_config.table_name]


def test_ids_survive_a_reset(moto_server: MotoServer, local_config: LocalConfig) -> None:
    moto_server.reset()

    assert bootstrap(moto_server.endpoint_url) == local_config


def test_user_pool_follows_its_shape(local_config: LocalConfig) -> None:
    cognito = _session(local_config).client("cognito-idp", endpoint_url=local_config.endpoint_url)
    pool = cognito.describe_user_pool(UserPoolId=local_config.user_pool_id)["UserPool"]
    client = cognito.describe_user_pool_client(
        UserPoolId=local_config.user_pool_id, ClientId=local_config.client_id
    )["UserPoolClient"]

    assert pool["UsernameAttributes"] == ["email"]
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == USER_POOL.password_policy.minimum_length
    assert "ClientSecret" not in client
    assert set(client["ExplicitAuthFlows"]) == set(USER_POOL.client_auth_flows)


def test_table_follows_its_shape(local_config: LocalConfig) -> None:
    dynamodb = _session(local_config).client("dynamodb", endpoint_url=local_config.endpoint_url)
    table = dynamodb.describe_table(TableName=local_config.table_name)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=local_config.table_name)

    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": TABLE.stream_view,
    }
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {
        i.name for i in TABLE.global_indexes
    }
    assert {i["IndexName"] for i in table["LocalSecondaryIndexes"]} == {
        i.name for i in TABLE.local_indexes
    }
    assert ttl["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": TABLE.ttl_attribute,
    }


def test_jwks_and_issuer_point_at_the_pool(local_config: LocalConfig) -> None:
    keys = httpx.get(local_config.jwks_url).json()["keys"]

    assert [key["kid"] for key in keys] == ["dummy"]  # moto's one, public, key
    assert local_config.issuer.endswith(f".amazonaws.com/{local_config.user_pool_id}")
