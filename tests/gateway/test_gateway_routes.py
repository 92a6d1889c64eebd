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
    upstream = {"TRELLIS_UPSTREAM_ANALYTICS": "http://127.0.0.1:8105",
                "TRELLIS_AUTH_JWKS_URL": "http://127.0.0.1:8106/api/identity/.well-known/jwks.json"}

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


def test_the_gateway_finds_identitys_keys_and_token_status_by_its_upstream() -> None:
    settings = GatewaySettings.from_env({"TRELLIS_UPSTREAM_IDENTITY": "http://127.0.0.1:8106",
                                         "TRELLIS_UPSTREAM_PLANNING": "http://127.0.0.1:8101"})
    assert settings.auth.environ["TRELLIS_AUTH_JWKS_URL"] == (
        "http://127.0.0.1:8106/api/identity/.well-known/jwks.json")
    assert settings.auth.token_status_url == "http://127.0.0.1:8106/api/identity/token/status"
    assert settings.auth.revocation_cache_seconds == 2.0


def test_with_an_external_issuer_there_is_nothing_to_ask_identity() -> None:
    settings = GatewaySettings.from_env({"TRELLIS_UPSTREAM_IDENTITY": "http://127.0.0.1:8106",
                                         "TRELLIS_OIDC_ISSUER": "https://login.example/realms/acme"})
    assert settings.auth.token_status_url is None


@pytest.mark.parametrize(
    ("env", "mentions"),
    [
        ({}, "TRELLIS_AUTH_JWKS_URL"),
        ({"TRELLIS_UPSTREAM_IDENTITY": "http://127.0.0.1:8106",
          "TRELLIS_GATEWAY_REVOCATION_CACHE_SECONDS": "60"}, "TRELLIS_GATEWAY_REVOCATION_CACHE_SECONDS"),
        ({"TRELLIS_UPSTREAM_IDENTITY": "http://127.0.0.1:8106", "TRELLIS_GATEWAY_TENANT_RATE": "lots"},
         "TRELLIS_GATEWAY_TENANT_RATE"),
    ],
)
def test_auth_and_limit_settings_are_checked(env: dict[str, str], mentions: str) -> None:
    with pytest.raises(InvalidSetting, match=mentions):
        GatewaySettings.from_env({"TRELLIS_UPSTREAM_PLANNING": "http://127.0.0.1:8101", **env})


def test_limits_and_cors_origins_from_the_environment() -> None:
    settings = GatewaySettings.from_env({
        "TRELLIS_UPSTREAM_IDENTITY": "http://127.0.0.1:8106", "TRELLIS_GATEWAY_TENANT_RATE": "50/s,burst=80",
        "TRELLIS_GATEWAY_SIGN_IN_PER_EMAIL": "3/min",
        "TRELLIS_CORS_ORIGINS": "https://app.acme.test/, http://localhost:5173",
    })
    assert (settings.limits.per_tenant.per_second, settings.limits.per_tenant.burst) == (50, 80)
    assert settings.limits.sign_in_per_email.burst == 3
    assert settings.cors_origins == ("https://app.acme.test", "http://localhost:5173")
