"""What the Dockerfile installs is enough to start every process the chart runs.

No Docker engine here: the test repeats the Dockerfile's install (the files it copies,
``uv sync --frozen --no-dev --no-editable``) into a fresh environment, then starts each
role from outside the repository with no settings. Each must get as far as asking for
its database, which means every module it imports was installed without the dev tools.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from trellis_local.paths import REPO_ROOT
from trellis_local.stack import ROLES, Role

DOCKERFILE = REPO_ROOT / "Dockerfile"
pytestmark = pytest.mark.timeout(900)


def copied_by_the_dockerfile() -> list[str]:
    """The sources of the build stage's COPY lines (not the stage copies, ``--from``)."""
    sources = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            sources.extend(line.split()[1:-1])
    return sources


@pytest.fixture(scope="module")
def image_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    app = tmp_path_factory.mktemp("image") / "app"
    app.mkdir()
    for source in copied_by_the_dockerfile():
        origin = REPO_ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, app / source, ignore=shutil.ignore_patterns("tests", "__pycache__"))
        else:
            shutil.copy2(origin, app / source)
    uv = shutil.which("uv")
    argv = [uv, "sync", "--frozen", "--no-dev", "--no-editable"] if uv else \
        ["python3", "-m", "uv", "sync", "--frozen", "--no-dev", "--no-editable"]
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(app / ".venv"), "UV_LINK_MODE": "copy"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(argv, cwd=app, env=env, capture_output=True, text=True, check=False,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    return app / ".venv" / "bin" / "python"


def test_the_dockerfile_copies_what_the_wheel_is_built_from() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    copied = copied_by_the_dockerfile()
    assert packages
    for package in packages:
        assert any(package.startswith(source.rstrip("/") + "/") for source in copied), package


def test_no_dev_tool_is_installed(image_python: Path) -> None:
    for dev_only in ("pytest", "hypothesis", "schemathesis", "mypy"):
        found = subprocess.run([str(image_python), "-c", f"import {dev_only}"],
                               capture_output=True, text=True, check=False)
        assert found.returncode != 0, f"{dev_only} is installed in the image"


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_every_role_starts_as_far_as_asking_for_its_settings(image_python: Path, tmp_path: Path,
                                                             role: Role) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    result = subprocess.run([str(image_python), "-m", role.module, *role.args],
                            cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode != 0
    assert "ModuleNotFoundError" not in result.stderr, result.stderr[-2000:]
    assert re.search(r"TRELLIS_[A-Z_]+", result.stderr), result.stderr[-2000:]
