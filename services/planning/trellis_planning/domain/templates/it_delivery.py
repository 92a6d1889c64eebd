"""IT and consulting delivery: discovery, sprints, user acceptance testing, go-live and
hypercare.

The workflow is a delivery board: backlog and ready, in progress, in review, testing,
and a "Blocked" state any active item can fall into and come back from.
"""

from __future__ import annotations

from trellis_planning.domain.custom_fields import CustomField, FieldScope, FieldType
from trellis_planning.domain.template import MilestoneSpec, TemplateDefinition
from trellis_planning.domain.templates.building_blocks import after, chain, task, together
from trellis_planning.domain.workflow import StatusCategory, new_workflow, status

WORKFLOW = new_workflow(
    workflow_id="delivery",
    name="Delivery board",
    statuses=[
        status("backlog", "Backlog", StatusCategory.TODO),
        status("ready", "Ready", StatusCategory.TODO),
        status("in_progress", "In progress", StatusCategory.IN_PROGRESS, wip_limit=6),
        status("in_review", "In review", StatusCategory.IN_PROGRESS, wip_limit=4),
        status("testing", "Testing", StatusCategory.IN_PROGRESS, wip_limit=4),
        status("blocked", "Blocked", StatusCategory.IN_PROGRESS),
        status("done", "Done", StatusCategory.DONE),
    ],
    transitions={
        "backlog": ["ready"],
        "ready": ["backlog", "in_progress"],
        "in_progress": ["in_review", "blocked", "ready"],
        "in_review": ["in_progress", "testing", "blocked"],
        "testing": ["in_progress", "done", "blocked"],
        "blocked": ["in_progress", "ready"],
        "done": ["in_progress"],
    },
)


def _field(key: str, name: str, type_: FieldType, *choices: str) -> CustomField:
    return CustomField(id=f"delivery.{key}", name=name, type=type_, choices=choices, scope=FieldScope.PROJECT)


FIELDS = (
    _field("story_points", "Story points", FieldType.NUMBER),
    _field(
        "sprint",
        "Sprint",
        FieldType.SINGLE_CHOICE,
        "Discovery",
        "Sprint 1",
        "Sprint 2",
        "Sprint 3",
        "UAT",
        "Go-live",
    ),
    _field("environments", "Environments", FieldType.MULTI_CHOICE, "Dev", "Test", "UAT", "Production"),
    _field("ticket", "Ticket reference", FieldType.TEXT),
    _field("uat_signoff_by", "UAT signed off by", FieldType.USER),
    _field("change_request_value", "Change request value", FieldType.MONEY),
)

MILESTONES = (
    MilestoneSpec("discovery", "Discovery complete"),
    MilestoneSpec("sprint_1", "Sprint 1 review"),
    MilestoneSpec("sprint_2", "Sprint 2 review"),
    MilestoneSpec("sprint_3", "Sprint 3 review"),
    MilestoneSpec("uat", "UAT sign-off"),
    MilestoneSpec("go_live", "Go-live"),
    MilestoneSpec("hypercare", "Hypercare exit"),
)

TASKS = (
    task("interviews", "Stakeholder interviews", "discovery", days=4, hours=32),
    task("assessment", "Current-state assessment", "discovery", days=4, hours=40),
    task("backlog", "Requirements and prioritised backlog", "discovery", days=3, hours=32, priority="high"),
    task("architecture", "Solution architecture", "discovery", days=4, hours=40),
    task("readout", "Discovery readout to the client", "discovery", days=1, hours=8),
    task("environments", "Environments and CI pipeline", "sprint_1", days=3, hours=24),
    task("s1_build", "Sprint 1 build: core data model and login", "sprint_1", days=10, hours=240),
    task("s1_review", "Sprint 1 review and demo", "sprint_1", days=1, hours=8),
    task("s2_build", "Sprint 2 build: workflows and integrations", "sprint_2", days=10, hours=240),
    task("s2_review", "Sprint 2 review and demo", "sprint_2", days=1, hours=8),
    task("s3_build", "Sprint 3 build: reporting and hardening", "sprint_3", days=10, hours=240),
    task("migration", "Data migration rehearsal", "sprint_3", days=5, hours=60),
    task("s3_review", "Sprint 3 review and demo", "sprint_3", days=1, hours=8),
    task("uat_plan", "UAT test plan and scripts", "uat", days=3, hours=24),
    task("uat_run", "UAT execution with client testers", "uat", days=8, hours=64, priority="high"),
    task("uat_fixes", "UAT defect fixing", "uat", days=6, hours=96),
    task("uat_signoff", "UAT sign-off", "uat", days=1, hours=2, priority="urgent"),
    task("cutover", "Cutover plan and go/no-go", "go_live", days=2, hours=16),
    task("deploy", "Production deployment", "go_live", days=1, hours=16, priority="urgent"),
    task("hypercare", "Hypercare support", "hypercare", days=10, hours=80),
    task("support_handover", "Handover to the support team", "hypercare", days=2, hours=16),
)

DEPENDENCIES = (
    together("interviews", "assessment", 1),
    *after("interviews", "backlog"),
    *after("assessment", "architecture"),
    *after("backlog", "readout"),
    *after("architecture", "readout"),
    *after("readout", "environments", "s1_build"),
    together("environments", "s1_build"),
    *chain("s1_build", "s1_review", "s2_build", "s2_review", "s3_build", "s3_review"),
    together("s3_build", "migration", 3),
    *after("migration", "s3_review"),
    together("s2_build", "uat_plan", 5),
    *after("s3_review", "uat_run"),
    *after("uat_plan", "uat_run"),
    together("uat_run", "uat_fixes", 2),
    *after("uat_fixes", "uat_signoff"),
    *after("uat_run", "uat_signoff"),
    *chain("uat_signoff", "cutover", "deploy", "hypercare", "support_handover"),
)

IT_DELIVERY = TemplateDefinition(
    key="it-delivery",
    name="IT and consulting delivery: discovery, sprints, UAT, go-live",
    industry="IT and consulting",
    description="Discovery, three two-week sprints, user acceptance testing with the client, "
    "production go-live and hypercare.",
    workflow=WORKFLOW,
    custom_fields=FIELDS,
    milestones=MILESTONES,
    tasks=TASKS,
    dependencies=DEPENDENCIES,
)
