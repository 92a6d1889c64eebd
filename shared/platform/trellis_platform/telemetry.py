"""OpenTelemetry for a process: one tracer and one meter provider, exporters chosen by
the environment.

``OTEL_EXPORTER_OTLP_ENDPOINT`` sends spans and metrics to a collector; ``TRELLIS_TRACE_DIR``
writes spans as JSON lines, one file per process (what the tests read to follow a trace
across processes); ``TRELLIS_METRICS_PORT`` serves the metrics (trellis_platform.metrics)
for Prometheus at ``/metrics`` on that port (``TRELLIS_METRICS_HOST``, 127.0.0.1 unless
set), apart from the API's port, so the gateway never exposes them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)

_provider: TracerProvider | None = None
_trace_file: IO[str] | None = None


def _one_line(span: ReadableSpan) -> str:
    return str(_with_text_attributes(span).to_json(indent=None)) + "\n"


def _with_text_attributes(span: ReadableSpan) -> ReadableSpan:
    """The span with its bytes attributes as text: FastStream puts a Kafka message's key on
    its consume span as bytes, which the SDK's ``to_json`` cannot write (the span was lost
    from the file, and an error logged, for every message consumed)."""
    attributes = span.attributes or {}
    if not any(isinstance(value, bytes) for value in attributes.values()):
        return span
    return ReadableSpan(
        name=span.name, context=span.context, parent=span.parent, resource=span.resource,
        attributes={name: value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    for name, value in attributes.items()},
        events=span.events, links=span.links, kind=span.kind, status=span.status,
        start_time=span.start_time, end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def configure_telemetry(service_name: str, *, extra_exporter: SpanExporter | None = None) -> TracerProvider:
    """Installs the process's tracer provider once; later calls return the same one."""
    global _provider, _trace_file
    if _provider is not None:
        if extra_exporter is not None:
            _provider.add_span_processor(SimpleSpanProcessor(extra_exporter))
        return _provider
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace_dir = os.environ.get("TRELLIS_TRACE_DIR")
    if trace_dir:
        trace_file = Path(trace_dir) / f"{service_name}.{os.getpid()}.jsonl"
        trace_file.parent.mkdir(parents=True, exist_ok=True)
        _trace_file = trace_file.open("a", buffering=1)
        provider.add_span_processor(
            SimpleSpanProcessor(ConsoleSpanExporter(out=_trace_file, formatter=_one_line))
        )
    if extra_exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(extra_exporter))
    trace.set_tracer_provider(provider)
    _provider = provider
    _configure_metrics(provider.resource)
    return provider


def _configure_metrics(resource: Resource) -> None:
    readers: list[MetricReader] = []
    port = os.environ.get("TRELLIS_METRICS_PORT")
    if port:
        from opentelemetry.exporter.prometheus import PrometheusMetricReader
        from prometheus_client import start_http_server

        start_http_server(_tcp_port(port), addr=os.environ.get("TRELLIS_METRICS_HOST", "127.0.0.1"))
        readers.append(PrometheusMetricReader())
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
    if readers:
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))


def _tcp_port(raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ValueError(f"TRELLIS_METRICS_PORT={raw!r} is not a TCP port")
    return int(raw)
