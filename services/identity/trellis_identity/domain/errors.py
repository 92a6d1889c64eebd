"""Rules of identity that a command can break; the API turns each into a 4xx."""


class IdentityRuleBroken(ValueError):
    """A command would break a rule; the message says which (422)."""


class EmailTaken(IdentityRuleBroken):
    """Another account already signs in with this email (409)."""


class NotAllowed(PermissionError):
    """The actor's own roles do not allow this change, e.g. an admin granting owner (403)."""


class NotFound(LookupError):
    """No such user, client or key in this organisation (404, never 403)."""
