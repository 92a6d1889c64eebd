"""Grants and visibility: one record per project, changed only by real changes."""

from __future__ import annotations

from uuid import uuid4

import pytest

from trellis_portal.application.portal import PortalApplication
from trellis_portal.application.refs import ClientUserRef, ProjectRef
from trellis_portal.domain.errors import NotFound, PortalRuleBroken
from trellis_portal.domain.ids import access_id
from trellis_portal.domain.project_access import ProjectAccess
from trellis_portal.domain.visibility import BudgetMode, Visibility

META = {"actor": "staff:pm"}


@pytest.fixture
def app() -> PortalApplication:
    return PortalApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def opened() -> ProjectAccess:
    access = ProjectAccess(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4(), meta=META)
    access.collect_events()
    return access


def test_a_projects_access_record_has_an_id_derived_from_the_project() -> None:
    project = uuid4()
    access = ProjectAccess(organisation_id=uuid4(), project_id=project, client_id=uuid4(), meta=META)
    assert access.id == access_id(project)


def test_granting_records_one_event_and_granting_again_none() -> None:
    access = opened()
    user = uuid4()
    assert access.grant(client_user_id=user, user_client_id=access.client_id, meta=META)
    assert not access.grant(client_user_id=user, user_client_id=access.client_id, meta=META)
    (granted,) = access.collect_events()
    assert isinstance(granted, ProjectAccess.Granted)
    assert (granted.client_user_id, granted.project_id, granted.meta) == (user, access.project_id, META)


def test_a_user_of_another_client_is_never_granted() -> None:
    access = opened()
    with pytest.raises(PortalRuleBroken, match="another client"):
        access.grant(client_user_id=uuid4(), user_client_id=uuid4(), meta=META)
    assert access.collect_events() == []


def test_revoking_needs_a_grant() -> None:
    access = opened()
    user = uuid4()
    with pytest.raises(NotFound):
        access.revoke(client_user_id=user, meta=META)
    access.grant(client_user_id=user, user_client_id=access.client_id, meta=META)
    access.revoke(client_user_id=user, meta=META)
    assert access.grantees == []


def test_visibility_starts_conservative_and_changes_only_when_it_changes() -> None:
    access = opened()
    assert access.visibility == Visibility(milestones=True, tasks=False, documents=True, time=False,
                                           health=True, budget=BudgetMode.HIDDEN)
    assert not access.set_visibility(Visibility(), META)
    shown = Visibility(time=True, budget=BudgetMode.PERCENT)
    assert access.set_visibility(shown, META)
    (changed,) = access.collect_events()
    assert isinstance(changed, ProjectAccess.VisibilityChanged)
    assert changed.visibility["budget"] == "percent"
    assert access.visibility == shown


def test_the_first_grant_opens_the_record_in_the_same_save(app: PortalApplication) -> None:
    project = ProjectRef(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4())
    user = ClientUserRef(organisation_id=project.organisation_id, user_id=uuid4(),
                         client_id=project.client_id)
    assert app.grant_access(project, user, META)
    assert app.recorder.max_notification_id() == 2, "opened and granted, together"
    found = app.project_access(project)
    assert found is not None
    assert found.grantees == [user.user_id]


def test_another_organisation_never_finds_the_record(app: PortalApplication) -> None:
    project = ProjectRef(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4())
    app.set_visibility(project, Visibility(tasks=True), META)
    intruder = ProjectRef(organisation_id=uuid4(), project_id=project.project_id, client_id=project.client_id)
    assert app.project_access(intruder) is None
