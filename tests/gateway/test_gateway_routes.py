"""The routing table and settings, from the environment."""

from __future__ import annotations

import os

import pytest

from trellis_gateway.__main__ import main
from trellis_gateway.routes import UpstreamConfigError, has_dot_segments, service_of, upstreams_from_env
from trellis_gateway.settings import GatewaySettings, InvalidSetting


def test_one_base_url_per_configured_service() -> None:
    env = {
        "TRELLIS_UPSTREAM_PLANNING": "http://127.0.0.1:8101/",
        "TRELLIS_UPSTREAM_RISK": " http://127.0.0.1:8104 ",
        "TRELLIS_UPSTREAM_BUDGET": "",
        "PATH": "/usr/bin",
    }

    assert upstreams_from_env(env) == {"planning": "http://127.0.0.1:8101", "risk": "http://127.0.0.1:8104"}


def test_no_upstream_is_an_error_naming_the_variables() -> None:
    with pytest.raises(UpstreamConfigError, match="TRELLIS_UPSTREAM_PLANNING"):
        upstreams_from_env({"TRELLIS_UPSTREAM_PORTAL": "  "})


def test_misspelt_service_is_an_error() -> None:
    with pytest.raises(UpstreamConfigError, match="TRELLIS_UPSTREAM_PLANING"):
        upstreams_from_env({"TRELLIS_UPSTREAM_PLANING": "http://127.0.0.1:8101"})


@pytest.mark.parametrize(
    "url", ["127.0.0.1:8101", "ftp://127.0.0.1", "http://", "http://127.0.0.1:8101/api/planning",
            "http://127.0.0.1:8101?x=1", "http://[::1"],
)
def test_base_url_must_be_scheme_host_and_port_only(url: str) -> None:
    with pytest.raises(UpstreamConfigError, match="TRELLIS_UPSTREAM_PORTAL"):
        upstreams_from_env({"TRELLIS_UPSTREAM_PORTAL": url})


@pytest.mark.parametrize(
    ("path", "service"),
    [("/api/planning/projects", "planning"), ("/api/planning", "planning"), ("/api/", None),
     ("/api", None), ("/healthz", None), ("/apix/planning", None)],
)
def test_service_of_path(path: str, service: str | None) -> None:
    assert service_of(path) == service


def test_dot_segments() -> None:
    assert has_dot_segments("/api/planning/../budget")
    assert has_dot_segments("/api/planning/./x")
    assert not has_dot_segments("/api/planning/v1.2/..x")


def test_settings_defaults_and_overrides() -> None:
    upstream = {"TRELLIS_UPSTREAM_ANALYTICS": "http://127.0.0.1:8105"}

    assert GatewaySettings.from_env(upstream) == GatewaySettings(
        "127.0.0.1", 8000, {"analytics": "http://127.0.0.1:8105"}
    )
    custom = GatewaySettings.from_env(
        {**upstream, "TRELLIS_GATEWAY_HOST": "0.0.0.0", "TRELLIS_GATEWAY_PORT": "9000"}
    )
    assert (custom.host, custom.port) == ("0.0.0.0", 9000)
    with pytest.raises(InvalidSetting, match="TRELLIS_GATEWAY_PORT"):
        GatewaySettings.from_env({**upstream, "TRELLIS_GATEWAY_PORT": "eighty"})


def test_main_exits_with_the_reason_when_unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("TRELLIS_UPSTREAM_") or name.startswith("TRELLIS_GATEWAY_"):
            monkeypatch.delenv(name)

    with pytest.raises(SystemExit, match="no upstream configured"):
        main()
