"""httplib2 with every POST sent once.

httplib2 sends a request again, whatever its method, when the connection closes before an
answer (a stale keep-alive connection, it assumes). For YouTube's inserts that is the case
where the insert may well have been made: the answer was lost, not the request. A POST here
goes out once, on its connection; a failure reaches the caller, which looks for what it may
have made before sending it again (`once.insert_once`, the uploader's session check).
"""

from __future__ import annotations

import http.client
from typing import Any

import httplib2


class SendOnceHttp(httplib2.Http):  # type: ignore[misc]  # httplib2 is untyped
    def _conn_request(
        self, conn: Any, request_uri: str, method: str, body: Any, headers: dict[str, str]
    ) -> tuple[httplib2.Response, bytes]:
        if method != "POST":
            return super()._conn_request(conn, request_uri, method, body, headers)  # type: ignore[no-any-return]
        # Uncompressed: the answer is read here, without httplib2's private decompression.
        headers = {**headers, "accept-encoding": "identity"}
        try:
            if conn.sock is None:
                conn.connect()
            conn.request(method, request_uri, body, headers)
            answer = conn.getresponse()
            content = answer.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            raise
        return httplib2.Response(answer), content
