"""The Helm chart runs what `make up` runs, with the settings the code reads.

Rendered with the real helm (built once by trellis_local.helm) and compared with the
distributed mode's own process table and environment (trellis_local.stack), so a role
or a setting added to one and not the other fails here.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from trellis_local.helm import ensure_helm
from trellis_local.paths import REPO_ROOT, local_paths
from trellis_local.stack import ROLES, Role, Stack

CHART = REPO_ROOT / "deploy" / "helm" / "trellis"
RELEASE = "acme"
# The first test may build helm (a few minutes, once per machine).
pytestmark = pytest.mark.timeout(1500)


@pytest.fixture(scope="module")
def helm() -> Path:
    return ensure_helm()


def template(helm: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    argv = [str(helm), "template", RELEASE, str(CHART), *(a for s in settings for a in ("--set", s))]
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def render(helm: Path, *settings: str) -> list[dict[str, Any]]:
    result = template(helm, *settings)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def refusal(helm: Path, *settings: str) -> str:
    result = template(helm, *settings)
    assert result.returncode != 0, f"rendered despite {settings}"
    return result.stderr


def of_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == kind}


def deployment_of(documents: list[dict[str, Any]], role: Role) -> dict[str, Any]:
    return of_kind(documents, "Deployment")[f"{RELEASE}-trellis-{role.name}"]


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def env_names(documents: list[dict[str, Any]], role: Role) -> set[str]:
    """Every variable the role's process gets: its own, and the shared ConfigMap's."""
    own = container(deployment_of(documents, role))
    config = of_kind(documents, "ConfigMap")
    shared = {key for ref in own.get("envFrom", []) for key in config[ref["configMapRef"]["name"]]["data"]}
    return {item["name"] for item in own.get("env", [])} | shared


def test_the_chart_passes_helm_lint_strictly(helm: Path) -> None:
    result = subprocess.run([str(helm), "lint", "--strict", str(CHART)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_role_of_the_distributed_mode_is_a_deployment_running_the_same_command(helm: Path) -> None:
    documents = render(helm)
    assert len(of_kind(documents, "Deployment")) == len(ROLES)
    for role in ROLES:
        command = container(deployment_of(documents, role))["command"]
        assert command == ["python", "-m", role.module, *role.args], role.name


def test_each_role_gets_every_setting_make_up_gives_it(helm: Path, tmp_path: Path) -> None:
    stack = Stack(local_paths(tmp_path), database_url="postgresql://db/trellis", kafka_bootstrap="kafka:9092",
                  gateway_port=8000)
    documents = render(helm)
    for role in ROLES:
        missing = set(stack.env_for(role)) - env_names(documents, role)
        assert not missing, f"{role.name} lacks {sorted(missing)}"


def _settings_the_code_reads() -> set[str]:
    names: set[str] = set()
    for folder in (REPO_ROOT / "services", REPO_ROOT / "shared" / "platform"):
        for source in folder.rglob("*.py"):
            if "tests" not in source.parts:
                names.update(re.findall(r"\b(?:TRELLIS|OTEL)_[A-Z0-9_]+", source.read_text()))
    return names


def test_every_setting_the_chart_sets_is_one_the_code_reads(helm: Path) -> None:
    read = _settings_the_code_reads()
    documents = render(helm, "otlpEndpoint=http://collector:4318", "corsOrigins[0]=https://app.example.com",
                       "identity.keyPassphrase.existingSecret=identity-keys")
    for role in ROLES:
        unknown = {name for name in env_names(documents, role)
                   if name not in read and not name.startswith("TRELLIS_UPSTREAM_")}
        assert not unknown, f"{role.name} sets {sorted(unknown)}, which no code reads"


def test_secrets_come_from_secrets_never_from_values(helm: Path) -> None:
    documents = render(helm)
    for role in ROLES:
        for item in container(deployment_of(documents, role)).get("env", []):
            if item["name"] in {"TRELLIS_DATABASE_URL", "TRELLIS_PORTAL_CLIENT_SECRET"}:
                assert "value" not in item
                assert item["valueFrom"]["secretKeyRef"]["name"]


def test_http_roles_have_a_service_and_probe_liveness_and_readiness(helm: Path) -> None:
    documents = render(helm)
    services = of_kind(documents, "Service")
    for role in ROLES:
        named = f"{RELEASE}-trellis-{role.name}"
        probes = container(deployment_of(documents, role))
        if role.http:
            assert services[named]["spec"]["ports"][0]["port"] == 8000
            assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"
        else:
            assert named not in services
            assert "readinessProbe" not in probes


def test_http_roles_listen_on_every_interface_at_the_port_their_probes_use(helm: Path) -> None:
    documents = render(helm, "httpPort=8080")
    for role in ROLES:
        if not role.http:
            continue
        process = container(deployment_of(documents, role))
        env = {item["name"]: item.get("value") for item in process["env"]}
        prefix = "TRELLIS_GATEWAY_" if role.name == "gateway" else "TRELLIS_"
        assert env[f"{prefix}HOST"] == "0.0.0.0", role.name
        assert env[f"{prefix}PORT"] == "8080", role.name
        assert process["ports"][0] == {"name": "http", "containerPort": 8080, "protocol": "TCP"}


def test_every_process_serves_its_metrics_for_prometheus_apart_from_the_api(helm: Path) -> None:
    documents = render(helm, "metrics.port=9100")
    for role in ROLES:
        deployment = deployment_of(documents, role)
        process = container(deployment)
        env = {item["name"]: item.get("value") for item in process["env"]}
        assert env["TRELLIS_METRICS_PORT"] == "9100"
        assert env["TRELLIS_METRICS_HOST"] == "0.0.0.0"
        assert {"name": "metrics", "containerPort": 9100, "protocol": "TCP"} in process["ports"]
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == "9100"
        assert annotations["prometheus.io/scrape"] == "true"
    for service in of_kind(documents, "Service").values():
        assert [port["name"] for port in service["spec"]["ports"]] == ["http"], "metrics stay inside the pod"


def _urls(documents: list[dict[str, Any]]) -> Iterator[str]:
    for doc in documents:
        if doc["kind"] == "ConfigMap":
            yield from (v for v in doc["data"].values() if v.startswith("http://"))
        if doc["kind"] == "Deployment":
            yield from (item["value"] for item in container(doc).get("env", [])
                        if str(item.get("value", "")).startswith("http://"))


def test_every_address_inside_the_cluster_names_a_service_of_the_release_and_its_port(helm: Path) -> None:
    documents = render(helm)
    services = of_kind(documents, "Service")
    urls = list(_urls(documents))
    assert len(urls) >= 9  # JWKS, six upstreams, the portal's two
    for url in urls:
        host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()  # type: ignore[union-attr]
        assert host in services, url
        assert int(port) == services[host]["spec"]["ports"][0]["port"]


def test_relays_run_once_and_are_replaced_never_overlapped(helm: Path) -> None:
    documents = render(helm)
    for role in ROLES:
        if role.name.endswith("-relay"):
            spec = deployment_of(documents, role)["spec"]
            assert spec["replicas"] == 1
            assert spec["strategy"] == {"type": "Recreate"}
    assert "maximum" in refusal(helm, "roles.planning-relay.replicas=2")


@pytest.mark.parametrize(("setting", "named"), [
    ("database.existingSecret=", "existingSecret"),
    ("publicUrl=trellis.example.com", "publicUrl"),
    ("roles.portal-api.replicas=-1", "replicas"),
    ("httpPort=70000", "httpPort"),
    ("logLevel=LOUD", "logLevel"),
    ("roles.planing-api.replicas=1", "planing-api"),
])
def test_values_the_chart_cannot_honour_are_refused_by_name(helm: Path, setting: str, named: str) -> None:
    assert named in refusal(helm, setting)


def test_tokens_are_verified_against_identity_with_the_public_issuer(helm: Path) -> None:
    documents = render(helm, "publicUrl=https://projects.acme.example/")
    (config,) = of_kind(documents, "ConfigMap").values()
    assert config["data"]["TRELLIS_AUTH_ISSUER"] == "https://projects.acme.example/api/identity"
    assert config["data"]["TRELLIS_AUTH_JWKS_URL"] == \
        f"http://{RELEASE}-trellis-identity-api:8000/api/identity/.well-known/jwks.json"


def test_autoscaling_scales_http_roles_and_keeps_one_through_a_drain(helm: Path) -> None:
    documents = render(helm, "autoscaling.enabled=true")
    scalers = of_kind(documents, "HorizontalPodAutoscaler")
    budgets = of_kind(documents, "PodDisruptionBudget")
    for role in ROLES:
        named = f"{RELEASE}-trellis-{role.name}"
        spec = deployment_of(documents, role)["spec"]
        if role.http:
            assert scalers[named]["spec"]["scaleTargetRef"]["name"] == named
            assert "replicas" not in spec
            assert budgets[named]["spec"]["minAvailable"] == 1
        else:
            assert named not in scalers
            assert "replicas" in spec


def test_pods_run_unprivileged_on_a_read_only_root(helm: Path) -> None:
    for deployment in of_kind(render(helm), "Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        security = container(deployment)["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False


def test_the_ingress_routes_everything_to_the_gateway(helm: Path) -> None:
    assert not of_kind(render(helm), "Ingress")
    (ingress,) = of_kind(render(helm, "ingress.enabled=true", "ingress.host=projects.acme.example"),
                         "Ingress").values()
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "projects.acme.example"
    assert rule["http"]["paths"][0]["backend"]["service"]["name"] == f"{RELEASE}-trellis-gateway"
