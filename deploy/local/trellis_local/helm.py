"""Helm, built once from its Go module (the Go proxy is what these machines can reach).

``python -m trellis_local.helm <helm arguments>`` runs it (``make helm ARGS=...``); the
chart's tests use ``ensure_helm``. The first build takes a few minutes; afterwards the
binary under .local/tools is reused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from trellis_local.errors import LocalInfraError
from trellis_local.locks import file_lock
from trellis_local.paths import REPO_ROOT

HELM_MODULE = "helm.sh/helm/v3/cmd/helm"
HELM_VERSION = "v3.22.0"
# What helm's own release build stamps in (its Makefile): its version, and the Kubernetes
# version of its client-go (v0.37 -> 1.37), which `helm template` assumes for the
# cluster. Without them it assumes Kubernetes 1.20.
_LDFLAGS = " ".join([
    "-s", "-w",
    f"-X helm.sh/helm/v3/internal/version.version={HELM_VERSION}",
    *(f"-X helm.sh/helm/v3/pkg/{package}.k8sVersion{part}={number}"
      for package in ("lint/rules", "chartutil") for part, number in (("Major", 1), ("Minor", 37))),
])
TOOLS_DIR = REPO_ROOT / ".local" / "tools"
ATTEMPTS = 3


def helm_path() -> Path:
    return TOOLS_DIR / f"helm-{HELM_VERSION}" / "helm"


def ensure_helm() -> Path:
    """The helm binary, built with ``go install`` if it is not there yet."""
    binary = helm_path()
    if binary.is_file():
        return binary
    go = shutil.which("go")
    if go is None:
        raise LocalInfraError("Go is not on PATH; it is needed once to build helm")
    with file_lock(TOOLS_DIR / ".helm.lock"):
        if binary.is_file():
            return binary
        go_home = TOOLS_DIR / "go"
        env = {**os.environ, "GOBIN": str(binary.parent), "GOPATH": str(go_home / "path"),
               "GOCACHE": str(go_home / "cache"), "CGO_ENABLED": "0", "GOFLAGS": "-trimpath"}
        argv = [go, "install", f"-ldflags={_LDFLAGS}", f"{HELM_MODULE}@{HELM_VERSION}"]
        output = ""
        for attempt in range(1, ATTEMPTS + 1):
            # A module download cut short by the network fails the build; the ones already
            # fetched stay in the module cache, so a retry continues where it stopped.
            result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,  # noqa: S603 - fixed argv
                                    capture_output=True, text=True, timeout=1200, check=False)
            if result.returncode == 0 and binary.is_file():
                return binary
            output = (result.stdout + result.stderr).strip()[-4000:]
            if attempt < ATTEMPTS:
                time.sleep(5 * attempt)
        raise LocalInfraError(f"building helm failed after {ATTEMPTS} attempts: {' '.join(argv)}\n{output}")


def main(argv: list[str]) -> int:
    return subprocess.call([str(ensure_helm()), *argv])  # noqa: S603 - the caller's own helm arguments


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
