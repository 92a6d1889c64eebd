"""Every event the portal context publishes in version 1, in the order they are listed."""

from __future__ import annotations

from trellis_contracts.event_contract import EventContract
from trellis_contracts.portal.access_v1 import (
    ProjectAccessGrantedV1,
    ProjectAccessRevokedV1,
    ProjectVisibilityChangedV1,
)
from trellis_contracts.portal.approvals_v1 import (
    ApprovalRequestedV1,
    ChangeOrderApprovedByClientV1,
    ChangeOrderRejectedByClientV1,
    DeliverableApprovedV1,
    DeliverableRejectedV1,
)
from trellis_contracts.portal.messages_v1 import MessagePostedV1
from trellis_contracts.portal.surveys_v1 import SurveyAnsweredV1

PORTAL_CONTRACTS_V1: tuple[type[EventContract], ...] = (
    ProjectAccessGrantedV1,
    ProjectAccessRevokedV1,
    ProjectVisibilityChangedV1,
    ApprovalRequestedV1,
    DeliverableApprovedV1,
    DeliverableRejectedV1,
    ChangeOrderApprovedByClientV1,
    ChangeOrderRejectedByClientV1,
    MessagePostedV1,
    SurveyAnsweredV1,
)
