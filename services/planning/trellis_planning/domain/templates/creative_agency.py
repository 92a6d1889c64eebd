"""Creative agency: a campaign from brief to delivery, through concepts and client review
rounds.

The workflow separates internal review from client review; a client review either approves
the work or sends it to "Revisions", and each round is a task of its own so the plan shows
how many rounds were budgeted.
"""

from __future__ import annotations

from trellis_planning.domain.custom_fields import CustomField, FieldScope, FieldType
from trellis_planning.domain.template import MilestoneSpec, TemplateDefinition
from trellis_planning.domain.templates.building_blocks import after, chain, task, together
from trellis_planning.domain.workflow import StatusCategory, new_workflow, status

WORKFLOW = new_workflow(
    workflow_id="creative",
    name="Creative with client review",
    statuses=[
        status("briefed", "Briefed", StatusCategory.TODO),
        status("in_production", "In production", StatusCategory.IN_PROGRESS, wip_limit=5),
        status("internal_review", "Internal review", StatusCategory.IN_PROGRESS, wip_limit=3),
        status("client_review", "Client review", StatusCategory.IN_PROGRESS, wip_limit=4),
        status("revisions", "Revisions", StatusCategory.IN_PROGRESS),
        status("approved", "Approved", StatusCategory.DONE),
    ],
    transitions={
        "briefed": ["in_production"],
        "in_production": ["internal_review", "briefed"],
        "internal_review": ["in_production", "client_review", "approved"],
        "client_review": ["revisions", "approved"],
        "revisions": ["internal_review", "client_review"],
        "approved": ["revisions"],
    },
)


def _field(key: str, name: str, type_: FieldType, *choices: str) -> CustomField:
    return CustomField(id=f"creative.{key}", name=name, type=type_, choices=choices, scope=FieldScope.PROJECT)


FIELDS = (
    _field(
        "deliverable",
        "Deliverable type",
        FieldType.SINGLE_CHOICE,
        "Strategy",
        "Copy",
        "Design",
        "Video",
        "Social",
        "Print",
    ),
    _field(
        "channels", "Channels", FieldType.MULTI_CHOICE, "Web", "Social", "Print", "Outdoor", "TV", "Email"
    ),
    _field("review_round", "Review round", FieldType.NUMBER),
    _field("account_lead", "Account lead", FieldType.USER),
    _field("production_budget", "Production budget", FieldType.MONEY),
)

MILESTONES = (
    MilestoneSpec("brief", "Brief signed off"),
    MilestoneSpec("concept", "Concept approved"),
    MilestoneSpec("design", "Designs approved"),
    MilestoneSpec("delivery", "Final assets delivered"),
)

TASKS = (
    task("kickoff", "Kick-off workshop with the client", "brief", days=1, hours=12),
    task("brief", "Write the creative brief", "brief", days=3, hours=16, priority="high"),
    task("research", "Audience and competitor research", "concept", days=4, hours=32),
    task("concepts", "Develop three concept routes", "concept", days=6, hours=72),
    task("concept_review", "Internal concept review", "concept", days=1, hours=6),
    task("concept_presentation", "Present concepts to the client", "concept", days=1, hours=8),
    task(
        "round_1",
        "Client review round 1: concept feedback",
        "concept",
        days=3,
        hours=8,
        tags=("client-review",),
    ),
    task("refine", "Refine the chosen concept", "design", days=4, hours=40),
    task("copy", "Copywriting", "design", days=5, hours=30),
    task("design", "Design production", "design", days=8, hours=96),
    task("round_2", "Client review round 2: designs", "design", days=3, hours=8, tags=("client-review",)),
    task("revise", "Revisions from round 2", "design", days=3, hours=24),
    task(
        "round_3",
        "Client review round 3: final sign-off",
        "design",
        days=2,
        hours=4,
        tags=("client-review",),
        priority="high",
    ),
    task("artwork", "Final artwork and asset export", "delivery", days=3, hours=30),
    task("handover", "Delivery and asset handover", "delivery", days=1, hours=4),
)

DEPENDENCIES = (
    *chain(
        "kickoff",
        "brief",
        "research",
        "concepts",
        "concept_review",
        "concept_presentation",
        "round_1",
        "refine",
    ),
    together("refine", "copy", 1),
    together("refine", "design", 2),
    *after("copy", "round_2"),
    *after("design", "round_2"),
    *chain("round_2", "revise", "round_3", "artwork", "handover"),
)

CREATIVE_AGENCY = TemplateDefinition(
    key="creative-agency",
    name="Creative agency: campaign with client review rounds",
    industry="creative agency",
    description="From kick-off and brief through concept routes and three client review rounds "
    "to final artwork.",
    workflow=WORKFLOW,
    custom_fields=FIELDS,
    milestones=MILESTONES,
    tasks=TASKS,
    dependencies=DEPENDENCIES,
)
