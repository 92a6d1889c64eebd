"""What people type: emails, passwords, names and permission names."""

import pytest

from trellis_identity.domain.checks import (
    check_password,
    checked_name,
    checked_permissions,
    normalised_email,
)
from trellis_identity.domain.errors import IdentityRuleBroken


def test_emails_are_compared_lower_case_and_trimmed() -> None:
    assert normalised_email("  Olivia.Smith@Acme.TEST ") == "olivia.smith@acme.test"


@pytest.mark.parametrize(
    "email", ["", "olivia", "olivia@", "@acme.test", "o livia@acme.test", "a@b", "x" * 250 + "@a.test"]
)
def test_not_an_email(email: str) -> None:
    with pytest.raises(IdentityRuleBroken):
        normalised_email(email)


@pytest.mark.parametrize("password", ["short", " " * 20, "x" * 1025])
def test_weak_or_absurd_passwords_are_refused(password: str) -> None:
    with pytest.raises(IdentityRuleBroken):
        check_password(password)


def test_names_collapse_whitespace() -> None:
    assert checked_name("  Olivia \n  Smith ") == "Olivia Smith"


def test_permissions_are_sorted_and_deduplicated() -> None:
    assert checked_permissions(["planning.projects:write", "budget.lines:read", "budget.lines:read"]) == [
        "budget.lines:read",
        "planning.projects:write",
    ]
