"""``make up`` / ``make down`` / ``make status``: the distributed mode on one machine.

Kafka and PostgreSQL from the project's own scripts, then one process per service role
and the gateway in front on 127.0.0.1:8000. The fault and end-to-end tests drive the same
Stack under their own state directory.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from trellis_local import ports
from trellis_local.errors import LocalInfraError
from trellis_local.kafka import LocalKafka
from trellis_local.paths import LocalPaths, local_paths
from trellis_local.postgres import LocalPostgres
from trellis_local.processes import kill_process, process_status, start_process, stop_process, wait_http_ok

DISTRIBUTED_DATABASE = "trellis_distributed"
HTTP_SERVICES = ("identity", "planning", "portal", "budget", "risk", "analytics")
AUDIENCE = "trellis-api"
PORTAL_CLIENT_SECRET = "TRELLIS_PORTAL_CLIENT_SECRET"  # noqa: S105 - the name of a setting, not a secret


@dataclass(frozen=True)
class Role:
    name: str
    module: str
    args: tuple[str, ...]
    http: bool


ROLES: tuple[Role, ...] = (
    Role("identity-api", "trellis_identity", ("api",), http=True),
    Role("identity-relay", "trellis_identity", ("relay",), http=False),
    Role("planning-api", "trellis_planning", ("api",), http=True),
    Role("planning-relay", "trellis_planning", ("relay",), http=False),
    Role("portal-api", "trellis_portal", ("api",), http=True),
    Role("portal-relay", "trellis_portal", ("relay",), http=False),
    Role("portal-consumers", "trellis_portal", ("consumers",), http=False),
    Role("budget-api", "trellis_budget", ("api",), http=True),
    Role("budget-relay", "trellis_budget", ("relay",), http=False),
    Role("budget-consumers", "trellis_budget", ("consumers",), http=False),
    Role("risk-api", "trellis_risk", ("api",), http=True),
    Role("analytics-api", "trellis_analytics", ("api",), http=True),
    Role("gateway", "trellis_gateway", (), http=True),
)
ROLES_BY_NAME = {role.name: role for role in ROLES}


def ensure_database(server_dsn: str, name: str) -> str:
    params = conninfo_to_dict(server_dsn)
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params["dbname"] = name
    return make_conninfo("", **params)


class Stack:
    def __init__(
        self,
        paths: LocalPaths | None = None,
        *,
        database_url: str | None = None,
        kafka_bootstrap: str | None = None,
        gateway_port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.paths = paths or local_paths()
        self._database_url = database_url
        self._kafka_bootstrap = kafka_bootstrap
        self.gateway_port = gateway_port or ports.assigned_port(self.paths, "gateway")
        self.extra_env = extra_env or {}

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def port_of(self, role: Role) -> int:
        if role.name == "gateway":
            return self.gateway_port
        return ports.assigned_port(self.paths, role.name)

    def metrics_port_of(self, role: Role) -> int:
        """Where the role's process serves its metrics for Prometheus (``/metrics``)."""
        return ports.assigned_port(self.paths, f"{role.name}-metrics")

    def infrastructure(self) -> tuple[str, str]:
        """The database and broker, starting the local ones when none were given."""
        if self._database_url is None:
            self._database_url = ensure_database(LocalPostgres(self.paths).start(), DISTRIBUTED_DATABASE)
        if self._kafka_bootstrap is None:
            self._kafka_bootstrap = LocalKafka(self.paths).start()
        return self._database_url, self._kafka_bootstrap

    def auth_env(self) -> dict[str, str]:
        """What every process needs to verify tokens: identity's JWKS (reached directly,
        not through the gateway), and the issuer and audience those tokens must name. The
        issuer is identity's public address, behind the gateway."""
        identity = f"http://127.0.0.1:{self.port_of(ROLES_BY_NAME['identity-api'])}"
        return {
            "TRELLIS_AUTH_JWKS_URL": f"{identity}/api/identity/.well-known/jwks.json",
            "TRELLIS_AUTH_ISSUER": f"{self.gateway_url}/api/identity",
            "TRELLIS_AUTH_AUDIENCE": AUDIENCE,
        }

    @property
    def portal_secret_file(self) -> Path:
        return self.paths.root / "secrets" / "portal-client-secret"

    def portal_client_secret(self) -> str:
        """The portal's secret as identity's internal client: made for this run (``down``
        forgets it), kept in a file only this user reads so that a restarted process gets
        the same one, given to identity and the portal API only."""
        path = self.portal_secret_file
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as file:
            secret = secrets.token_urlsafe(32)
            file.write(secret)
        return secret

    def downloads_env(self) -> dict[str, str]:
        """How the portal API fetches document content: from planning's API, with the
        tokens identity issues it for each organisation (both reached directly)."""
        planning = f"http://127.0.0.1:{self.port_of(ROLES_BY_NAME['planning-api'])}"
        identity = f"http://127.0.0.1:{self.port_of(ROLES_BY_NAME['identity-api'])}"
        return {
            "TRELLIS_PORTAL_DOCUMENT_URL":
                f"{planning}/api/planning/documents/{{document_id}}/versions/{{version}}/content",
            "TRELLIS_PORTAL_TOKEN_URL": f"{identity}/api/identity/internal-tokens",
            PORTAL_CLIENT_SECRET: self.portal_client_secret(),
        }

    def env_for(self, role: Role) -> dict[str, str]:
        database_url, kafka_bootstrap = self.infrastructure()
        env = {"TRELLIS_DATABASE_URL": database_url, "TRELLIS_KAFKA_BOOTSTRAP": kafka_bootstrap,
               "TRELLIS_METRICS_PORT": str(self.metrics_port_of(role)), **self.auth_env(), **self.extra_env}
        if role.name == "identity-api":
            # Behind the gateway, which writes X-Forwarded-For itself: the client's address
            # for identity's sign-in throttles.
            env["TRELLIS_IDENTITY_TRUST_FORWARDED"] = "1"
            env[PORTAL_CLIENT_SECRET] = self.portal_client_secret()
        if role.name == "portal-api":
            env.update(self.downloads_env())
        if role.name == "gateway":
            env["TRELLIS_GATEWAY_PORT"] = str(self.gateway_port)
            for service in HTTP_SERVICES:
                upstream = ROLES_BY_NAME[f"{service}-api"]
                env[f"TRELLIS_UPSTREAM_{service.upper()}"] = f"http://127.0.0.1:{self.port_of(upstream)}"
        elif role.http:
            env["TRELLIS_PORT"] = str(self.port_of(role))
        return env

    def start(self, name: str, *, wait: bool = True) -> None:
        role = ROLES_BY_NAME[name]
        start_process(role.name, [sys.executable, "-m", role.module, *role.args], self.env_for(role),
                      paths=self.paths)
        if wait and role.http:
            wait_http_ok(f"http://127.0.0.1:{self.port_of(role)}/readyz", 90, name=role.name,
                         paths=self.paths)

    def stop(self, name: str) -> None:
        stop_process(name, paths=self.paths)

    def kill(self, name: str) -> None:
        kill_process(name, paths=self.paths)

    def up(self) -> None:
        self.infrastructure()
        # The APIs first, so `up` returns once every API answers; relays and consumers
        # may start in any order (table creation is serialised by schema_setup's lock).
        http_roles = [role for role in ROLES if role.http]
        for role in http_roles:
            self.start(role.name, wait=False)
        for role in http_roles:
            wait_http_ok(f"http://127.0.0.1:{self.port_of(role)}/readyz", 90, name=role.name,
                         paths=self.paths)
        for role in ROLES:
            if not role.http:
                self.start(role.name, wait=False)

    def down(self, *, infrastructure: bool = True) -> None:
        for role in reversed(ROLES):
            stop_process(role.name, paths=self.paths)
        self.portal_secret_file.unlink(missing_ok=True)
        if infrastructure:
            LocalKafka(self.paths).stop()
            LocalPostgres(self.paths).stop()

    def status(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = [LocalPostgres(self.paths).status(), LocalKafka(self.paths).status()]
        rows.extend(process_status(role.name, paths=self.paths) for role in ROLES)
        return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trellis_local.stack")
    parser.add_argument("action", choices=("up", "down", "status"))
    args = parser.parse_args(argv)
    gateway_port = int(os.environ.get("TRELLIS_GATEWAY_PORT", "8000"))
    stack = Stack(gateway_port=gateway_port)
    try:
        if args.action == "up":
            stack.up()
            database_url, bootstrap = stack.infrastructure()
            print(f"Trellis (distributed) at {stack.gateway_url}  (docs per service: /api/<service>/...)")
            print(f"Kafka bootstrap: {bootstrap}    PostgreSQL: {database_url}")
            print(f"logs: {stack.paths.logs}")
        elif args.action == "down":
            stack.down()
        running = True
        for row in stack.status():
            running = running and bool(row["running"])
            print(f"{row['service']:<18} {'running' if row['running'] else 'stopped':<8} "
                  f"pid={row.get('pid') or '-':<8} log={row.get('log')}")
        return 0 if args.action != "status" or running else 3
    except LocalInfraError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
