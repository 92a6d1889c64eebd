"""Rules of budgets and costs that a command can break; the API turns each into a 4xx."""


class BudgetRuleBroken(ValueError):
    """A command would break a rule; the message says which."""


class NotFound(LookupError):
    """No such thing in this organisation (another tenant's things are not found either)."""


class Conflict(RuntimeError):
    """The command does not fit the thing's current state (already exists, already decided)."""
