"""Helpers for tests: real tokens signed with a throwaway key, verified the real way."""
