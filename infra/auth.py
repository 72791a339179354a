"""Cognito: the user pool and the web app's client, from ``tasklane.resources.USER_POOL``."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.config import StageConfig
from infra.nag import acknowledge
from tasklane.resources import USER_POOL, UserPoolShape

#: ExplicitAuthFlows values (the shape's spelling) → ``cognito.AuthFlow`` arguments.
#: ALLOW_REFRESH_TOKEN_AUTH has none: CDK always adds it (and the shape must list it).
_AUTH_FLOWS = {
    "ALLOW_USER_PASSWORD_AUTH": "user_password",  # pragma: allowlist secret - flow names
    "ALLOW_USER_SRP_AUTH": "user_srp",
    "ALLOW_CUSTOM_AUTH": "custom",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH": "admin_user_password",  # pragma: allowlist secret
    "ALLOW_USER_AUTH": "user",
}
_REFRESH = "ALLOW_REFRESH_TOKEN_AUTH"
#: Cognito's attribute names → ``cognito.StandardAttributesMask`` arguments (CDK renames a few).
_ATTRIBUTES = {"email": "email", "email_verified": "email_verified", "name": "fullname"}


def auth_flow(flows: tuple[str, ...]) -> cognito.AuthFlow:
    """The client's flows exactly as the shape lists them (the local client gets the same)."""
    if _REFRESH not in flows:
        raise ValueError(f"the client's flows must include {_REFRESH} (CDK always adds it)")
    unknown = set(flows) - set(_AUTH_FLOWS) - {_REFRESH}
    if unknown:
        raise ValueError(f"auth flows this construct cannot express: {sorted(unknown)}")
    return cognito.AuthFlow(**{_AUTH_FLOWS[f]: True for f in flows if f != _REFRESH})


def client_attributes(names: tuple[str, ...]) -> cognito.ClientAttributes:
    """Standard attributes by their Cognito names (the shape's spelling)."""
    unknown = set(names) - set(_ATTRIBUTES)
    if unknown:
        raise ValueError(f"attributes this construct cannot express: {sorted(unknown)}")
    return cognito.ClientAttributes().with_standard_attributes(
        **{_ATTRIBUTES[n]: True for n in names}
    )


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
            # A new address counts only once verified (the API trusts verified ones only).
            keep_original=cognito.KeepOriginalAttrs(
                email="email" in shape.attributes_require_verification
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
        # Everything about the client comes from the shape, which the local bootstrap reads
        # too: a flow the web app needs cannot be allowed locally and refused in AWS.
        self.client = self.user_pool.add_client(
            "WebClient",
            generate_secret=False,
            auth_flows=auth_flow(shape.client_auth_flows),
            read_attributes=client_attributes(shape.client_read_attributes),
            write_attributes=client_attributes(shape.client_write_attributes),
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
