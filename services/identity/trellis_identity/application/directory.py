"""Sign-up, and the organisation's directory: staff users and their roles, clients and
their users. Removing someone releases their email and revokes their sessions."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

from trellis_identity.application.base import IdentityBase, with_actor
from trellis_identity.application.results import SignedUp
from trellis_identity.domain.checks import check_password, normalised_email
from trellis_identity.domain.email_account import EmailAccount, email_account_id
from trellis_identity.domain.organisation import CLIENT, ClientCompany, Member, Organisation
from trellis_identity.domain.roles import OWNER
from trellis_identity.domain.session import Session
from trellis_identity.domain.user import User


class DirectoryUseCases(IdentityBase):
    def sign_up(self, *, organisation_name: str, owner_name: str, email: str, password: str,
                meta: dict[str, str]) -> SignedUp:
        """A new organisation with its first owner."""
        email = normalised_email(email)
        check_password(password)
        user_id = uuid4()
        meta = with_actor(meta, f"staff:{user_id}")
        organisation = Organisation.found(name=organisation_name, meta=meta)
        organisation.add_staff_user(user_id=user_id, email=email, name=owner_name, roles=[OWNER],
                                    by_owner=True, meta=meta)
        account = self._claim(email, user_id, meta)
        user = User.register(user_id=user_id, organisation_id=organisation.id, email=email,
                    password_hash=self.passwords.hash(password), meta=meta)
        self._commit(organisation, user, account)
        return SignedUp(organisation_id=organisation.id, user_id=user_id)

    def add_staff_user(self, *, organisation_id: UUID, email: str, name: str, roles: Iterable[str],
                       password: str, by_owner: bool, meta: dict[str, str]) -> Member:
        email = normalised_email(email)
        check_password(password)
        organisation = self.organisation(organisation_id)
        user_id = uuid4()
        organisation.add_staff_user(user_id=user_id, email=email, name=name, roles=roles, by_owner=by_owner,
                                    meta=meta)
        account = self._claim(email, user_id, meta)
        user = User.register(user_id=user_id, organisation_id=organisation_id, email=email,
                    password_hash=self.passwords.hash(password), meta=meta)
        self._commit(organisation, user, account)
        return organisation.member(user_id)

    def change_staff_roles(self, *, organisation_id: UUID, user_id: UUID, roles: Iterable[str],
                           by_owner: bool, meta: dict[str, str]) -> Member:
        """New roles reach the user's tokens at their next refresh (within 15 minutes)."""
        organisation = self.organisation(organisation_id)
        if organisation.change_staff_roles(user_id=user_id, roles=roles, by_owner=by_owner, meta=meta):
            self._commit(organisation)
        return organisation.member(user_id)

    def deactivate_staff_user(self, *, organisation_id: UUID, user_id: UUID, by_owner: bool,
                              meta: dict[str, str]) -> Member:
        organisation = self.organisation(organisation_id)
        member = organisation.deactivate_staff_user(user_id=user_id, by_owner=by_owner, meta=meta)
        self._commit(organisation, *self._leaving(member, meta))
        return organisation.member(user_id)

    def add_client(self, *, organisation_id: UUID, name: str, meta: dict[str, str]) -> ClientCompany:
        organisation = self.organisation(organisation_id)
        client_id = uuid4()
        organisation.add_client(client_id=client_id, name=name, meta=meta)
        self._commit(organisation)
        return organisation.client(client_id)

    def add_client_user(self, *, organisation_id: UUID, client_id: UUID, email: str, name: str, role: str,
                        password: str, meta: dict[str, str]) -> Member:
        email = normalised_email(email)
        check_password(password)
        organisation = self.organisation(organisation_id)
        user_id = uuid4()
        organisation.add_client_user(client_id=client_id, user_id=user_id, email=email, name=name, role=role,
                                     meta=meta)
        account = self._claim(email, user_id, meta)
        user = User.register(user_id=user_id, organisation_id=organisation_id, email=email,
                    password_hash=self.passwords.hash(password), meta=meta)
        self._commit(organisation, user, account)
        return organisation.member(user_id)

    def change_client_role(self, *, organisation_id: UUID, client_id: UUID, user_id: UUID, role: str,
                           meta: dict[str, str]) -> Member:
        organisation = self.organisation(organisation_id)
        if organisation.change_client_role(client_id=client_id, user_id=user_id, role=role, meta=meta):
            self._commit(organisation)
        return organisation.member(user_id)

    def remove_client_user(self, *, organisation_id: UUID, client_id: UUID, user_id: UUID,
                           meta: dict[str, str]) -> None:
        organisation = self.organisation(organisation_id)
        member = organisation.remove_client_user(client_id=client_id, user_id=user_id, meta=meta)
        self._commit(organisation, *self._leaving(member, meta))

    def members(self, organisation_id: UUID, *, kind: str | None = None,
                client_id: UUID | None = None) -> list[Member]:
        """Active members, by name."""
        found = [m for m in self.organisation(organisation_id).members.values() if m.active]
        if kind is not None:
            found = [m for m in found if m.kind == kind]
        if client_id is not None:
            self.organisation(organisation_id).client(client_id)
            found = [m for m in found if m.kind == CLIENT and m.client_id == client_id]
        return sorted(found, key=lambda m: (m.name.casefold(), str(m.user_id)))

    def clients(self, organisation_id: UUID) -> list[ClientCompany]:
        return sorted(self.organisation(organisation_id).clients.values(),
                      key=lambda c: (c.name.casefold(), str(c.client_id)))

    def _claim(self, email: str, user_id: UUID, meta: dict[str, str]) -> EmailAccount:
        account = self._load(email_account_id(email), EmailAccount)
        if account is None:
            return EmailAccount(email=email, user_id=user_id, meta=meta)
        account.reclaim(user_id=user_id, meta=meta)
        return account

    def _leaving(self, member: Member, meta: dict[str, str]) -> list[EmailAccount | Session]:
        """The email released and every open session revoked, for someone who leaves."""
        changed: list[EmailAccount | Session] = []
        account = self._load(email_account_id(member.email), EmailAccount)
        if account is not None and account.user_id == member.user_id:
            account.release(meta=meta)
            changed.append(account)
        changed.extend(self._sessions_revoked(member.user_id, "the user was removed", meta))
        return changed
