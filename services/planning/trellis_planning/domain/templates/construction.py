"""Construction: a build in phases, each closed by an inspection, with change orders that
can interrupt any piece of work.

The workflow puts inspected work through "Awaiting inspection" (a failed inspection goes
to "Rework"), and lets any open task go to "Change order pending" until the change is
priced and approved.
"""

from __future__ import annotations

from trellis_planning.domain.custom_fields import CustomField, FieldScope, FieldType
from trellis_planning.domain.template import MilestoneSpec, TemplateDefinition
from trellis_planning.domain.templates.building_blocks import after, chain, finish_with, task, together
from trellis_planning.domain.workflow import StatusCategory, new_workflow, status

WORKFLOW = new_workflow(
    workflow_id="construction",
    name="Construction with inspections",
    statuses=[
        status("not_started", "Not started", StatusCategory.TODO),
        status("scheduled", "Scheduled", StatusCategory.TODO),
        status("in_progress", "In progress", StatusCategory.IN_PROGRESS, wip_limit=8),
        status("awaiting_inspection", "Awaiting inspection", StatusCategory.IN_PROGRESS, wip_limit=4),
        status("rework", "Rework", StatusCategory.IN_PROGRESS),
        status("change_order", "Change order pending", StatusCategory.IN_PROGRESS),
        status("complete", "Complete", StatusCategory.DONE),
    ],
    transitions={
        "not_started": ["scheduled", "in_progress", "change_order"],
        "scheduled": ["not_started", "in_progress", "change_order"],
        "in_progress": ["awaiting_inspection", "complete", "change_order"],
        "awaiting_inspection": ["complete", "rework"],
        "rework": ["awaiting_inspection", "change_order"],
        "change_order": ["scheduled", "in_progress", "not_started"],
        "complete": ["rework"],
    },
)


def _field(key: str, name: str, type_: FieldType, *choices: str) -> CustomField:
    return CustomField(
        id=f"construction.{key}", name=name, type=type_, choices=choices, scope=FieldScope.PROJECT
    )


FIELDS = (
    _field(
        "trade",
        "Trade",
        FieldType.SINGLE_CHOICE,
        "General",
        "Concrete",
        "Carpentry",
        "Roofing",
        "Electrical",
        "Plumbing",
        "HVAC",
        "Finishes",
    ),
    _field("permit_number", "Permit number", FieldType.TEXT),
    _field("inspection_date", "Inspection date", FieldType.DATE),
    _field(
        "inspection_result",
        "Inspection result",
        FieldType.SINGLE_CHOICE,
        "Passed",
        "Failed",
        "Passed with conditions",
    ),
    _field("change_order_value", "Change order value", FieldType.MONEY),
    _field("site_supervisor", "Site supervisor", FieldType.USER),
)

MILESTONES = (
    MilestoneSpec("preconstruction", "Pre-construction complete"),
    MilestoneSpec("foundation", "Foundation inspected"),
    MilestoneSpec("dry_in", "Structure dried in"),
    MilestoneSpec("rough_in", "Rough-in inspections passed"),
    MilestoneSpec("completion", "Practical completion"),
    MilestoneSpec("handover", "Handover to client"),
)

TASKS = (
    task("survey", "Site survey and soil test", "preconstruction", days=3, hours=24, tags=("survey",)),
    task(
        "permits",
        "Building permit and approvals",
        "preconstruction",
        days=15,
        hours=16,
        tags=("permit",),
        priority="high",
    ),
    task("mobilise", "Site mobilisation and hoarding", "preconstruction", days=3, hours=40),
    task("excavate", "Excavation and earthworks", "foundation", days=5, hours=80, tags=("groundworks",)),
    task("pour", "Footings and slab pour", "foundation", days=4, hours=96, tags=("concrete",)),
    task(
        "foundation_inspection",
        "Foundation inspection",
        "foundation",
        days=1,
        hours=4,
        tags=("inspection",),
        priority="high",
    ),
    task("framing", "Structural framing", "dry_in", days=10, hours=240, tags=("carpentry",)),
    task("roofing", "Roof structure and covering", "dry_in", days=6, hours=120, tags=("roofing",)),
    task("envelope", "Windows, doors and weatherproofing", "dry_in", days=5, hours=80),
    task("electrical", "Electrical rough-in", "rough_in", days=6, hours=96, tags=("electrical",)),
    task("plumbing", "Plumbing rough-in", "rough_in", days=6, hours=96, tags=("plumbing",)),
    task("hvac", "HVAC rough-in", "rough_in", days=5, hours=80, tags=("hvac",)),
    task(
        "rough_in_inspection",
        "Rough-in inspection",
        "rough_in",
        days=1,
        hours=4,
        tags=("inspection",),
        priority="high",
    ),
    task("insulation", "Insulation and drywall", "completion", days=8, hours=160),
    task("finishes", "Joinery, tiling and paint", "completion", days=12, hours=240, tags=("finishes",)),
    task(
        "final_inspection",
        "Final inspection and occupancy certificate",
        "completion",
        days=1,
        hours=6,
        tags=("inspection",),
        priority="urgent",
    ),
    task("snagging", "Snagging (punch list)", "handover", days=4, hours=48),
    task("handover_pack", "Handover pack: warranties, manuals, as-builts", "handover", days=2, hours=16),
)

DEPENDENCIES = (
    *chain("survey", "permits", "mobilise", "excavate", "pour", "foundation_inspection", "framing"),
    together("framing", "roofing", 5),
    *after("roofing", "envelope"),
    together("envelope", "electrical", 2),
    together("electrical", "plumbing"),
    together("electrical", "hvac", 1),
    *after("electrical", "rough_in_inspection"),
    *after("plumbing", "rough_in_inspection"),
    *after("hvac", "rough_in_inspection"),
    *chain("rough_in_inspection", "insulation", "finishes"),
    finish_with("finishes", "final_inspection", 1),
    *chain("final_inspection", "snagging", "handover_pack"),
)

CONSTRUCTION = TemplateDefinition(
    key="construction",
    name="Construction: new build with inspections",
    industry="construction",
    description="Phased build from permits to handover; every phase closes with an inspection, "
    "and any open task can be held for a change order.",
    workflow=WORKFLOW,
    custom_fields=FIELDS,
    milestones=MILESTONES,
    tasks=TASKS,
    dependencies=DEPENDENCIES,
)
