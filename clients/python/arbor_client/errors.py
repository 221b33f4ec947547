"""The one error type the client raises."""

from __future__ import annotations

import grpc


class ArborError(Exception):
    """A call that ended with a gRPC status other than OK.

    ``code`` is the ``grpc.StatusCode`` (e.g. ``grpc.StatusCode.NOT_FOUND``), ``status`` its name
    (``"NOT_FOUND"``), ``message`` the server's message naming the field or limit.
    """

    def __init__(self, code: grpc.StatusCode, message: str):
        self.code = code
        self.status = code.name
        self.message = message
        super().__init__(f"{self.status}: {message}" if message else self.status)

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "ArborError":
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        details = error.details() if hasattr(error, "details") else str(error)
        return cls(code or grpc.StatusCode.UNKNOWN, details or "")
