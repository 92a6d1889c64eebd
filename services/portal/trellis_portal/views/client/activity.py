"""Recent activity: what happened on the project lately, among what the client may see."""

from __future__ import annotations

from datetime import datetime

from trellis_portal.views import fact_kinds as kinds
from trellis_portal.views.client.shapes import Activity
from trellis_portal.views.client.snapshot import ProjectSnapshot

RECENT = 10


def recent_activity(snapshot: ProjectSnapshot) -> list[Activity]:
    shown = snapshot.visibility
    found: list[Activity] = []
    if shown.milestones:
        for milestone in snapshot.all(kinds.MILESTONE).values():
            if milestone.get("completed_at"):
                found.append(_at(milestone["completed_at"], "milestone_completed",
                                 f"Milestone '{milestone.get('name', '')}' completed"))
    if shown.documents:
        for version in snapshot.all(kinds.DOCUMENT_VERSION).values():
            found.append(_at(version["added_at"], "document_added",
                             f"'{version['name']}' version {version['version_number']} added"))
    for approval in snapshot.all(kinds.APPROVAL).values():
        if "requested_at" in approval:
            found.append(_at(approval["requested_at"], "approval_requested",
                             f"Approval requested: '{approval['title']}'"))
        if approval.get("decided_at"):
            found.append(_at(approval["decided_at"], f"approval_{approval['status']}",
                             f"'{approval.get('title', '')}' {approval['status']}"))
    for change_order in snapshot.all(kinds.CHANGE_ORDER).values():
        if change_order.get("sent_at"):
            found.append(_at(change_order["sent_at"], "change_order_sent",
                             f"Change order '{change_order.get('title', '')}' sent for approval"))
    found.sort(key=lambda a: (a.at, a.kind, a.summary), reverse=True)
    return found[:RECENT]


def _at(moment: str, kind: str, summary: str) -> Activity:
    return Activity(at=datetime.fromisoformat(moment), kind=kind, summary=summary)
