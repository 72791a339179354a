"""The texts of a notification: escaped HTML, verbatim text, links, local times."""

from __future__ import annotations

from tasklane.domain.notifications import (
    NotificationKind,
)
from tasklane.logic.notifications.templates import local_time, render
from tests.unit.logic.notifications.support import PROJECT, TASK, WEB, K, job


def test_user_text_is_escaped_in_html_and_verbatim_in_text() -> None:
    evil = '<script>alert("x")</script> & co'
    rendered = render(job(task_title=evil, actor_name="<b>Eve</b>"), WEB)
    assert evil in rendered.text
    assert "<b>Eve</b>" in rendered.text
    assert "<script>" not in rendered.html
    assert "<b>Eve</b>" not in rendered.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in rendered.html
    assert "&lt;b&gt;Eve&lt;/b&gt;" in rendered.html
    assert rendered.title == f"<b>Eve</b> assigned you “{evil}”"  # a subject is plain text


def test_a_comment_is_quoted_escaped() -> None:
    rendered = render(job(K.comment_added, comment_excerpt="<img src=x onerror=alert(1)>"), WEB)
    assert "> <img src=x onerror=alert(1)>" in rendered.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered.html
    assert "<img" not in rendered.html


def test_every_kind_renders_with_a_link_to_its_task_or_project() -> None:
    for kind in NotificationKind:
        rendered = render(job(kind, due_at="2025-03-09T12:00:00.000Z", role="editor"), WEB)
        assert "$" not in rendered.title + rendered.text + rendered.html, kind
        # An invitation leads to the invitations page: the project is not theirs yet.
        target = f"{WEB}/invitations" if kind is K.project_invited else f"{WEB}/tasks/{TASK}"
        assert target in rendered.text
        assert f'href="{target}"' in rendered.html
        assert rendered.url == target
        assert rendered.body
        assert "\n" not in rendered.title
    shared = job(K.project_shared, role="viewer").model_copy(update={"task_id": None})
    rendered = render(shared, WEB)
    assert rendered.url == f"{WEB}/projects/{PROJECT}"
    assert rendered.title == "Ada shared “Launch” with you"
    assert "as viewer" in rendered.body


def test_due_dates_are_shown_in_the_recipients_time_zone() -> None:
    assert local_time("2025-03-09T12:00:00.000Z", "Europe/Berlin") == (
        "on Sun 09 Mar 2025 at 13:00 (Europe/Berlin)"
    )
    assert "(UTC)" in local_time("2025-03-09T12:00:00.000Z", "Not/AZone")
    rendered = render(job(K.task_due, due_at="2025-03-09T12:00:00.000Z"), WEB)
    assert "13:00 (Europe/Berlin)" in rendered.title
