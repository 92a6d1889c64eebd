"""What every planning route shares: its prefix and the problems it may answer."""

PREFIX = "/api/planning"

PROBLEM_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": "Malformed request"},
    404: {"description": "No such resource in this organisation"},
    413: {"description": "Request body too large"},
    422: {"description": "The request breaks a rule; the problem body says which"},
}
