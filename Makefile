# The verbs of Trellis. Each target installs what it needs; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
export UV_LINK_MODE := copy

.PHONY: help install run up down status test test-unit test-faults lint contracts contracts-check contracts-release helm bench clean
.PHONY: bench-commands bench-propagation bench-relay bench-rebuild bench-reads bench-scale bench-table
.PHONY: soak

help:
	@echo "make run        Trellis in one process on http://127.0.0.1:8000 (embedded PostgreSQL)"
	@echo "make test       unit, integration and end-to-end tests on real PostgreSQL and Kafka"
	@echo "make up / down  the distributed mode: Kafka, PostgreSQL, one process per service, gateway"
	@echo "make status     what local infrastructure and processes are running"
	@echo "make lint       ruff, mypy and the import-boundary check"
	@echo "make contracts  export JSON Schema and AsyncAPI for the integration events"
	@echo "make contracts-check   fail on a schema change that breaks the last release's subscribers"
	@echo "make contracts-release VERSION=x.y.z  record the current schemas as a release"
	@echo "make test-faults the full fault suite; make soak: 12 minutes, memory per process"
	@echo "make helm ARGS='template t deploy/helm/trellis'  helm (built once) on the chart"
	@echo "make bench      every benchmark against its same-run baseline -> bench/results/README.md"

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

install: .venv/.installed

run: install
	$(RUN) python -m trellis_local.run_embedded

up: install
	$(RUN) python -m trellis_local.stack up

down: install
	$(RUN) python -m trellis_local.stack down

status: install
	$(RUN) python -m trellis_local.stack status

lint: install
	$(RUN) ruff check .
	$(RUN) mypy
	$(RUN) lint-imports

contracts: install
	$(RUN) python -m trellis_contracts.export

# `make test` runs the same check (shared/contracts/tests/test_schema_compatibility.py).
contracts-check: install
	$(RUN) python -m trellis_contracts.compatibility

contracts-release: install
	@test -n "$(VERSION)" || { echo "usage: make contracts-release VERSION=x.y.z" >&2; exit 2; }
	$(RUN) python -m trellis_contracts.compatibility --record-release $(VERSION)

# Helm is built from its Go module the first time (a few minutes), then reused.
helm: install
	$(RUN) python -m trellis_local.helm $(ARGS)

test: install
	$(RUN) lint-imports
	$(RUN) pytest

test-unit: install
	$(RUN) pytest -m "not kafka and not e2e" services shared

# The fault suite in full (every fault kind three times, several minutes) on a PostgreSQL and
# Kafka of its own under .local/test/faults; `make test` runs its short form. Report:
# .local/test/faults/report-full.json.
test-faults: install
	TRELLIS_FAULTS=full $(RUN) pytest -s tests/faults/test_faults.py

# Ten minutes or more (TRELLIS_SOAK_MINUTES, default 12) at a steady rate, memory per process
# sampled; results in tests/faults/results/soak.{json,md}.
soak: install
	$(RUN) pytest -s tests/faults/soak_run.py

# Benchmarks start their own PostgreSQL and Kafka under .local/bench and stop them after.
bench: install
	$(RUN) python -m bench

BENCHMARKS := commands propagation relay rebuild reads scale

# One target per benchmark (bench-commands, bench-relay, ...); each refreshes the table.
$(addprefix bench-,$(BENCHMARKS)): bench-%: install
	$(RUN) python -m bench.$*
	$(RUN) python -m bench.table

bench-table: install
	$(RUN) python -m bench.table

clean:
	$(RUN) python -m trellis_local.stack down || true
	rm -rf .local
