"""Threads: both sides post, only staff write internal notes. Surveys: one answer per user."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from trellis_portal.application.portal import PortalApplication
from trellis_portal.application.refs import ClientUserRef, ProjectRef, SurveyRef
from trellis_portal.domain.errors import Conflict, NotFound, PortalRuleBroken
from trellis_portal.domain.ids import survey_id, survey_response_id
from trellis_portal.domain.thread import AuthorKind, Thread

META = {"actor": "staff:pm"}


@pytest.fixture
def app() -> PortalApplication:
    return PortalApplication(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


@pytest.fixture
def project() -> ProjectRef:
    return ProjectRef(organisation_id=uuid4(), project_id=uuid4(), client_id=uuid4())


def test_a_thread_opens_with_a_message_both_sides_can_read(app: PortalApplication,
                                                           project: ProjectRef) -> None:
    thread, _ = app.start_thread(project, subject="Site access", body="Gate code?",
                                 author="client:u", author_kind=AuthorKind.CLIENT, meta=META)
    app.post_message(project, thread.id, body="Ask the foreman", author="staff:s",
                     author_kind=AuthorKind.STAFF, internal=True, meta=META)
    stored: list[Any] = list(app.events.get(thread.id))
    assert [type(e).__qualname__ for e in stored] == ["Thread.Started", "Thread.MessagePosted",
                                                      "Thread.MessagePosted"]
    assert [e.internal for e in stored[1:]] == [False, True]


def test_a_client_cannot_write_an_internal_note(app: PortalApplication, project: ProjectRef) -> None:
    thread, _ = app.start_thread(project, subject="Snags", body="List attached", author="staff:s",
                                 author_kind=AuthorKind.STAFF, meta=META)
    with pytest.raises(PortalRuleBroken, match="staff"):
        app.post_message(project, thread.id, body="psst", author="client:u", author_kind=AuthorKind.CLIENT,
                         internal=True, meta=META)


@pytest.mark.parametrize(("subject", "body"), [("", "hello"), ("Hi", "   "), ("x" * 201, "hello")])
def test_empty_or_overlong_texts_are_refused(subject: str, body: str) -> None:
    def start_and_post() -> None:
        thread = Thread.start(organisation_id=uuid4(), project_id=uuid4(), subject=subject,
                              started_by="s", meta=META)
        thread.post(message_id=uuid4(), author="s", author_kind=AuthorKind.STAFF, body=body,
                    internal=False, meta=META)

    with pytest.raises(PortalRuleBroken):
        start_and_post()


def test_a_thread_of_another_project_is_not_found(app: PortalApplication, project: ProjectRef) -> None:
    thread, _ = app.start_thread(project, subject="Snags", body="List", author="staff:s",
                                 author_kind=AuthorKind.STAFF, meta=META)
    other = ProjectRef(organisation_id=uuid4(), project_id=project.project_id, client_id=project.client_id)
    with pytest.raises(NotFound):
        app.post_message(other, thread.id, body="hi", author="staff:x", author_kind=AuthorKind.STAFF,
                         internal=False, meta=META)


def member(project: ProjectRef) -> ClientUserRef:
    return ClientUserRef(organisation_id=project.organisation_id, user_id=uuid4(),
                         client_id=project.client_id)


def survey() -> SurveyRef:
    milestone = uuid4()
    return SurveyRef(survey_id=survey_id(milestone), milestone_id=milestone)


def test_one_answer_per_user_and_survey(app: PortalApplication, project: ProjectRef) -> None:
    sent = survey()
    user = member(project)
    answer = app.answer_survey(project, sent, user, csat=5, nps=9, comment="Great", meta=META)
    assert answer.id == survey_response_id(sent.survey_id, user.user_id)
    with pytest.raises(Conflict, match="already answered"):
        app.answer_survey(project, sent, user, csat=1, nps=0, comment="", meta=META)
    colleague = member(project)
    app.answer_survey(project, sent, colleague, csat=3, nps=6, comment="", meta=META)


@pytest.mark.parametrize(("csat", "nps"), [(0, 5), (6, 5), (3, -1), (3, 11)])
def test_scores_stay_in_their_scales(app: PortalApplication, project: ProjectRef, csat: int,
                                     nps: int) -> None:
    user = member(project)
    with pytest.raises(PortalRuleBroken):
        app.answer_survey(project, survey(), user, csat=csat, nps=nps, comment="", meta=META)
    assert app.recorder.max_notification_id() is None
