"""Trellis's published language: integration events on Kafka, versioned and exported.

Enterprise systems depend on these shapes. Within a version a change may only add
optional fields; anything else is a new version published side by side.
"""
