"""The portal's decisions: who sees a project and how much, approvals, threads, surveys.

Pure: nothing here knows HTTP, SQL, Kafka, the contracts or the platform.
"""
