# The image the Helm chart runs (deploy/helm/trellis): every service's code and runtime
# dependencies, from uv.lock; each pod picks its process with its command
# (`python -m trellis_planning api`, ...). Build from the repository root:
#   docker build -t trellis:0.1.0 .
# Follows uv's Docker guide: dependencies in their own layer, the project as a wheel
# (not editable), no dev dependencies, and only the virtual environment in the final image.

FROM python:3.11-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev --no-install-project
COPY services ./services
COPY shared ./shared
COPY deploy/local ./deploy/local
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 trellis && useradd --system --uid 10001 --gid trellis --no-create-home trellis
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
USER 10001
# The chart sets each container's command; alone, the image runs planning's API.
CMD ["python", "-m", "trellis_planning", "api"]
