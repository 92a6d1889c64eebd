"""Naming rules: an organisation's pattern for task titles, milestone and project names.

A name must match its rule's pattern in full (``re.fullmatch``). A refusal names the
rule, its description and its pattern. Patterns are written by tenants and run on our
servers, so a pattern that could backtrack exponentially (a quantified group that itself
holds a quantifier or an alternation) or polynomially without bound (more than
``MAX_UNBOUNDED`` unbounded quantifiers) is refused when the rule is defined.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trellis_planning.domain.plan_errors import NamingRuleBroken

MAX_PATTERN_LENGTH = 200
MAX_UNBOUNDED = 3


class NamingSubject(StrEnum):
    TASK_TITLE = "task_title"
    MILESTONE_NAME = "milestone_name"
    PROJECT_NAME = "project_name"


@dataclass(frozen=True)
class NamingRule:
    subject: NamingSubject
    pattern: str
    description: str

    def check(self, value: str) -> None:
        if re.fullmatch(self.pattern, value) is None:
            raise NamingRuleBroken(
                f"Naming rule '{self.subject.value}' ({self.description}; pattern {self.pattern}) "
                f"is broken by {value!r}."
            )

    def to_record(self) -> dict[str, Any]:
        return {"subject": self.subject.value, "pattern": self.pattern, "description": self.description}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> NamingRule:
        return cls(
            subject=NamingSubject(record["subject"]),
            pattern=record["pattern"],
            description=record["description"],
        )


def new_naming_rule(*, subject: str, pattern: str, description: str) -> NamingRule:
    try:
        rule_subject = NamingSubject(subject)
    except ValueError:
        allowed = ", ".join(s.value for s in NamingSubject)
        raise NamingRuleBroken(f"A naming rule applies to one of: {allowed}; not {subject!r}.") from None
    if not pattern or len(pattern) > MAX_PATTERN_LENGTH:
        raise NamingRuleBroken(f"A naming pattern has 1 to {MAX_PATTERN_LENGTH} characters.")
    try:
        re.compile(pattern)
    except re.error as error:
        raise NamingRuleBroken(f"Naming pattern {pattern!r} is not a regular expression: {error}.") from None
    _check_backtracking(pattern)
    description = description.strip() or f"{rule_subject.value} must match {pattern}"
    return NamingRule(subject=rule_subject, pattern=pattern, description=description[:200])


def check_name(rules: Mapping[NamingSubject, NamingRule], subject: NamingSubject, value: str) -> None:
    rule = rules.get(subject)
    if rule is not None:
        rule.check(value)


@dataclass
class _Group:
    quantified_inside: bool = False
    alternation: bool = False


def _check_backtracking(pattern: str) -> None:
    stack = [_Group()]
    unbounded = 0
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _end_of_class(pattern, i)
            continue
        if char == "(":
            stack.append(_Group())
        elif char == "|":
            stack[-1].alternation = True
        elif char == ")" and len(stack) > 1:
            group = stack.pop()
            quantifier = _quantifier_at(pattern, i + 1)
            if quantifier and (group.quantified_inside or group.alternation):
                raise NamingRuleBroken(
                    f"Naming pattern {pattern!r} repeats a group that itself repeats or alternates; "
                    "such patterns can take exponential time. Simplify it."
                )
            stack[-1].quantified_inside |= group.quantified_inside or bool(quantifier)
        elif (quantifier := _quantifier_at(pattern, i)) and not _follows_group_open(pattern, i):
            stack[-1].quantified_inside = True
            unbounded += quantifier == "unbounded"
        i += 1
    if unbounded > MAX_UNBOUNDED:
        raise NamingRuleBroken(
            f"Naming pattern {pattern!r} has more than {MAX_UNBOUNDED} unbounded repeats (*, +, {{n,}})."
        )


def _end_of_class(pattern: str, start: int) -> int:
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


_BOUNDED = re.compile(r"\{\d+(,\d+)?\}")
_UNBOUNDED = re.compile(r"\{\d*,\}")


def _quantifier_at(pattern: str, i: int) -> str:
    """'unbounded', 'bounded' or '' for whatever quantifier starts at ``i``."""
    if i >= len(pattern):
        return ""
    if pattern[i] in "*+":
        return "unbounded"
    if pattern[i] == "?":
        return "bounded"
    if _UNBOUNDED.match(pattern, i):
        return "unbounded"
    if _BOUNDED.match(pattern, i):
        return "bounded"
    return ""


def _follows_group_open(pattern: str, i: int) -> bool:
    """A '?' right after '(' opens a special group; one after a quantifier makes it lazy."""
    return pattern[i] == "?" and i > 0 and pattern[i - 1] in "(*+?}"
