"""Cognito: the user pool and the web app's client, from ``tasklane.resources.USER_POOL``."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge
from tasklane.resources import USER_POOL, UserPoolShape

_PASSWORD_AUTH = "ALLOW_USER_PASSWORD_AUTH"  # noqa: S105 (an auth flow name)


class Auth(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StageConfig,
        shape: UserPoolShape = USER_POOL,
    ) -> None:
        super().__init__(scope, construct_id)
        policy = shape.password_policy
        if tuple(shape.username_attributes) != ("email",):
            raise ValueError("the user pool construct supports e-mail user names only")
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            self_sign_up_enabled=True,
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email="email" in shape.auto_verified_attributes),
            user_verification=cognito.UserVerificationConfig(
                email_style=cognito.VerificationEmailStyle.CODE,
                email_subject="Your Tasklane verification code",
                email_body="Your Tasklane verification code is {####}",
            ),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=policy.minimum_length,
                require_lowercase=policy.require_lowercase,
                require_uppercase=policy.require_uppercase,
                require_digits=policy.require_digits,
                require_symbols=policy.require_symbols,
                temp_password_validity=cdk.Duration.days(policy.temporary_password_validity_days),
            ),
            mfa=cognito.Mfa.OPTIONAL,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            deletion_protection=config.production,
            removal_policy=config.removal_policy,
        )
        flows = set(shape.client_auth_flows)
        self.client = self.user_pool.add_client(
            "WebClient",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(
                user_srp="ALLOW_USER_SRP_AUTH" in flows,
                user_password=_PASSWORD_AUTH in flows and config.allow_password_auth,
            ),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=cdk.Duration.minutes(shape.id_token_validity_minutes),
            access_token_validity=cdk.Duration.minutes(shape.access_token_validity_minutes),
            refresh_token_validity=cdk.Duration.days(shape.refresh_token_validity_days),
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG2",
            "MFA is optional (TOTP) by design: a task app for teams cannot force every user to "
            "enrol a second factor at sign-up; users turn TOTP on from their settings.",
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG8",
            "Threat protection (advanced security) needs the Cognito Plus feature plan, billed "
            "per active user; the pool uses Essentials with a strong password policy and "
            "optional TOTP. Revisit when the cost is accepted.",
        )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG1",
            f"The policy is the shared shape's (resources.USER_POOL, also the local pool's): at "
            f"least {policy.minimum_length} characters with upper case, lower case and digits. "
            "Symbols are not required: NIST SP 800-63B favours length over composition rules.",
        )
