"""An organisation's directory: who belongs, in which role, and the rules that hold."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trellis_identity.domain.errors import IdentityRuleBroken, NotAllowed, NotFound
from trellis_identity.domain.organisation import CLIENT, STAFF, Organisation
from trellis_identity.domain.roles import ADMIN, OWNER, STAFF_ROLES

META = {"actor": "test"}


def organisation_with_owner() -> tuple[Organisation, UUID]:
    organisation = Organisation.found(name="  Acme   Builders ", meta=META)
    owner = uuid4()
    organisation.add_staff_user(
        user_id=owner, email="o@acme.test", name="Olivia", roles=[OWNER], by_owner=True, meta=META
    )
    return organisation, owner


def test_an_organisation_is_founded_with_a_tidy_name() -> None:
    organisation, owner = organisation_with_owner()
    assert organisation.name == "Acme Builders"
    assert organisation.member(owner).roles == (OWNER,)
    assert organisation.member(owner).kind == STAFF


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_an_organisation_needs_a_name(name: str) -> None:
    with pytest.raises(IdentityRuleBroken):
        Organisation.found(name=name, meta=META)


def test_staff_roles_must_be_known_and_at_least_one() -> None:
    organisation, _ = organisation_with_owner()
    with pytest.raises(IdentityRuleBroken, match="at least one role"):
        organisation.add_staff_user(
            user_id=uuid4(), email="a@acme.test", name="A", roles=[], by_owner=True, meta=META
        )
    with pytest.raises(IdentityRuleBroken, match="Unknown staff role"):
        organisation.add_staff_user(
            user_id=uuid4(), email="a@acme.test", name="A", roles=["wizard"], by_owner=True, meta=META
        )


def test_only_an_owner_makes_an_owner() -> None:
    organisation, _ = organisation_with_owner()
    with pytest.raises(NotAllowed):
        organisation.add_staff_user(
            user_id=uuid4(), email="a@acme.test", name="A", roles=[OWNER], by_owner=False, meta=META
        )
    admin = uuid4()
    organisation.add_staff_user(
        user_id=admin, email="b@acme.test", name="B", roles=[ADMIN], by_owner=False, meta=META
    )
    with pytest.raises(NotAllowed):
        organisation.change_staff_roles(user_id=admin, roles=[OWNER], by_owner=False, meta=META)
    assert organisation.change_staff_roles(user_id=admin, roles=[OWNER, ADMIN], by_owner=True, meta=META)


def test_an_admin_cannot_touch_an_owner() -> None:
    organisation, owner = organisation_with_owner()
    with pytest.raises(NotAllowed):
        organisation.change_staff_roles(user_id=owner, roles=[ADMIN], by_owner=False, meta=META)
    with pytest.raises(NotAllowed):
        organisation.deactivate_staff_user(user_id=owner, by_owner=False, meta=META)


def test_the_last_owner_stays() -> None:
    organisation, owner = organisation_with_owner()
    with pytest.raises(IdentityRuleBroken, match="at least one active owner"):
        organisation.change_staff_roles(user_id=owner, roles=[ADMIN], by_owner=True, meta=META)
    with pytest.raises(IdentityRuleBroken, match="at least one active owner"):
        organisation.deactivate_staff_user(user_id=owner, by_owner=True, meta=META)
    second = uuid4()
    organisation.add_staff_user(
        user_id=second, email="s@acme.test", name="S", roles=[OWNER], by_owner=True, meta=META
    )
    organisation.deactivate_staff_user(user_id=owner, by_owner=True, meta=META)
    assert [m.user_id for m in organisation.active_owners()] == [second]


def test_unchanged_roles_record_nothing() -> None:
    organisation, owner = organisation_with_owner()
    version = organisation.version
    assert not organisation.change_staff_roles(user_id=owner, roles=[OWNER], by_owner=True, meta=META)
    assert organisation.version == version


def test_a_client_user_belongs_to_one_client_with_one_role() -> None:
    organisation, _ = organisation_with_owner()
    client, other = uuid4(), uuid4()
    organisation.add_client(client_id=client, name="Globex", meta=META)
    organisation.add_client(client_id=other, name="Initech", meta=META)
    user = uuid4()
    organisation.add_client_user(
        client_id=client, user_id=user, email="c@globex.test", name="Carl", role="approver", meta=META
    )
    member = organisation.client_user(client, user)
    assert (member.kind, member.client_id, member.roles) == (CLIENT, client, ("approver",))
    with pytest.raises(NotFound):
        organisation.client_user(other, user)
    with pytest.raises(IdentityRuleBroken, match="Unknown client role"):
        organisation.change_client_role(client_id=client, user_id=user, role="owner", meta=META)
    assert organisation.change_client_role(client_id=client, user_id=user, role="viewer", meta=META)
    removed = organisation.remove_client_user(client_id=client, user_id=user, meta=META)
    assert removed.roles == ("viewer",)
    with pytest.raises(NotFound):
        organisation.client_user(client, user)


def test_client_names_are_unique_whatever_the_case() -> None:
    organisation, _ = organisation_with_owner()
    organisation.add_client(client_id=uuid4(), name="Globex", meta=META)
    with pytest.raises(IdentityRuleBroken, match="already"):
        organisation.add_client(client_id=uuid4(), name="GLOBEX", meta=META)


def test_a_client_user_needs_an_existing_client() -> None:
    organisation, _ = organisation_with_owner()
    with pytest.raises(NotFound):
        organisation.add_client_user(
            client_id=uuid4(), user_id=uuid4(), email="c@x.test", name="C", role="viewer", meta=META
        )


@pytest.mark.parametrize("permissions", [[], ["planning"], ["Planning.projects:read"], ["a.b:c d"]])
def test_api_key_permissions_are_named_context_thing_action(permissions: list[str]) -> None:
    organisation, _ = organisation_with_owner()
    with pytest.raises(IdentityRuleBroken):
        organisation.create_api_key(
            key_id=uuid4(), name="ERP", permissions=permissions, created_at=datetime.now(UTC), meta=META
        )


def test_an_api_key_is_revoked_once() -> None:
    organisation, _ = organisation_with_owner()
    key = uuid4()
    organisation.create_api_key(
        key_id=key,
        name="ERP",
        permissions=["planning.projects:read"],
        created_at=datetime.now(UTC),
        meta=META,
    )
    assert organisation.revoke_api_key(key_id=key, meta=META)
    assert not organisation.revoke_api_key(key_id=key, meta=META)
    assert not organisation.api_key(key).active


roles = st.lists(st.sampled_from(sorted(STAFF_ROLES)), min_size=1, max_size=3)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(["roles", "deactivate"]), roles, st.booleans()),
        max_size=25,
    )
)
def test_whatever_happens_an_active_owner_remains(changes: list[tuple[int, str, list[str], bool]]) -> None:
    organisation, owner = organisation_with_owner()
    people = [owner]
    for n in range(3):
        person = uuid4()
        organisation.add_staff_user(
            user_id=person, email=f"p{n}@acme.test", name=f"P{n}", roles=["member"], by_owner=True, meta=META
        )
        people.append(person)
    for who, change, new_roles, by_owner in changes:
        try:
            if change == "roles":
                organisation.change_staff_roles(
                    user_id=people[who], roles=new_roles, by_owner=by_owner, meta=META
                )
            else:
                organisation.deactivate_staff_user(user_id=people[who], by_owner=by_owner, meta=META)
        except (IdentityRuleBroken, NotAllowed, NotFound):
            pass
        assert organisation.active_owners(), "an organisation always keeps an active owner"
    replayed = Organisation.__new__(Organisation)
    for event in organisation.collect_events():
        replayed = event.mutate(None if event.originator_version == 1 else replayed)  # type: ignore[assignment]
    assert replayed.members == organisation.members
