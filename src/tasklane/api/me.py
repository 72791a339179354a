"""/me: the caller's profile (created on first sight from the token's claims)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from tasklane.api.http import container, identity
from tasklane.domain.profiles import Profile, ProfilePatch

router = Router()
TAGS = ["Profile"]


@router.get("/me", tags=TAGS, summary="Read your profile")
def get_me() -> Profile:
    return container(router).profiles.get(identity(router))


@router.patch(
    "/me",
    tags=TAGS,
    summary="Change your profile",
    description="Send only the fields to change. `time_zone` is an IANA name "
    "(e.g. `Europe/Berlin`; anything else is 422); `notifications.events` merges into the "
    "stored preferences.",
)
def patch_me(body: ProfilePatch) -> Profile:
    return container(router).profiles.update(identity(router), body)
