"""AWS WAF: one regional web ACL in front of the REST API stage and the web ALB.

Rules, in order: the AWS managed common rule set (OWASP-style: bad bots, size limits, XSS,
LFI ...), known bad inputs (Log4j, Java deserialisation, ...), and a rate-based rule that
blocks an IP sending more than ``waf_rate_limit`` requests in 5 minutes. Everything else is
allowed. Each rule publishes CloudWatch metrics and samples blocked requests.

The common rule set's ``SizeRestrictions_BODY`` blocks bodies over 8 KB; the API accepts
bodies up to 1 MB (``settings.MAX_BODY_BYTES``, e.g. long task descriptions), and uploads go
to S3 directly, so that one rule only counts (its matches stay visible in the metrics).
"""

from __future__ import annotations

from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.config import StageConfig

COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet"
KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet"
#: Rules of the common rule set that only count (see the module's docstring).
COUNTED_COMMON_RULES = ("SizeRestrictions_BODY",)


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


def _managed(
    name: str, priority: int, counted: tuple[str, ...] = ()
) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule,
                        action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={}),
                    )
                    for rule in counted
                ]
                or None,
            )
        ),
        visibility_config=_visibility(name),
    )


class WebAcl(Construct):
    """Create once, then :meth:`protect` each regional resource (API stage, ALB)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.acl = wafv2.CfnWebACL(
            self,
            "Acl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            # WAF's pattern allows no parentheses.
            description=f"Tasklane {config.stage}: API and web",
            visibility_config=_visibility(f"tasklane-{config.stage}"),
            rules=[
                _managed(COMMON_RULE_SET, 0, COUNTED_COMMON_RULES),
                _managed(KNOWN_BAD_INPUTS, 1),
                wafv2.CfnWebACL.RuleProperty(
                    name="RateLimitPerIp",
                    priority=2,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=config.waf_rate_limit,
                            aggregate_key_type="IP",
                            evaluation_window_sec=300,
                        )
                    ),
                    visibility_config=_visibility("RateLimitPerIp"),
                ),
                # A token flooding from many addresses: counted per Authorization header
                # (requests without one are left to the per-IP rule).
                wafv2.CfnWebACL.RuleProperty(
                    name="RateLimitPerToken",
                    priority=3,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            limit=config.waf_token_rate_limit,
                            aggregate_key_type="CUSTOM_KEYS",
                            custom_keys=[
                                wafv2.CfnWebACL.RateBasedStatementCustomKeyProperty(
                                    header=wafv2.CfnWebACL.RateLimitHeaderProperty(
                                        name="authorization",
                                        text_transformations=[
                                            wafv2.CfnWebACL.TextTransformationProperty(
                                                priority=0, type="NONE"
                                            )
                                        ],
                                    )
                                )
                            ],
                            evaluation_window_sec=300,
                        )
                    ),
                    visibility_config=_visibility("RateLimitPerToken"),
                ),
            ],
        )
        self.associations: list[wafv2.CfnWebACLAssociation] = []

    def protect(self, construct_id: str, resource_arn: str) -> wafv2.CfnWebACLAssociation:
        association = wafv2.CfnWebACLAssociation(
            self, construct_id, resource_arn=resource_arn, web_acl_arn=self.acl.attr_arn
        )
        self.associations.append(association)
        return association
