"""`make up`'s distributed mode: one process per role, real Kafka, the gateway in front.

Every request carries a token the identity service issued to an organisation that
signed up through the gateway."""

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.accounts import Account, assert_no_secret_in, exercise_every_secret, sign_up
from tests.e2e.processes import GENEROUS_LIMITS, eventually, running_stack
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.stack import ROLES, ROLES_BY_NAME, Stack

pytestmark = [pytest.mark.e2e, pytest.mark.kafka]

@pytest.fixture(scope="module")
def trace_dir(test_paths: LocalPaths) -> Path:
    directory = test_paths.root / "traces" / uuid4().hex[:8]
    directory.mkdir(parents=True)
    return directory


@pytest.fixture(scope="module")
def stack(
    test_paths: LocalPaths, module_database_url: str, kafka_bootstrap: str, trace_dir: Path
) -> Iterator[Stack]:
    # Its own state directory: pid files, ports and logs of this stack only.
    stack = Stack(
        local_paths(test_paths.root / "stacks" / "e2e"),
        database_url=module_database_url,
        kafka_bootstrap=kafka_bootstrap,
        extra_env={"TRELLIS_TRACE_DIR": str(trace_dir), **GENEROUS_LIMITS},
    )
    with running_stack(stack):
        yield stack


def project_body() -> dict[str, str]:
    return {
        "client_id": str(uuid4()),
        "name": "Clinic extension",
        "starts_on": "2026-02-02",
        "ends_on": "2026-09-25",
    }


def create_project(stack: Stack, account: Account) -> httpx.Response:
    url = f"{stack.gateway_url}/api/planning/projects"
    return httpx.post(url, json=project_body(), headers=account.headers)


def portal_has(stack: Stack, account: Account, project_id: str) -> bool:
    response = httpx.get(f"{stack.gateway_url}/api/portal/projects/{project_id}", headers=account.headers)
    return response.status_code == 200


def test_every_role_runs_as_its_own_process(stack: Stack) -> None:
    assert {row["service"] for row in stack.status() if row["running"]} >= {r.name for r in ROLES}


def test_through_the_gateway_a_created_project_reaches_the_portal_within_a_second(stack: Stack) -> None:
    owner = sign_up(stack.gateway_url)
    warm_up = create_project(stack, owner)
    assert warm_up.status_code == 201, warm_up.text
    eventually(lambda: portal_has(stack, owner, warm_up.json()["id"]), timeout=60)

    created = create_project(stack, owner)
    assert created.status_code == 201
    assert created.json()["organisation_id"] == owner.organisation_id
    assert created.headers["location"] == f"/api/planning/projects/{created.json()['id']}"
    assert eventually(lambda: portal_has(stack, owner, created.json()["id"]), timeout=1.0) < 1.0


def metrics_of(stack: Stack, role: str) -> dict[str, float]:
    """The role's Prometheus metrics: each sample's name with its labels, and its value."""
    url = f"http://127.0.0.1:{stack.metrics_port_of(ROLES_BY_NAME[role])}/metrics"
    samples = {}
    for family in text_string_to_metric_families(httpx.get(url).text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()) if k in WATCHED_LABELS)
            samples[f"{sample.name}{{{labels}}}"] = sample.value
    return samples


WATCHED_LABELS = {"relay", "consumer", "outcome", "http_method", "http_target", "http_route", "topic"}


def with_prefix(samples: dict[str, float], prefix: str) -> dict[str, float]:
    return {name: value for name, value in samples.items() if name.startswith(prefix)}


def test_operators_see_commands_relay_lag_consumer_lag_and_projection_latency(stack: Stack) -> None:
    owner = sign_up(stack.gateway_url)
    created = create_project(stack, owner)
    assert created.status_code == 201
    eventually(lambda: portal_has(stack, owner, created.json()["id"]), timeout=30)

    api = metrics_of(stack, "planning-api")
    commands = {name: value for name, value in api.items()
                if name.startswith("http_server_duration_milliseconds_count") and "http_method=POST" in name}
    assert commands, sorted(api)
    assert sum(commands.values()) >= 1

    relay = metrics_of(stack, "planning-relay")
    assert sum(with_prefix(relay, "trellis_relay_events_total").values()) >= 1, sorted(relay)
    assert with_prefix(relay, "trellis_relay_lag"), sorted(relay)

    def consumers_caught_up() -> bool:
        portal = metrics_of(stack, "portal-consumers")

        def of_projects(prefix: str, *also: str) -> list[float]:
            return [value for name, value in with_prefix(portal, prefix).items()
                    if "consumer=portal.projects" in name and all(label in name for label in also)]

        applied = of_projects("trellis_consumer_events_total", "outcome=applied")
        lags = of_projects("trellis_consumer_lag")
        timed = of_projects("trellis_consumer_latency_seconds_count")
        return bool(applied and sum(applied) >= 1 and lags and sum(lags) == 0 and timed and sum(timed) >= 1)

    eventually(consumers_caught_up, timeout=30)


