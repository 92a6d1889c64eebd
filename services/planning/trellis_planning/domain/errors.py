"""Rules of the plan that a command can break; the API turns each into a 4xx."""


class PlanningRuleBroken(ValueError):
    """A command would break a rule of the plan; the message says which."""


class ProjectNotFound(LookupError):
    pass
