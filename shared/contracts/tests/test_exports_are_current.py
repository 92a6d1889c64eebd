"""The committed JSON Schema and AsyncAPI files are exactly what the contracts produce."""

from trellis_contracts.export import EXPORT_DIR, rendered_files
from trellis_contracts.registry import ALL_CONTRACTS, BY_TYPE


def test_committed_exports_match_the_contracts() -> None:
    stale = [
        relative for relative, content in rendered_files().items()
        if not (EXPORT_DIR / relative).is_file() or (EXPORT_DIR / relative).read_text() != content
    ]
    assert not stale, f"run `make contracts` and commit: stale or missing {stale}"


def test_no_exported_file_is_left_over_from_a_removed_contract() -> None:
    expected = set(rendered_files())
    present = {str(p.relative_to(EXPORT_DIR)) for p in EXPORT_DIR.rglob("*.json")}
    assert present <= expected, f"remove {sorted(present - expected)}"


def test_event_types_are_unique_and_carry_their_major_version() -> None:
    assert len(BY_TYPE) == len(ALL_CONTRACTS)
    for contract in ALL_CONTRACTS:
        assert contract.event_type.endswith(f".v{contract.version}")
        assert contract.topic.endswith(f".v{contract.version}")
