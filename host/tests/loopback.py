"""A real HTTP server on 127.0.0.1 for the tests: POSTs to it are answered by a
function of the request body (token endpoints, mostly)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: ``answer(body) -> (status, response body, content type or None)``.
Answer = Callable[[bytes], tuple[int, bytes, str | None]]


class PostServer:
    """Serves POSTs on a free loopback port until `close`; ``url`` ends in ``path``."""

    def __init__(self, answer: Answer, path: str = "/token") -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                status, body, content_type = answer(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(status)
                if content_type is not None:
                    self.send_header("Content-Type", content_type)
                if body or status == 200:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
