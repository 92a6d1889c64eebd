"""A client's decision from the portal approves or rejects the change order here, once."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from budget_test_kit import envelope, incoming

from trellis_budget.domain.budget import BudgetLine
from trellis_budget.wiring import Budget
from trellis_contracts.portal.approvals_v1 import ChangeOrderApprovedByClientV1, ChangeOrderRejectedByClientV1
from trellis_platform.incoming import PoisonEvent

META = {"actor": "test"}
PORTAL = "trellis.portal.events.v1"


def sent_change_order(budget: Budget, org: UUID, project: UUID) -> UUID:
    app = budget.application
    app.set_budget(
        organisation_id=org,
        project_id=project,
        currency="EUR",
        lines=[BudgetLine("labour", Decimal("1000.00"))],
        meta=META,
    )
    order = app.propose_change_order(
        organisation_id=org,
        project_id=project,
        title="More",
        scope="More rooms",
        cost_impact=[BudgetLine("labour", Decimal("250.00"))],
        schedule_impact_days=5,
        milestone_id=None,
        meta=META,
    )
    app.send_change_order(organisation_id=org, change_order_id=order.id, sent_to="client", meta=META)
    return order.id


def decision(
    cls: type[ChangeOrderApprovedByClientV1] | type[ChangeOrderRejectedByClientV1],
    org: UUID,
    project: UUID,
    order: UUID,
) -> bytes:
    payload = cls(
        approval_id=uuid4(),
        organisation_id=org,
        project_id=project,
        client_id=uuid4(),
        change_order_id=order,
        client_user_id=uuid4(),
        decided_by="Dana",
        comment="fine by us",
    )
    return envelope(payload, subject=payload.approval_id)


def test_a_client_approval_revises_the_budget_once(budget: Budget) -> None:
    org, project = uuid4(), uuid4()
    order = sent_change_order(budget, org, project)
    consumer = budget.client_decisions()
    approval = decision(ChangeOrderApprovedByClientV1, org, project, order)
    consumer.apply(incoming(approval, 0, "portal:0", PORTAL))
    consumer.apply(incoming(approval, 1, "portal:0", PORTAL))  # published again
    assert budget.application.change_order(org, order).status == "approved"
    assert budget.application.budget(org, project).current.total == Decimal("1250.00")
    assert len(budget.application.budget(org, project).revisions) == 2
    late_rejection = decision(ChangeOrderRejectedByClientV1, org, project, order)
    consumer.apply(incoming(late_rejection, 2, "portal:0", PORTAL))
    assert budget.application.change_order(org, order).status == "approved", "decided once"
    assert consumer.has_applied(incoming(late_rejection, 2, "portal:0", PORTAL).position)


def test_a_decision_about_an_unknown_change_order_is_poison(budget: Budget) -> None:
    org = uuid4()
    with pytest.raises(PoisonEvent, match="No change order"):
        budget.client_decisions().apply(
            incoming(decision(ChangeOrderApprovedByClientV1, org, uuid4(), uuid4()), 0, "portal:0", PORTAL)
        )
