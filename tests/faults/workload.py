"""A steady mixed workload through the gateway, recording every command that got a 2xx.

Each scenario is one client project from start to finish: identity (a client company and
one of its users, for every third project), planning (the project, a person, a
milestone, a task moved through its workflow, time logged, two bookings that take the
person over capacity for a week), budget (a budget, its thresholds, four expenses that
cross 50%, 80% and 100% of it) and the portal (visibility, a grant to the client user,
a thread). Workers run scenarios side by side; every attempt waits for a slot of one
global pace, so the rate is steady whatever the concurrency (as long as the answers
come fast enough for it).

Every command carries its own ``X-Request-Id``; the services store it in each event's
meta, which is how the invariants find a command in its event store. A command whose
attempt failed in a way that leaves its fate unknown (a timeout, a 5xx, a dropped
connection) is retried with the same request id, so a retry answered by an idempotent
no-op is still backed by the first attempt's event.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.e2e.accounts import PASSWORD, Account

logger = logging.getLogger(__name__)

# The week the person is booked twice: Monday 2 to Friday 6 March 2026.
BOOKED_FROM, BOOKED_TO = "2026-03-02", "2026-03-06"
BOOKED_WEEKDAYS = 5
HOURS_PER_DAY, FIRST_BOOKING, SECOND_BOOKING = "8", "6", "4"
BUDGET, EXPENSE, EXPENSES = "1000.00", "300.00", 4
THRESHOLDS = ("50", "80", "100")
COST_RATE = "100.00"
TIME_MINUTES = 30  # 50.00 of labour: never enough to move a project into another threshold band
VISIBLE = {"milestones": True, "tasks": True, "documents": True, "time": True, "health": True,
           "budget": "full"}
# Statuses that leave a command's fate unknown or say "not yet": retried.
RETRIED_STATUSES = frozenset({404, 408, 409, 425, 429, 500, 502, 503, 504})
ACCESS_TOKEN_REFRESH_SECONDS = 600.0
# Generous: a request given up on keeps the server busy, and its retry only adds work (a
# client user costs identity a password hash, which waits its turn on a busy machine).
REQUEST_TIMEOUT_SECONDS = 30.0
# A client company (and its user, whose password identity hashes at 64 MiB and a good part
# of a second of CPU) for every few projects, as firms have.
PROJECTS_PER_CLIENT = 3


@dataclass(frozen=True)
class Acknowledged:
    """A command that got a 2xx: its event store must hold an event with its request id."""

    service: str
    kind: str
    request_id: str
    status: int
    at: float


@dataclass
class ScenarioIds:
    """What one scenario created, for the invariants (None where it never got a 2xx)."""

    number: int
    client_id: str | None = None
    client_user_id: str | None = None
    project_id: str | None = None
    person_id: str | None = None
    task_id: str | None = None
    bookings: int = 0
    expenses: int = 0
    thresholds_set: bool = False
    granted: bool = False
    finished: bool = False


Recover = Callable[[httpx.AsyncClient], Awaitable[dict[str, Any] | None]]


class GaveUp(Exception):
    """A command did not get a 2xx within its deadline: the scenario stops there."""


class Stopped(Exception):
    """The workload was told to stop: no new command is sent."""


@dataclass
class Pace:
    """One slot every 1/rate seconds, shared by every worker."""

    rate: float
    _next: float = 0.0

    async def slot(self) -> None:
        now = time.monotonic()
        self._next = max(self._next, now) + 1.0 / self.rate
        delay = self._next - 1.0 / self.rate - now
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass
class Workload:
    base_url: str
    rate: float
    concurrency: int
    # How long one command may keep being retried: longer than any single fault lasts.
    command_deadline: float = 150.0
    acknowledged: list[Acknowledged] = field(default_factory=list)
    scenarios: list[ScenarioIds] = field(default_factory=list)
    attempts: int = 0
    failed_attempts: Counter[str] = field(default_factory=Counter)
    gave_up: Counter[str] = field(default_factory=Counter)
    rejected: list[str] = field(default_factory=list)
    recovered: Counter[str] = field(default_factory=Counter)
    owner: Account | None = None
    internal_project: str | None = None
    _numbers: itertools.count[int] = field(default_factory=itertools.count)
    _refreshed_at: float = 0.0
    _refresh_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    # Client companies and their user, as made so far: the latest gets the next projects.
    _clients: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pace = Pace(self.rate)

    @property
    def commands(self) -> int:
        return len(self.acknowledged)

    # -- running --------------------------------------------------------------------------

    async def prepare(self, client: httpx.AsyncClient) -> None:
        """An organisation and the rate its people cost at, before the clock starts."""
        email = f"owner-{uuid.uuid4().hex[:12]}@faults.test"
        request_id = uuid.uuid4().hex
        signed = await client.post(f"{self.base_url}/api/identity/signup",
                                   headers={"X-Request-Id": request_id},
                                   json={"organisation_name": "Fault Works", "name": "Olivia Owner",
                                         "email": email, "password": PASSWORD})
        assert signed.status_code == 201, signed.text
        self.acknowledged.append(Acknowledged("identity", "signup", request_id, 201, time.monotonic()))
        self.owner = Account(organisation_id=signed.json()["organisation_id"],
                             user_id=signed.json()["user_id"], email=email, access_token="", refresh_token="")
        assert await self._log_in(client), "the owner logs in"
        await self.command(client, "budget", "rate", "POST", "/api/budget/rate-cards/role/developer/rates", {
            "effective_from": "2026-01-01", "unit": "hour", "cost_rate": COST_RATE, "bill_rate": "150.00",
            "currency": "EUR"}, tolerate_after_unknown=True)
        self.internal_project = (await self.command(client, "planning", "project", "POST",
                                                    "/api/planning/projects", {
            "client_id": str(uuid.uuid4()), "name": "Internal", "starts_on": "2026-01-05",
            "ends_on": "2026-12-18"}))["id"]

    async def run(self, stopping: asyncio.Event) -> None:
        """Runs scenarios until ``stopping`` is set; no command is sent after that."""
        self._stopping = stopping
        limits = httpx.Limits(max_connections=self.concurrency * 2,
                              max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, limits=limits) as client:
            if self.owner is None:
                await self.prepare(client)
            await asyncio.gather(*(self._worker(client, stopping) for _ in range(self.concurrency)))

    async def _worker(self, client: httpx.AsyncClient, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            ids = ScenarioIds(next(self._numbers))
            self.scenarios.append(ids)
            try:
                await self.scenario(client, ids)
                ids.finished = True
            except GaveUp as gave_up:
                logger.warning("scenario %d stopped: %s", ids.number, gave_up)
            except Stopped:
                return

    async def scenario(self, client: httpx.AsyncClient, ids: ScenarioIds) -> None:
        n = ids.number
        c = self.command
        if n % PROJECTS_PER_CLIENT == 0 or not self._clients:
            name, email = f"Client {n}", f"viewer-{n}-{uuid.uuid4().hex[:8]}@client.test"
            client_id = (await c(client, "identity", "client", "POST", "/api/identity/clients",
                                 {"name": name},
                                 recover=self._find("/api/identity/clients", "name", name)))["id"]
            users = f"/api/identity/clients/{client_id}/users"
            user_id = (await c(client, "identity", "client-user", "POST", users,
                               {"email": email, "name": f"Vera Viewer {n}", "role": "viewer",
                                "password": PASSWORD},
                               recover=self._find(users, "email", email)))["id"]
            self._clients.append((client_id, user_id))
        ids.client_id, ids.client_user_id = self._clients[-1]
        project = ids.project_id = (await c(client, "planning", "project", "POST", "/api/planning/projects", {
            "client_id": ids.client_id, "name": f"Project {n}", "starts_on": "2026-01-05",
            "ends_on": "2026-12-18"}))["id"]
        person = ids.person_id = (await c(client, "planning", "resource", "POST", "/api/planning/resources", {
            "kind": "person", "name": f"Dev {n}", "role": "developer", "hours_per_day": HOURS_PER_DAY}))["id"]
        milestone = (await c(client, "planning", "milestone", "POST",
                             f"/api/planning/projects/{project}/milestones",
                             {"name": "Design", "starts_on": "2026-02-02", "due_on": "2026-04-30"}))["id"]
        task = ids.task_id = (await c(client, "planning", "task", "POST",
                                      f"/api/planning/projects/{project}/tasks",
                                      {"title": f"Draw plans {n}", "milestone_id": milestone,
                                       "estimate_minutes": 240}))["task"]["id"]
        await c(client, "planning", "task-status", "POST", f"/api/planning/tasks/{task}/status",
                {"status": "in_progress"}, tolerate_after_unknown=True)
        await c(client, "planning", "time-entry", "POST", "/api/planning/time-entries", {
            "task_id": task, "person_id": person, "worked_on": "2026-03-03", "minutes": TIME_MINUTES})
        # A resource is booked at most once per project and span: the second booking, which
        # takes the person over capacity on each day of the week, is on the firm's own project.
        assert self.internal_project is not None
        for on, hours in ((project, FIRST_BOOKING), (self.internal_project, SECOND_BOOKING)):
            await c(client, "planning", "booking", "POST", f"/api/planning/resources/{person}/bookings", {
                "project_id": on, "starts_on": BOOKED_FROM, "ends_on": BOOKED_TO, "hours_per_day": hours},
                tolerate_after_unknown=True)
            ids.bookings += 1
        await c(client, "budget", "budget", "POST", f"/api/budget/projects/{project}/budget", {
            "currency": "EUR", "lines": [{"category": "materials", "amount": BUDGET}]})
        await c(client, "budget", "thresholds", "PUT", f"/api/budget/projects/{project}/thresholds",
                {"percents": list(THRESHOLDS), "eac_above_budget": False})
        ids.thresholds_set = True
        for k in range(EXPENSES):
            await c(client, "budget", "expense", "POST", f"/api/budget/projects/{project}/expenses", {
                "category": "materials", "amount": EXPENSE, "currency": "EUR", "incurred_on": "2026-03-04",
                "receipt_document_id": str(uuid.uuid4()), "description": f"Tiles, delivery {k + 1}"})
            ids.expenses += 1
        # The portal learns of the project and the client user from Kafka: 404 until it has.
        await c(client, "portal", "visibility", "PUT", f"/api/portal/projects/{project}/visibility", VISIBLE)
        await c(client, "portal", "grant", "PUT",
                f"/api/portal/projects/{project}/access/{ids.client_user_id}", None)
        ids.granted = True
        await c(client, "portal", "thread", "POST", f"/api/portal/projects/{project}/threads",
                {"subject": "Kick-off", "body": "Welcome to your project."})
        await c(client, "planning", "task-status", "POST", f"/api/planning/tasks/{task}/status",
                {"status": "done"}, tolerate_after_unknown=True)

    async def command(
        self,
        client: httpx.AsyncClient,
        service: str,
        kind: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        *,
        tolerate_after_unknown: bool = False,
        recover: Recover | None = None,
    ) -> dict[str, Any]:
        """Sends one command until it gets a 2xx, each attempt at the workload's pace.

        After an attempt whose fate is unknown, a refusal may mean that attempt took
        effect (a status cannot be moved twice, an email cannot be taken twice): with
        ``tolerate_after_unknown`` the scenario goes on, and ``recover`` finds what the
        attempt made. Neither counts as acknowledged: no 2xx was seen.
        """
        request_id = uuid.uuid4().hex
        deadline = time.monotonic() + self.command_deadline
        backoff = 0.2
        fate_unknown = False
        while True:
            await self.pace.slot()
            if self._stopping.is_set():
                raise Stopped
            await self._keep_token_fresh(client)
            assert self.owner is not None
            self.attempts += 1
            try:
                response = await client.request(
                    method, f"{self.base_url}{path}", json=body,
                    headers={**self.owner.headers, "X-Request-Id": request_id})
            except httpx.HTTPError as error:
                self.failed_attempts[f"{kind}: {type(error).__name__}"] += 1
                fate_unknown = True
            else:
                if response.is_success:
                    self.acknowledged.append(
                        Acknowledged(service, kind, request_id, response.status_code, time.monotonic()))
                    answer: dict[str, Any] = response.json() if response.content else {}
                    return answer
                self.failed_attempts[f"{kind}: HTTP {response.status_code}"] += 1
                if fate_unknown and recover is not None and response.status_code < 500:
                    found = await recover(client)
                    if found is not None:
                        self.recovered[kind] += 1
                        return found
                if response.status_code not in RETRIED_STATUSES:
                    if fate_unknown and tolerate_after_unknown:
                        return {}
                    self.rejected.append(
                        f"{kind} {method} {path}: {response.status_code} {response.text[:300]}")
                    raise GaveUp(f"{kind} refused: {response.status_code}")
                fate_unknown = fate_unknown or response.status_code >= 500
            if time.monotonic() > deadline:
                self.gave_up[kind] += 1
                raise GaveUp(f"{kind} got no 2xx within {self.command_deadline:.0f}s")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 3.0)

    def _find(self, path: str, field_name: str, value: str) -> Recover:
        """Looks in a list for the item an attempt of unknown fate created."""

        async def find(client: httpx.AsyncClient) -> dict[str, Any] | None:
            assert self.owner is not None
            try:
                listed = await client.get(f"{self.base_url}{path}", headers=self.owner.headers)
            except httpx.HTTPError:
                return None
            if listed.status_code != 200:
                return None
            items: list[dict[str, Any]] = listed.json()["items"]
            return next((item for item in items if item.get(field_name) == value), None)

        return find

    async def _keep_token_fresh(self, client: httpx.AsyncClient) -> None:
        """Access tokens live 15 minutes; a soak outlives several."""
        if time.monotonic() - self._refreshed_at < ACCESS_TOKEN_REFRESH_SECONDS:
            return
        async with self._refresh_lock:
            if time.monotonic() - self._refreshed_at < ACCESS_TOKEN_REFRESH_SECONDS:
                return
            await self._log_in(client)

    async def _log_in(self, client: httpx.AsyncClient) -> bool:
        """A fresh login rather than a refresh: a refresh whose answer was lost to a fault
        would leave a used refresh token, and using it again revokes the session."""
        assert self.owner is not None
        try:
            answer = await client.post(f"{self.base_url}/api/identity/login",
                                       json={"email": self.owner.email, "password": PASSWORD})
        except httpx.HTTPError:
            return False  # the next command tries again
        if answer.status_code != 200:
            return False
        self.owner.access_token = answer.json()["access_token"]
        self.owner.refresh_token = answer.json()["refresh_token"]
        self._refreshed_at = time.monotonic()
        return True


def count_by(items: list[Acknowledged], key: Callable[[Acknowledged], str]) -> dict[str, int]:
    return dict(sorted(Counter(key(item) for item in items).items()))
