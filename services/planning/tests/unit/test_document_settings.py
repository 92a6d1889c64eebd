"""Which document store a process uses is read from its environment, and checked."""

from pathlib import Path

import pytest

from trellis_planning.storage.document_settings import (
    DEFAULT_MAX_BYTES,
    DocumentSettings,
    InvalidDocumentSettings,
)


def test_postgres_and_25_mib_unless_told_otherwise() -> None:
    assert DocumentSettings.from_env({}) == DocumentSettings(
        store="postgres", directory=None, max_bytes=25 * 1024 * 1024
    )
    assert DEFAULT_MAX_BYTES == 25 * 1024 * 1024


def test_disk_takes_the_directory_given_or_the_run_modes_default(tmp_path: Path) -> None:
    given = DocumentSettings.from_env(
        {"TRELLIS_DOCUMENT_STORE": "disk", "TRELLIS_DOCUMENT_DIR": str(tmp_path)}
    )
    assert (given.store, given.directory) == ("disk", tmp_path)
    default = DocumentSettings.from_env(
        {"TRELLIS_DOCUMENT_STORE": "disk"}, default_directory=tmp_path / "docs"
    )
    assert default.directory == tmp_path / "docs"


@pytest.mark.parametrize(
    ("environ", "mentions"),
    [
        ({"TRELLIS_DOCUMENT_STORE": "s3"}, "neither postgres nor disk"),
        ({"TRELLIS_DOCUMENT_STORE": "disk"}, "needs TRELLIS_DOCUMENT_DIR"),
        ({"TRELLIS_DOCUMENT_MAX_BYTES": "lots"}, "not a positive integer"),
        ({"TRELLIS_DOCUMENT_MAX_BYTES": "0"}, "not a positive integer"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_process(environ: dict[str, str], mentions: str) -> None:
    with pytest.raises(InvalidDocumentSettings, match=mentions):
        DocumentSettings.from_env(environ)
