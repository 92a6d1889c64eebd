"""An organisation's workflow and naming rules: a violation names the rule it broke."""

import pytest

from trellis_planning.domain.naming import NamingSubject, new_naming_rule
from trellis_planning.domain.plan_errors import NamingRuleBroken, WorkflowRuleBroken
from trellis_planning.domain.templates.construction import WORKFLOW as CONSTRUCTION
from trellis_planning.domain.workflow import DEFAULT_WORKFLOW, Status, StatusCategory, new_workflow


def test_an_allowed_move_gives_the_target_status_and_its_category() -> None:
    target = CONSTRUCTION.check_transition("in_progress", "awaiting_inspection")
    assert target.category == StatusCategory.IN_PROGRESS


def test_a_move_the_workflow_does_not_list_is_refused_naming_the_rule_and_the_way_out() -> None:
    with pytest.raises(WorkflowRuleBroken) as refused:
        CONSTRUCTION.check_transition("not_started", "complete")
    message = str(refused.value)
    assert "Workflow 'Construction with inspections' does not allow 'Not started' -> 'Complete'" in message
    assert "'Scheduled', 'In progress', 'Change order pending'" in message


def test_an_unknown_status_is_named() -> None:
    with pytest.raises(WorkflowRuleBroken, match="has no status 'archived'"):
        DEFAULT_WORKFLOW.check_transition("todo", "archived")


def test_a_replacing_workflow_keeps_every_status_it_had() -> None:
    with pytest.raises(WorkflowRuleBroken, match="cannot drop statuses"):
        new_workflow(
            workflow_id="default",
            name="Slim",
            previous=DEFAULT_WORKFLOW,
            statuses=[
                Status("todo", "To do", StatusCategory.TODO),
                Status("done", "Done", StatusCategory.DONE),
            ],
            transitions={"todo": ["done"]},
        )


def test_a_retired_status_takes_no_new_tasks() -> None:
    workflow = new_workflow(
        workflow_id="w",
        name="W",
        transitions={"a": ["b", "c"]},
        statuses=[
            Status("a", "A", StatusCategory.TODO),
            Status("b", "B", StatusCategory.IN_PROGRESS, retired=True),
            Status("c", "C", StatusCategory.DONE),
        ],
    )
    with pytest.raises(WorkflowRuleBroken, match="retired"):
        workflow.check_transition("a", "b")


@pytest.mark.parametrize(
    ("statuses", "transitions", "says"),
    [
        ([], {}, "1 to 30 statuses"),
        ([Status("a", "A", StatusCategory.TODO)], {}, "at least one status in the 'done' category"),
        ([Status("a", "A", StatusCategory.TODO), Status("a", "B", StatusCategory.DONE)], {}, "distinct"),
        (
            [Status("a", "A", StatusCategory.TODO), Status("d", "D", StatusCategory.DONE)],
            {"a": ["x"]},
            "unknown status 'x'",
        ),
        ([Status("A!", "A", StatusCategory.TODO), Status("d", "D", StatusCategory.DONE)], {}, "Status key"),
    ],
)
def test_a_bad_workflow_is_refused_saying_why(
    statuses: list[Status], transitions: dict[str, list[str]], says: str
) -> None:
    with pytest.raises(WorkflowRuleBroken, match=says):
        new_workflow(workflow_id="w", name="W", statuses=statuses, transitions=transitions)


def test_a_name_must_match_the_rule_in_full_and_the_refusal_quotes_it() -> None:
    rule = new_naming_rule(
        subject="task_title", pattern=r"[A-Z]{2,5}-\d+ .+", description="Start with a ticket key"
    )
    rule.check("OPS-12 Pour the slab")
    with pytest.raises(NamingRuleBroken) as refused:
        rule.check("pour the slab")
    assert "Naming rule 'task_title' (Start with a ticket key; pattern [A-Z]{2,5}-\\d+ .+)" in str(
        refused.value
    )
    assert rule.subject == NamingSubject.TASK_TITLE


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        ("(a+)+$", "exponential"),
        ("(x|xy)*z", "exponential"),
        (".*.*.*.*z", "unbounded repeats"),
        ("[unclosed", "not a regular expression"),
        ("x" * 201, "1 to 200"),
    ],
)
def test_a_pattern_that_could_hang_the_server_or_is_not_one_is_refused(pattern: str, says: str) -> None:
    with pytest.raises(NamingRuleBroken, match=says):
        new_naming_rule(subject="task_title", pattern=pattern, description="")


def test_a_rule_applies_to_a_known_kind_of_name() -> None:
    with pytest.raises(NamingRuleBroken, match="applies to one of"):
        new_naming_rule(subject="client_name", pattern="x", description="")
