"""Refusing a request body while it streams in, before the app has parsed it.

A check runs on every chunk the app receives and raises ``BodyRefused``. The answer is
then the refusal's problem, whatever the app made of the error: FastAPI turns any error
while reading a body into a vague 400, which the refusal replaces if nothing was sent yet.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trellis_platform.problems import problem_response


class BodyRefused(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


async def answer_refusal(refusal: BodyRefused, scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(refusal.status, refusal.title, refusal.detail, instance=scope.get("path", ""))
    await response(scope, receive, send)


async def call_checking_body(app: ASGIApp, scope: Scope, receive: Receive, send: Send,
                             check: Callable[[bytes], None]) -> None:
    """Calls ``app`` with every received body chunk passed to ``check`` first."""
    refusal: BodyRefused | None = None
    refused = False
    response_started = False

    async def checking_receive() -> Message:
        nonlocal refusal
        message = await receive()
        if message["type"] == "http.request":
            try:
                check(message.get("body", b""))
            except BodyRefused as refused_here:
                refusal = refused_here
                raise
        return message

    async def tracking_send(message: Message) -> None:
        nonlocal response_started, refused
        if refusal is not None and not response_started:
            # The app caught the refusal and answered something else: the answer is ours.
            response_started = refused = True
            await answer_refusal(refusal, scope, receive, send)
        if refused:
            return
        if message["type"] == "http.response.start":
            response_started = True
        await send(message)

    try:
        await app(scope, checking_receive, tracking_send)
    except BodyRefused as raised:
        if not response_started:
            await answer_refusal(raised, scope, receive, send)
