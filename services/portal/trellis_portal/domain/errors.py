"""What a portal command can run into; the API turns each into a 4xx problem."""


class PortalRuleBroken(ValueError):
    """The command would break a rule (422); the message says which."""


class Conflict(Exception):
    """The command contradicts what already happened (409): decided twice, answered twice."""


class NotFound(LookupError):
    """No such thing for this caller (404): never says whether it exists elsewhere."""
