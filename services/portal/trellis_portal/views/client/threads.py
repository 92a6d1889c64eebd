"""Message threads, oldest message first. Internal notes reach staff only."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import Message, StaffMessage, StaffThreadItem, ThreadItem
from trellis_portal.views.client.snapshot import ProjectSnapshot


def client_threads(snapshot: ProjectSnapshot) -> list[ThreadItem]:
    by_thread = _messages(snapshot)
    return [ThreadItem(id=UUID(key), subject=body["subject"],
                       started_at=datetime.fromisoformat(body["started_at"]),
                       messages=[_message(m) for m in by_thread[key] if not m[1]["internal"]])
            for key, body in _threads(snapshot)]


def staff_threads(snapshot: ProjectSnapshot) -> list[StaffThreadItem]:
    by_thread = _messages(snapshot)
    return [StaffThreadItem(id=UUID(key), subject=body["subject"],
                            started_at=datetime.fromisoformat(body["started_at"]),
                            messages=[StaffMessage(**_message(m).model_dump(), internal=m[1]["internal"])
                                      for m in by_thread[key]])
            for key, body in _threads(snapshot)]


def _threads(snapshot: ProjectSnapshot) -> list[tuple[str, dict[str, Any]]]:
    return sorted(snapshot.all(kinds.THREAD).items(), key=lambda t: (t[1]["started_at"], t[0]), reverse=True)


def _messages(snapshot: ProjectSnapshot) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    by_thread: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for key, body in snapshot.all(kinds.MESSAGE).items():
        by_thread[body["thread_id"]].append((key, body))
    for messages in by_thread.values():
        messages.sort(key=lambda m: (m[1]["posted_at"], m[0]))
    return by_thread


def _message(message: tuple[str, dict[str, Any]]) -> Message:
    key, body = message
    return Message(id=UUID(key), author=body["author"], author_kind=body["author_kind"], body=body["body"],
                   posted_at=datetime.fromisoformat(body["posted_at"]))