def test_the_gateway_and_each_service_refuse_requests_without_a_valid_token(stack: Stack) -> None:
    owner = sign_up(stack.gateway_url)
    planning = f"http://127.0.0.1:{stack.port_of(ROLES_BY_NAME['planning-api'])}"
    for base in (stack.gateway_url, planning):
        assert httpx.post(f"{base}/api/planning/projects", json=project_body()).status_code == 401
        forged = {"Authorization": f"Bearer {owner.access_token[:-4]}AAAA"}
        refused = httpx.post(f"{base}/api/planning/projects", json=project_body(), headers=forged)
        assert refused.status_code == 401
    other = sign_up(stack.gateway_url, organisation="Other Ltd")
    created = create_project(stack, owner)
    location = f"{stack.gateway_url}{created.headers['location']}"
    assert httpx.get(location, headers=other.headers).status_code == 404


def test_a_revoked_token_is_refused_at_the_gateway_within_seconds(stack: Stack) -> None:
    owner = sign_up(stack.gateway_url)
    created = create_project(stack, owner)
    location = f"{stack.gateway_url}{created.headers['location']}"
    assert httpx.get(location, headers=owner.headers).status_code == 200
    assert httpx.post(f"{stack.gateway_url}/api/identity/logout", headers=owner.headers).status_code == 204
    # The gateway keeps a good answer from identity for at most a few seconds.
    eventually(lambda: httpx.get(location, headers=owner.headers).status_code == 401, timeout=10)


def test_a_revoked_token_is_refused_by_each_service_called_directly_past_the_gateway(stack: Stack) -> None:
    owner = sign_up(stack.gateway_url)
    created = create_project(stack, owner)
    project_id = created.json()["id"]

    def direct(service: str, path: str) -> str:
        return f"http://127.0.0.1:{stack.port_of(ROLES_BY_NAME[f'{service}-api'])}{path}"

    routes = [direct("planning", f"/api/planning/projects/{project_id}"),
              direct("portal", f"/api/portal/projects/{project_id}"),
              direct("budget", f"/api/budget/projects/{project_id}/budget")]
    assert httpx.get(routes[0], headers=owner.headers).status_code == 200
    assert all(httpx.get(url, headers=owner.headers).status_code != 401 for url in routes)
    assert httpx.post(f"{stack.gateway_url}/api/identity/logout", headers=owner.headers).status_code == 204
    # Each service follows identity's published revocations itself.
    eventually(lambda: all(httpx.get(url, headers=owner.headers).status_code == 401 for url in routes),
               timeout=10)


def test_no_process_logs_a_token_password_or_key(stack: Stack) -> None:
    owner = sign_up(stack.gateway_url)
    exercise_every_secret(stack.gateway_url, owner)
    create_project(stack, owner)
    httpx.get(f"{stack.gateway_url}/api/portal/projects", headers={"Authorization": "Bearer not.a.token"})
    logs = {path.name: path.read_text(errors="replace") for path in stack.paths.logs.glob("*.log")}
    assert {"identity-api.log", "gateway.log", "planning-api.log"} <= set(logs)
    for text in logs.values():
        assert_no_secret_in(text, owner.secrets)


def test_the_consumer_span_carries_the_http_requests_trace_id(stack: Stack, trace_dir: Path) -> None:
    owner = sign_up(stack.gateway_url)
    created = create_project(stack, owner)
    eventually(lambda: portal_has(stack, owner, created.json()["id"]), timeout=30)

    def complete_lines(path: Path) -> list[str]:
        # The processes are still exporting: a line is whole once its newline is written.
        text = path.read_text()
        return text[: text.rfind("\n") + 1].splitlines()

    def spans_of(service: str) -> list[dict[str, object]]:
        return [
            json.loads(line)
            for path in trace_dir.glob(f"trellis-{service}.*.jsonl")
            for line in complete_lines(path)
            if line.strip()
        ]

    def trace_ids(service: str, name_contains: str) -> set[str]:
        return {
            str(span["context"]["trace_id"])
            for span in spans_of(service)  # type: ignore[index]
            if name_contains in str(span["name"])
        }

    def traced_through() -> bool:
        http = trace_ids("planning-api", "POST /api/planning/projects")
        return bool(http & trace_ids("portal-consumers", "apply trellis.planning.events.v1"))

    eventually(traced_through, timeout=10)
    assert trace_ids("gateway", "") & trace_ids("portal-consumers", "apply"), "the gateway starts the trace"
