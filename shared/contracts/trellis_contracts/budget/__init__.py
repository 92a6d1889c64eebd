"""Integration events published by the budget context.

Money travels as a JSON string holding a decimal (``"1234.50"``) beside its ISO 4217
currency: never as a JSON number, which readers would parse as a binary float.
"""
