"""`make up`'s distributed mode: one process per role, real Kafka, the gateway in front."""

import json
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.e2e.processes import eventually
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.stack import ROLES, Stack

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
        extra_env={"TRELLIS_TRACE_DIR": str(trace_dir)},
    )
    try:
        stack.up()
    except Exception:
        stack.down(infrastructure=False)
        raise
    yield stack
    stack.down(infrastructure=False)


def project_body(organisation: str) -> dict[str, str]:
    return {
        "organisation_id": organisation,
        "client_id": str(uuid4()),
        "name": "Clinic extension",
        "starts_on": "2026-02-02",
        "ends_on": "2026-09-25",
    }


def portal_has(stack: Stack, organisation: str, project_id: str) -> bool:
    response = httpx.get(
        f"{stack.gateway_url}/api/portal/projects/{project_id}", params={"organisation_id": organisation}
    )
    return response.status_code == 200


def test_every_role_runs_as_its_own_process(stack: Stack) -> None:
    assert {row["service"] for row in stack.status() if row["running"]} >= {r.name for r in ROLES}


def test_through_the_gateway_a_created_project_reaches_the_portal_within_a_second(stack: Stack) -> None:
    organisation = str(uuid4())
    warm_up = httpx.post(f"{stack.gateway_url}/api/planning/projects", json=project_body(organisation))
    assert warm_up.status_code == 201, warm_up.text
    eventually(lambda: portal_has(stack, organisation, warm_up.json()["id"]), timeout=60)

    created = httpx.post(f"{stack.gateway_url}/api/planning/projects", json=project_body(organisation))
    assert created.status_code == 201
    assert created.headers["location"] == f"/api/planning/projects/{created.json()['id']}"
    assert eventually(lambda: portal_has(stack, organisation, created.json()["id"]), timeout=1.0) < 1.0


def test_the_consumer_span_carries_the_http_requests_trace_id(stack: Stack, trace_dir: Path) -> None:
    organisation = str(uuid4())
    created = httpx.post(f"{stack.gateway_url}/api/planning/projects", json=project_body(organisation))
    eventually(lambda: portal_has(stack, organisation, created.json()["id"]), timeout=30)

    def spans_of(service: str) -> list[dict[str, object]]:
        return [
            json.loads(line)
            for path in trace_dir.glob(f"trellis-{service}.*.jsonl")
            for line in path.read_text().splitlines()
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
