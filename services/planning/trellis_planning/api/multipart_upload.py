"""One file read from a multipart/form-data request body while it streams in.

FastAPI's form parsing receives the whole body (spooled to a temporary file) before
the route, and so before its authentication dependencies, run. Upload routes instead
take the raw request: the caller is authenticated and the project found first, then
the file's bytes go straight from the socket to the document store, chunk by chunk.

The body holds text fields (kept, small), then exactly one file part named ``file``;
anything after the file is refused, so a body means one thing only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from trellis_platform.problems import Problem

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FILE_FIELD = "file"
MAX_FIELD_BYTES = 4096
MAX_FIELDS = 16

Event = tuple[str, bytes]


def _malformed(detail: str) -> Problem:
    return Problem(400, "Malformed multipart body", detail)


def _unusable(detail: str) -> Problem:
    return Problem(422, "Invalid request", detail)


class MultipartFile:
    def __init__(self, request: Request) -> None:
        media_type, params = parse_options_header(request.headers.get("content-type"))
        if media_type != b"multipart/form-data" or b"boundary" not in params:
            raise Problem(415, "Unsupported media type",
                          f"Upload the file as multipart/form-data in a part named {FILE_FIELD!r}.")
        self._stream: AsyncIterator[bytes] = request.stream().__aiter__()
        self._events: deque[Event] = deque()
        self._header = [b"", b""]
        self._ended = False
        callbacks: MultipartCallbacks = {
            "on_part_begin": lambda: self._events.append(("begin", b"")),
            "on_header_field": lambda data, start, end: self._add_header(0, data[start:end]),
            "on_header_value": lambda data, start, end: self._add_header(1, data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": lambda: self._events.append(("headers", b"")),
            "on_part_data": lambda data, start, end: self._events.append(("data", data[start:end])),
            "on_part_end": lambda: self._events.append(("part_end", b"")),
            "on_end": lambda: self._events.append(("end", b"")),
        }
        self._parser = MultipartParser(params[b"boundary"], callbacks)
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self.content_type: str | None = None
        self._in_file = False

    def _add_header(self, index: int, data: bytes) -> None:
        self._header[index] += data

    def _header_end(self) -> None:
        # Header names cannot hold a colon: the event carries "name:value".
        self._events.append(("header", self._header[0].lower() + b":" + self._header[1]))
        self._header = [b"", b""]

    async def _next(self) -> Event:
        while not self._events:
            if self._ended:
                raise _malformed("The body ended before its closing boundary.")
            try:
                chunk = await self._stream.__anext__()
            except StopAsyncIteration:
                self._ended = True
                chunk = b""
            try:
                if chunk:
                    self._parser.write(chunk)
                elif self._ended:
                    self._parser.finalize()
            except FormParserError as error:
                raise _malformed(f"The multipart body cannot be parsed: {error}") from None
        return self._events.popleft()

    async def open(self) -> None:
        """Reads up to the start of the file's content, keeping the fields before it."""
        while True:
            kind, _ = await self._next()
            if kind == "end":
                raise _unusable(f"The body has no file part named {FILE_FIELD!r}.")
            if kind != "begin":
                continue
            headers: dict[bytes, bytes] = {}
            while (event := await self._next())[0] != "headers":
                if event[0] == "header":
                    header, _, value = event[1].partition(b":")
                    headers[header] = value
            _, options = parse_options_header(headers.get(b"content-disposition"))
            name = options.get(b"name", b"").decode("utf-8", "replace")
            if b"filename" in options:
                if name != FILE_FIELD:
                    raise _unusable(f"Unexpected file part {name!r}; send the file as {FILE_FIELD!r}.")
                self.filename = options[b"filename"].decode("utf-8", "replace")
                self.content_type = headers.get(b"content-type", b"").decode("latin-1") or None
                self._in_file = True
                return
            await self._read_field(name)

    async def _read_field(self, name: str) -> None:
        if len(self.fields) >= MAX_FIELDS:
            raise _unusable(f"The body has more than {MAX_FIELDS} fields.")
        value = bytearray()
        while (event := await self._next())[0] != "part_end":
            value += event[1]
            if len(value) > MAX_FIELD_BYTES:
                raise _unusable(f"Field {name!r} is longer than {MAX_FIELD_BYTES} bytes.")
        try:
            self.fields[name] = value.decode("utf-8")
        except UnicodeDecodeError:
            raise _unusable(f"Field {name!r} is not UTF-8 text.") from None

    async def next_chunk(self) -> bytes | None:
        """The file's next bytes; None once the file (and the body after it) is read."""
        while self._in_file:
            kind, data = await self._next()
            if kind == "data" and data:
                return data
            if kind == "part_end":
                self._in_file = False
                await self._expect_end()
        return None

    async def _expect_end(self) -> None:
        while (kind := (await self._next())[0]) != "end":
            if kind == "begin":
                raise _unusable(f"Only fields may come before the {FILE_FIELD!r} part, and nothing after it.")
        # Drain the stream so the parser sees the end of the body.
        while not self._ended:
            try:
                await self._stream.__anext__()
            except StopAsyncIteration:
                self._ended = True
