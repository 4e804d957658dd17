"""A scripted OpenAI-compatible server on loopback, to test the real litellm client end to end.

Each request to /v1/chat/completions takes the next scripted reply: (status, headers, body or
content). It records what it was sent. Loopback only, stopped by the test that started it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers import free_port


def completion(content: str, prompt_tokens: int = 11, completion_tokens: int = 7) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion", "created": 0, "model": "local",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


class FakeOpenAI:
    def __init__(self, replies: list[tuple[int, dict[str, str], Any]] | None = None, default: Any = None,
                 models: list[str] | None = None, key: str | None = None) -> None:
        self.replies = list(replies or [])
        self.default = default
        self.models = models if models is not None else ["local"]
        self.key = key
        self.requests: list[dict[str, Any]] = []
        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next(self) -> tuple[int, dict[str, str], Any]:
        if self.replies:
            return self.replies.pop(0)
        return self.default if self.default is not None else (500, {}, {"error": {"message": "no reply scripted"}})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, headers: dict[str, str], body: Any) -> None:
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                if fake.key and self.headers.get("Authorization") != f"Bearer {fake.key}":
                    self._send(401, {}, {"error": {"message": "invalid api key", "type": "invalid_request_error"}})
                    return False
                return True

            def do_GET(self) -> None:  # noqa: N802
                if self._authorised():
                    self._send(200, {}, {"object": "list", "data": [{"id": m, "object": "model"} for m in fake.models]})

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append(body)
                if not self._authorised():
                    return
                status, headers, reply = fake._next()
                self._send(status, headers, completion(reply) if isinstance(reply, str) else reply)

        return Handler
