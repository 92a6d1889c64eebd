"""Budget's tests: helpers live beside this file (budget_test_kit.py)."""
