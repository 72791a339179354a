"""The texts of a notification: e-mail subject, plain-text and HTML bodies, in-app title/body.

Standard library only (``string.Template`` + ``html.escape``): the notifier ships no template
engine. Every value that comes from a user — task titles, project and display names, comment
text — is a *value* substituted into a fixed sentence; for HTML each value is escaped first,
for plain text it is left verbatim. The markup is ours alone, so a title like
``<script>`` shows as text in both.

The layouts are package data (``templates/email.txt`` and ``templates/email.html``); the
sentences per kind are below.
"""

from __future__ import annotations

import html
import zoneinfo
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

from tasklane.domain.notifications import NotificationJob, NotificationKind, parse_instant
from tasklane.domain.profiles import DEFAULT_TIME_ZONE

#: Per kind: the subject line (also the in-app title) and the lead sentence (also the in-app
#: body). ``$actor``, ``$title``, ``$project``, ``$when``, ``$changes``, ``$role``: values.
SENTENCES: dict[NotificationKind, tuple[str, str]] = {
    NotificationKind.task_assigned: (
        "$actor assigned you “$title”",
        "$actor assigned you the task “$title” in $project.",
    ),
    NotificationKind.task_changed: (
        "“$title” was changed",
        "$actor changed the $changes of “$title”, a task assigned to you, in $project.",
    ),
    NotificationKind.task_completed: (
        "“$title” was completed",
        "$actor completed “$title”, a task you created, in $project.",
    ),
    NotificationKind.comment_added: (
        "$actor commented on “$title”",
        "$actor commented on “$title” in $project:",
    ),
    NotificationKind.project_shared: (
        "$actor shared “$project” with you",
        "$actor added you to the project “$project” as $role.",
    ),
    NotificationKind.task_due: (
        "“$title” is due $when",
        "“$title” in $project is due $when.",
    ),
    NotificationKind.task_overdue: (
        "“$title” is overdue",
        "“$title” in $project was due $when and is not done yet.",
    ),
    NotificationKind.export_ready: (
        "Your export is ready",
        "Your export of $project is ready to download. The file is deleted after 7 days.",
    ),
    NotificationKind.export_failed: (
        "Your export failed",
        "Your export of $project could not be finished. Start it again from the export page.",
    ),
    NotificationKind.webhook_disabled: (
        "A webhook of “$project” was switched off",
        "Deliveries to $url failed $failures times in a row, so the webhook was switched "
        "off. Fix the receiver, then switch the webhook on again in the project's settings.",
    ),
    NotificationKind.project_invited: (
        "$actor invited you to “$project”",
        "$actor invited you to join the project “$project” on Tasklane as $role. Sign in "
        "(or sign up) with this e-mail address to accept or decline.",
    ),
}
#: The previous assignee's notice (a ``task_changed``).
UNASSIGNED = (
    "You were unassigned from “$title”",
    "$actor unassigned you from “$title” in $project.",
)
FOOTER = (
    "You get this e-mail because you use Tasklane. Choose which e-mails you get in your "
    "profile's notification settings."
)
CHANGE_NAMES = {"title": "title", "status": "status", "due_at": "due date", "assignee": "assignee"}


@dataclass(frozen=True, slots=True)
class Rendered:
    #: The e-mail's subject and the in-app notice's title (plain text).
    title: str
    #: The in-app notice's body (plain text, one paragraph).
    body: str
    text: str
    html: str
    url: str | None


@cache
def layout(name: str) -> Template:
    return Template(files(__package__).joinpath("templates", name).read_text(encoding="utf-8"))


def link(job: NotificationJob, web_url: str) -> str | None:
    """Where the notice leads in the web app: the page the job names, else the task, else
    the project (an invitation: the invitations page, as the project is not theirs yet)."""
    if job.kind is NotificationKind.project_invited:
        return f"{web_url}/invitations"
    path = job.subject.get("path")
    if isinstance(path, str) and path.startswith("/"):
        return f"{web_url}{path}"
    if job.task_id:
        return f"{web_url}/tasks/{job.task_id}"
    if job.project_id:
        return f"{web_url}/projects/{job.project_id}"
    return None


def local_time(value: str | None, time_zone: str) -> str:
    """A due date as its reader would say it: in their time zone, with the zone named."""
    if not value:
        return "soon"
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, time_zone = zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE), DEFAULT_TIME_ZONE
    moment = parse_instant(value).astimezone(zone)
    return f"on {moment:%a %d %b %Y at %H:%M} ({time_zone})"


def _changes(names: Any) -> str:
    known = [CHANGE_NAMES.get(str(n), str(n)) for n in names or []] or ["details"]
    return known[0] if len(known) == 1 else ", ".join(known[:-1]) + " and " + known[-1]


def values(job: NotificationJob) -> dict[str, str]:
    """The substitutions, unescaped."""
    subject = job.subject
    zone = job.recipient.time_zone if job.recipient else DEFAULT_TIME_ZONE
    return {
        "actor": str(subject.get("actor_name") or "Someone"),
        "title": str(subject.get("task_title") or "a task"),
        "project": str(subject.get("project_name") or "a project"),
        "when": local_time(subject.get("due_at"), zone),
        "changes": _changes(subject.get("changes")),
        "role": str(subject.get("role") or "member"),
        "url": str(subject.get("url") or "its receiver"),
        "failures": str(subject.get("failures") or "many"),
    }


def render(job: NotificationJob, web_url: str) -> Rendered:
    raw = values(job)
    escaped = {name: html.escape(value) for name, value in raw.items()}
    title_t, lead_t = UNASSIGNED if job.subject.get("unassigned") else SENTENCES[job.kind]
    title = Template(title_t).safe_substitute(raw)
    lead = Template(lead_t).safe_substitute(raw)
    url = link(job, web_url)
    quote = str(job.subject.get("comment_excerpt") or "")
    greeting = f"Hello {job.recipient.display_name}," if job.recipient else "Hello,"
    text = layout("email.txt").substitute(
        greeting=greeting,
        lead=lead,
        quote=f"\n> {quote}\n" if quote else "",
        url=url or web_url,
        footer=FOOTER,
    )
    body_html = layout("email.html").substitute(
        greeting=html.escape(greeting),
        headline=Template(title_t).safe_substitute(escaped),
        lead=Template(lead_t).safe_substitute(escaped),
        quote=(
            '<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;'
            f'color:#424a53">{html.escape(quote)}</blockquote>'
            if quote
            else ""
        ),
        url=html.escape(url or web_url, quote=True),
        footer=html.escape(FOOTER),
    )
    return Rendered(
        title=title,
        body=f"{lead} {quote}" if quote else lead,
        text=text,
        html=body_html,
        url=url,
    )
