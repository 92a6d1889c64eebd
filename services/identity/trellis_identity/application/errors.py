"""Why a credential was refused, or a command could not be recorded."""


class LoginFailed(Exception):
    """Wrong email or password, or the account is inactive: one answer for all (401)."""


class RefreshRefused(Exception):
    """The refresh token is unknown, expired, revoked, or was already replaced (401)."""


class ApiKeyRefused(Exception):
    """Unknown or revoked API key (401)."""


class ConcurrentChange(Exception):
    """Someone changed the same thing at the same moment; nothing was recorded (409)."""


class InternalClientRefused(Exception):
    """Unknown internal client, or not its secret (401)."""
