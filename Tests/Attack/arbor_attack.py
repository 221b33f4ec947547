"""What the attack tests share: the server process, raw HTTP/2 frames on plain sockets, memory and socket probes of
the server, the legitimate load beside an attack, and the report.

Every connection goes to the server on 127.0.0.1. Attackers connect from ATTACKER (127.0.0.2), legitimate clients
from 127.0.0.1, so the per-peer connection limit tells them apart as it would two hosts.
"""

import contextlib
import json
import os
import re
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

import hpack
from hyperframe.exceptions import UnknownFrameError
from hyperframe.frame import (
    ContinuationFrame,
    DataFrame,
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    RstStreamFrame,
    SettingsFrame,
)

HERE = os.path.dirname(os.path.abspath(__file__))
ATTACKER = "127.0.0.2"
LEGIT = "127.0.0.1"
MIB = 1024 * 1024

# HTTP/2 error codes (RFC 9113 §7) and gRPC status codes the tests expect.
NO_ERROR, PROTOCOL_ERROR, REFUSED_STREAM, CANCEL, ENHANCE_YOUR_CALM = 0x0, 0x1, 0x7, 0x8, 0xB
H2_ERRORS = {0x0: "NO_ERROR", 0x1: "PROTOCOL_ERROR", 0x2: "INTERNAL_ERROR", 0x3: "FLOW_CONTROL_ERROR",
             0x4: "SETTINGS_TIMEOUT", 0x5: "STREAM_CLOSED", 0x6: "FRAME_SIZE_ERROR", 0x7: "REFUSED_STREAM",
             0x8: "CANCEL", 0x9: "COMPRESSION_ERROR", 0xA: "CONNECT_ERROR", 0xB: "ENHANCE_YOUR_CALM",
             0xC: "INADEQUATE_SECURITY", 0xD: "HTTP_1_1_REQUIRED"}
GRPC_OK, GRPC_DEADLINE_EXCEEDED, GRPC_RESOURCE_EXHAUSTED, GRPC_UNIMPLEMENTED = 0, 4, 8, 12

# Acceptance thresholds of issue 9, in one place.
LATENCY_FACTOR = 10
LATENCY_FLOOR_MS = float(os.environ.get("ARBOR_ATTACK_LATENCY_FLOOR_MS", "2"))
RSS_CEILING = 500 * MIB
RSS_RECOVERY_SLACK = 100 * MIB
RSS_RECOVERY_SECONDS = 30
# Before any attack, legitimate p99s above this mean the server is already failing; 10 × such a baseline would let
# anything pass.
BASELINE_SANE_MS = 200
BASELINE_SECONDS = float(os.environ.get("ARBOR_ATTACK_BASELINE_SECONDS", "2"))


PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
SETTINGS_MAX_CONCURRENT_STREAMS, SETTINGS_INITIAL_WINDOW_SIZE = 0x3, 0x4
MAX_WINDOW = 2**31 - 1


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes((kind, flags)) + struct.pack(">I", stream & 0x7FFFFFFF) + payload


def settings(pairs=(), ack=False):
    return frame(SETTINGS, ACK if ack else 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in pairs))


def window_update(stream, increment):
    return frame(WINDOW_UPDATE, 0, stream, struct.pack(">I", increment))


def rst_stream(stream, code=CANCEL):
    return frame(RST_STREAM, 0, stream, struct.pack(">I", code))


def priority(stream, depends_on=0, weight=15):
    return frame(PRIORITY, 0, stream, struct.pack(">IB", depends_on, weight))


def data_frames(stream, payload, end_stream=False, max_size=16384):
    if not payload:
        return frame(DATA, END_STREAM if end_stream else 0, stream)
    out = []
    for offset in range(0, len(payload), max_size):
        last = offset + max_size >= len(payload)
        out.append(frame(DATA, END_STREAM if (end_stream and last) else 0, stream, payload[offset:offset + max_size]))
    return b"".join(out)


def _hpack_int(value, prefix_bits=7, first=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes((first | value,))
    out = bytearray((first | limit,))
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def header_block(headers):
    """Literal header fields without indexing, with new names: each block stands alone (no dynamic table), so one
    encoded block can be sent on any number of streams."""
    out = bytearray()
    for name, value in headers:
        name = name.encode() if isinstance(name, str) else name
        value = value.encode() if isinstance(value, str) else value
        out += b"\x00" + _hpack_int(len(name)) + name + _hpack_int(len(value)) + value
    return bytes(out)


def grpc_headers(path, content_type="application/grpc", timeout=None, authority="127.0.0.1", extra=()):
    headers = [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", authority),
               ("content-type", content_type), ("te", "trailers")]
    if timeout is not None:
        headers.append(("grpc-timeout", f"{max(1, int(timeout * 1000))}m"))
    return headers + list(extra)


def headers_frame(stream, block, end_stream=False, end_headers=True):
    return frame(HEADERS, (END_STREAM if end_stream else 0) | (END_HEADERS if end_headers else 0), stream, block)


def grpc_message(payload):
    return b"\x00" + struct.pack(">I", len(payload)) + payload


class StreamTemplate:
    """One request's frames with the stream id patched in, for floods that send thousands of the same request."""

    def __init__(self, path, message, reset=None, timeout=None):
        block = header_block(grpc_headers(path, timeout=timeout))
        self.parts = [headers_frame(0, block), data_frames(0, grpc_message(message), end_stream=True)]
        if reset is not None:
            self.parts.append(rst_stream(0, reset))

    def render(self, stream):
        sid = struct.pack(">I", stream)
        out = bytearray()
        for part in self.parts:
            # Every part here is a single frame; the stream id is bytes 5...8 of its header.
            out += part[:5] + sid + part[9:]
        return bytes(out)


def readable(file, timeout):
    """Whether `file` has something to read (or an error or EOF) within `timeout` seconds. poll(2), not select(2):
    a test with a thousand sockets has descriptors past select's limit of 1024."""
    poller = select.poll()
    poller.register(file, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(max(0, int(timeout * 1000))))


class StreamResult:
    def __init__(self):
        self.headers = None
        self.trailers = None
        self.data_bytes = 0
        self.data = bytearray()
        self.reset = None
        self.ended = False
        self.opened = time.monotonic()
        self.closed_at = None

    @property
    def done(self):
        return self.ended or self.reset is not None

    def _field(self, name):
        for block in (self.trailers, self.headers):
            if block:
                for key, value in block:
                    if key == name:
                        return value
        return None

    @property
    def http_status(self):
        for key, value in self.headers or ():
            if key == ":status":
                return int(value)
        return None

    @property
    def grpc_status(self):
        value = self._field("grpc-status")
        return int(value) if value is not None else None

    @property
    def grpc_message(self):
        value = self._field("grpc-message")
        return urllib.parse.unquote(value) if value is not None else None

    def describe(self):
        parts = []
        if self.http_status is not None and self.http_status != 200:
            parts.append(f"HTTP {self.http_status}")
        if self.grpc_status is not None:
            parts.append(f"grpc-status {self.grpc_status}")
        if self.reset is not None:
            parts.append(f"RST_STREAM {H2_ERRORS.get(self.reset, self.reset)}")
        if not parts:
            parts.append("open" if not self.done else "ended")
        return ", ".join(parts)


class RawConnection:
    """A client HTTP/2 connection on a plain socket: writes whatever frames it is given (legal or not) and reads the
    server's frames into per-stream results, the GOAWAY and whether the server closed the connection.

    `auto_ack` answers the server's SETTINGS and PING, as any client would; an attacker that must never send another
    frame turns it off.
    """

    def __init__(self, port, host=LEGIT, source=None, rcvbuf=None, timeout=5.0, auto_ack=True, keep_data=False):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if source is not None:
            self.sock.bind((source, 0))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.local_port = self.sock.getsockname()[1]
        self.auto_ack = auto_ack
        self.keep_data = keep_data
        self.buffer = bytearray()
        self.decoder = hpack.Decoder()
        self.decoder.max_header_list_size = 1 << 20
        self.pending = None  # (stream, block, end_stream) of a header block awaiting CONTINUATION
        self.streams = {}
        self.goaway = None  # the first GOAWAY: (last_stream_id, error_code, debug data)
        self.goaways = []  # every GOAWAY, in order
        self.goaway_at = None  # time.monotonic() when the first arrived
        self.closed = False  # reading found the server's FIN or RST
        self.write_failed = False  # a write broke (the server closed or reset); what it sent first is still read
        self.blocked = False  # a write timed out: the server stopped reading
        self.frames_in = 0
        self.server_settings = {}

    def start(self, pairs=(), connection_window=None):
        """Preface and SETTINGS; `connection_window` raises the connection's receive window to that size."""
        out = PREFACE + settings(pairs)
        if connection_window is not None and connection_window > 65535:
            out += window_update(0, connection_window - 65535)
        return self.send(out)

    def send(self, data):
        if self.closed or self.write_failed:
            return False
        try:
            self.sock.sendall(data)
            return True
        except socket.timeout:
            self.blocked = True
            return False
        except OSError:
            self.write_failed = True
            return False

    def request(self, stream, path, message, end_stream=True, timeout=None, content_type="application/grpc",
                extra=(), raw_body=None):
        """Sends one request; `raw_body` replaces the gRPC-framed `message` as the DATA payload."""
        self.streams[stream] = StreamResult()
        block = header_block(grpc_headers(path, content_type=content_type, timeout=timeout, extra=extra))
        body = raw_body if raw_body is not None else (grpc_message(message) if message is not None else b"")
        out = headers_frame(stream, block, end_stream=end_stream and not body)
        if body:
            out += data_frames(stream, body, end_stream=end_stream)
        return self.send(out)

    def stream(self, stream):
        return self.streams.setdefault(stream, StreamResult())

    def poll(self, timeout=0.0):
        """Reads what has arrived, waiting at most `timeout` for the first bytes; returns the frames read."""
        if self.closed:
            return 0
        if not readable(self.sock, timeout):
            return 0
        try:
            chunk = self.sock.recv(1 << 20)
        except (socket.timeout, BlockingIOError):
            return 0
        except OSError:
            self.closed = True
            return 0
        if not chunk:
            self.closed = True
            return 0
        self.buffer += chunk
        return self._parse()

    def wait(self, predicate, timeout):
        """Reads until `predicate()` holds, the server closes, or `timeout` passes; returns `predicate()`."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed:
                break
            self.poll(min(remaining, 0.05))
        return predicate()

    def wait_closed(self, timeout):
        return self.wait(lambda: self.closed, timeout)

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.close()
        self.closed = True

    @property
    def cut_off(self):
        """The server ended the connection: it closed it, or a write broke."""
        return self.closed or self.write_failed

    def _parse(self):
        count = 0
        while len(self.buffer) >= 9:
            length = int.from_bytes(self.buffer[0:3], "big")
            if len(self.buffer) < 9 + length:
                break
            header = bytes(self.buffer[:9])
            body = bytes(self.buffer[9:9 + length])
            del self.buffer[:9 + length]
            count += 1
            try:
                parsed, _ = Frame.parse_frame_header(memoryview(header))
                parsed.parse_body(memoryview(body))
            except UnknownFrameError:
                continue
            self._handle(parsed, body)
        self.frames_in += count
        return count

    def _handle(self, f, body):
        if isinstance(f, SettingsFrame):
            if "ACK" not in f.flags:
                self.server_settings.update(f.settings)
                if self.auto_ack:
                    self.send(settings(ack=True))
        elif isinstance(f, PingFrame):
            if "ACK" not in f.flags and self.auto_ack:
                self.send(frame(PING, ACK, 0, f.opaque_data))
        elif isinstance(f, HeadersFrame):
            self.pending = (f.stream_id, bytearray(f.data), "END_STREAM" in f.flags)
            if "END_HEADERS" in f.flags:
                self._finish_headers()
        elif isinstance(f, ContinuationFrame):
            if self.pending is not None:
                self.pending[1].extend(f.data)
                if "END_HEADERS" in f.flags:
                    self._finish_headers()
        elif isinstance(f, DataFrame):
            result = self.stream(f.stream_id)
            result.data_bytes += len(f.data)
            if self.keep_data:
                result.data += f.data
            if "END_STREAM" in f.flags:
                result.ended = True
                result.closed_at = time.monotonic()
        elif isinstance(f, RstStreamFrame):
            result = self.stream(f.stream_id)
            result.reset = f.error_code
            result.closed_at = result.closed_at or time.monotonic()
        elif isinstance(f, GoAwayFrame):
            self.goaways.append((f.last_stream_id, f.error_code, bytes(f.additional_data)))
            if self.goaway is None:
                self.goaway = self.goaways[0]
                self.goaway_at = time.monotonic()

    def _finish_headers(self):
        stream, block, end_stream = self.pending
        self.pending = None
        decoded = [(str(k), str(v)) for k, v in self.decoder.decode(bytes(block))]
        result = self.stream(stream)
        if result.headers is None:
            result.headers = decoded
        else:
            result.trailers = decoded
        if end_stream:
            result.ended = True
            result.closed_at = time.monotonic()

    @property
    def goaway_code(self):
        return self.goaway[1] if self.goaway else None


def connect_quietly(port, **kwargs):
    """A RawConnection, or None when the server refused or dropped the connection at once."""
    try:
        return RawConnection(port, **kwargs)
    except OSError:
        return None


class H2Client:
    """h2's client state machine over a plain socket, for attacks that must keep to the flow-control rules (sending
    past a window would get the connection closed for the wrong reason)."""

    def __init__(self, port, host=LEGIT, source=None, timeout=5.0, initial_window=None):
        from h2.config import H2Configuration
        from h2.connection import H2Connection
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if source is not None:
            self.sock.bind((source, 0))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(timeout)
        self.sock.connect((host, port))
        self.conn = H2Connection(H2Configuration(client_side=True, header_encoding="utf-8"))
        self.conn.initiate_connection()
        if initial_window is not None:
            self.conn.update_settings({SETTINGS_INITIAL_WINDOW_SIZE: initial_window})
        self.streams = {}
        self.goaway = None
        self.closed = False
        self.flush()

    def flush(self):
        data = self.conn.data_to_send()
        if data and not self.closed:
            try:
                self.sock.sendall(data)
            except OSError:
                self.closed = True

    def open(self, path, content_type="application/grpc", end_stream=False, timeout=None):
        stream = self.conn.get_next_available_stream_id()
        self.conn.send_headers(stream, grpc_headers(path, content_type=content_type, timeout=timeout),
                               end_stream=end_stream)
        self.streams[stream] = StreamResult()
        return stream

    def sendable(self, stream):
        """Bytes that may be sent on `stream` now (0 when it is closed)."""
        result = self.streams[stream]
        if result.done or self.closed or self.goaway is not None:
            return 0
        try:
            return min(self.conn.local_flow_control_window(stream), self.conn.max_outbound_frame_size)
        except Exception:  # noqa: BLE001 - h2 raises for a stream it has closed
            return 0

    def send(self, stream, data, end_stream=False):
        """Sends what fits the windows now; returns the bytes sent."""
        sent = 0
        while sent < len(data) or (end_stream and not data):
            room = self.sendable(stream)
            if room <= 0:
                break
            chunk = data[sent:sent + room]
            last = end_stream and sent + len(chunk) == len(data)
            try:
                self.conn.send_data(stream, chunk, end_stream=last)
            except Exception:  # noqa: BLE001 - the stream closed under us
                break
            sent += len(chunk)
            if not data:
                break
        self.flush()
        return sent

    def poll(self, timeout=0.0):
        import h2.events as ev
        if self.closed:
            return 0
        if not readable(self.sock, timeout):
            return 0
        try:
            chunk = self.sock.recv(1 << 20)
        except OSError:
            chunk = b""
        if not chunk:
            self.closed = True
            return 0
        try:
            events = self.conn.receive_data(chunk)
        except Exception:  # noqa: BLE001 - h2 refusing what the server sent is a server problem the test reports
            self.closed = True
            raise
        for event in events:
            stream = getattr(event, "stream_id", None)
            result = self.streams.get(stream) if stream else None
            if isinstance(event, ev.ResponseReceived) and result:
                result.headers = [(str(k), str(v)) for k, v in event.headers]
            elif isinstance(event, ev.TrailersReceived) and result:
                result.trailers = [(str(k), str(v)) for k, v in event.headers]
            elif isinstance(event, ev.DataReceived):
                if result:
                    result.data_bytes += len(event.data)
                if event.flow_controlled_length:
                    with contextlib.suppress(Exception):
                        self.conn.acknowledge_received_data(event.flow_controlled_length, stream)
            elif isinstance(event, ev.StreamEnded) and result:
                result.ended = True
                result.closed_at = time.monotonic()
            elif isinstance(event, ev.StreamReset) and result:
                result.reset = event.error_code
                result.closed_at = result.closed_at or time.monotonic()
            elif isinstance(event, ev.ConnectionTerminated):
                self.goaway = (event.last_stream_id, event.error_code, event.additional_data)
        self.flush()
        return len(events)

    def wait(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed:
                break
            self.poll(min(remaining, 0.05))
        return predicate()

    def close(self):
        with contextlib.suppress(OSError):
            self.sock.close()
        self.closed = True


def closed_loop(port, path, message, concurrency, seconds, timeout=None, source=ATTACKER):
    """Keeps `concurrency` calls of `path` in flight on one connection for `seconds` (a new one as each ends), with
    windows wide open. `message` is the request's bytes, or a function of the call's number returning them (so
    requests can differ). Returns a Counter of how the calls ended (StreamResult.describe(), "OK" for grpc-status
    0) and whether the server cut the connection off."""
    import collections
    connection = RawConnection(port, source=source)
    connection.start([(SETTINGS_INITIAL_WINDOW_SIZE, MAX_WINDOW)], MAX_WINDOW)
    outcomes = collections.Counter()
    in_flight = set()
    stream = 1
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline and not connection.cut_off:
            while len(in_flight) < concurrency:
                body = message(stream // 2) if callable(message) else message
                connection.request(stream, path, body, timeout=timeout)
                in_flight.add(stream)
                stream += 2
            connection.poll(0.05)
            for done in [s for s in in_flight if connection.streams[s].done]:
                result = connection.streams.pop(done)
                outcomes["OK" if result.grpc_status == 0 else result.describe()] += 1
                in_flight.discard(done)
        cut_off = connection.cut_off
    finally:
        connection.close()
    return outcomes, cut_off


HIERARCHY = "/arbor.v2.Hierarchy/"
HEALTH_CHECK = "/grpc.health.v1.Health/Check"


def pb():
    import arbor_pb2
    return arbor_pb2


class ArborServer:
    """`arbor-server serve` on 127.0.0.1 with a port of its own; stdout and stderr go to files in `workdir`."""

    def __init__(self, binary, database_url, flags, workdir, name):
        self.binary = binary
        self.database_url = database_url
        self.flags = list(flags)
        self.workdir = workdir
        self.name = name
        self.proc = None
        self.port = None
        self.stdout_path = os.path.join(workdir, f"{name}.stdout")
        self.stderr_path = os.path.join(workdir, f"{name}.stderr")

    @property
    def pid(self):
        return self.proc.pid

    @property
    def target(self):
        return f"{LEGIT}:{self.port}"

    def start(self, timeout=60):
        command = [self.binary, "serve", "--listen", "127.0.0.1:0", "--database-url", self.database_url,
                   *self.flags]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        pattern = re.compile(r"arbor-server listening on (\S+):(\d+)")
        while time.monotonic() < deadline:
            with open(self.stdout_path, "r", errors="replace") as out:
                match = pattern.search(out.read())
            if match:
                self.port = int(match.group(2))
                return self
            if self.proc.poll() is not None:
                unknown = re.search(r"Unknown option '([^']+)'", self.stderr_text())
                if unknown:
                    raise RuntimeError(f"this arbor-server has no {unknown.group(1)} flag: the defence the test "
                                       "relies on is missing")
                raise RuntimeError(f"arbor-server exited with {self.proc.returncode} before listening:\n"
                                   + self.stderr_tail())
            time.sleep(0.05)
        raise RuntimeError("arbor-server did not print its listening line in time:\n" + self.stderr_tail())

    def wait_serving(self, timeout=60):
        import grpc
        import health_pb2
        import health_pb2_grpc
        deadline = time.monotonic() + timeout
        with grpc.insecure_channel(self.target) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() < deadline:
                try:
                    if stub.Check(health_pb2.HealthCheckRequest(), timeout=2).status == 1:
                        return
                except grpc.RpcError:
                    pass
                self.check_alive()
                time.sleep(0.1)
        raise RuntimeError("arbor-server did not report SERVING in time:\n" + self.stderr_tail())

    def warm_up(self, root, seconds=1.0):
        """Descendants of `root` for `seconds`: the first calls after the first snapshot is published take several
        times the steady state (about 140, 80, 60 ms, then 7 ms in a debug build) while the server settles, and a
        baseline that counted them would not be one."""
        import arbor_pb2
        import arbor_pb2_grpc
        import grpc
        deadline = time.monotonic() + seconds
        with grpc.insecure_channel(self.target) as channel:
            stub = arbor_pb2_grpc.HierarchyStub(channel)
            while time.monotonic() < deadline:
                list(stub.Descendants(arbor_pb2.TraversalRequest(root=root), timeout=5))

    def check_alive(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"arbor-server exited with {self.proc.returncode}:\n" + self.stderr_tail())

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stderr_text(self, offset=0):
        with open(self.stderr_path, "r", errors="replace") as err:
            err.seek(offset)
            return err.read()

    def stderr_size(self):
        return os.path.getsize(self.stderr_path)

    def stderr_tail(self, lines=30):
        return "\n".join(self.stderr_text().splitlines()[-lines:])

    def rss(self):
        return proc_status(self.pid, "VmRSS")

    def hwm(self):
        return proc_status(self.pid, "VmHWM")

    def reset_hwm(self):
        """Resets VmHWM to the current RSS (Linux: `5` into clear_refs); False where that is not allowed."""
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as f:
                f.write("5")
            return True
        except OSError:
            return False

    def peer_sockets(self, remote_ip=None):
        return process_tcp_sockets(self.pid, remote_ip)


def proc_status(pid, field):
    """A `kB` field of /proc/PID/status, in bytes."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


TCP_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2", 6: "TIME_WAIT",
              7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING"}


def _address(text):
    ip, port = text.split(":")
    return socket.inet_ntoa(struct.pack("<I", int(ip, 16))), int(port, 16)


def process_tcp_sockets(pid, remote_ip=None):
    """The IPv4 TCP sockets the process holds a descriptor of: [(local, remote, state)], optionally only those
    whose remote address is `remote_ip`. A socket the process has closed is not listed, whatever the kernel still
    does with it."""
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            link = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    out = []
    with open(f"/proc/{pid}/net/tcp") as f:
        next(f)
        for line in f:
            parts = line.split()
            if parts[9] not in inodes:
                continue
            local, remote = _address(parts[1]), _address(parts[2])
            if remote_ip is not None and remote[0] != remote_ip:
                continue
            out.append((local, remote, TCP_STATES.get(int(parts[3], 16), parts[3])))
    return out


class LegitLoad:
    """Health/Check and Descendants(root) in closed loops from a child process (legit_load.py)."""

    def __init__(self, server, stubs_dir, root_hex):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "legit_load.py"), "--target", server.target, "--stubs", stubs_dir,
             "--root", root_hex],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        line = self._readline(60)
        if line.strip() != "ready":
            raise RuntimeError(f"legit load did not start: {line!r}")

    def _readline(self, timeout):
        if not readable(self.proc.stdout, timeout):
            raise RuntimeError("legit load did not answer in time")
        return self.proc.stdout.readline()

    def begin(self, name):
        self.proc.stdin.write(f"begin {name}\n")
        self.proc.stdin.flush()

    def end(self):
        self.proc.stdin.write("end\n")
        self.proc.stdin.flush()
        return json.loads(self._readline(30))

    def close(self):
        with contextlib.suppress(Exception):
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class RSSMonitor(threading.Thread):
    def __init__(self, server, interval=0.05):
        super().__init__(daemon=True)
        self.server = server
        self.interval = interval
        self.peak = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            with contextlib.suppress(OSError, KeyError):
                self.peak = max(self.peak, self.server.rss())
            self.stopped.wait(self.interval)

    def stop(self):
        self.stopped.set()
        self.join()


def latency_limit(baseline_p99):
    """The attack's p99 bound: 10 × the baseline p99, with the baseline floored at LATENCY_FLOOR_MS (2 ms unless
    ARBOR_ATTACK_LATENCY_FLOOR_MS says otherwise) so a sub-millisecond baseline does not turn scheduling noise on a
    shared 2-core machine into a failure."""
    return LATENCY_FACTOR * max(baseline_p99 or 0.0, LATENCY_FLOOR_MS)


class AttackRun:
    """One attack beside the legitimate load: the baseline before it, latencies and peak RSS during it, recovery
    after it, and the acceptance checks of issue 9. Use as a context manager around the attack; set `outcome` to
    one line saying what the server did to the attacker."""

    def __init__(self, suite, server, test_name, finding, attack, check_latency=True):
        self.suite = suite
        self.server = server
        self.test_name = test_name
        self.finding = finding
        self.attack = attack
        self.check_latency = check_latency
        self.outcome = ""
        self.details = {}
        self.legit = None
        self.baseline = None
        self.during = None
        self.rss_baseline = None
        self.rss_peak = None
        self.rss_after = None
        self.recovery_seconds = None
        self.started = None
        self.attack_seconds = None

    def __enter__(self):
        self.legit = LegitLoad(self.server, self.suite.stubs_dir, self.suite.legit_root)
        self.legit.begin("baseline")
        time.sleep(BASELINE_SECONDS)
        self.baseline = self.legit.end()
        self.rss_baseline = self.server.rss()
        self.hwm_reset = self.server.reset_hwm()
        self.monitor = RSSMonitor(self.server)
        self.monitor.start()
        self.legit.begin("attack")
        self.started = time.monotonic()
        return self

    def elapsed(self):
        return time.monotonic() - self.started

    def hold(self, seconds):
        """Keeps the attack window open until it has lasted `seconds`, so a short attack still has enough
        legitimate samples beside it for a p99 to mean something."""
        remaining = seconds - self.elapsed()
        if remaining > 0:
            time.sleep(remaining)

    def __exit__(self, exc_type, exc, tb):
        self.attack_seconds = self.elapsed()
        self.during = self.legit.end()
        self.monitor.stop()
        alive = self.server.proc.poll() is None
        if alive:
            self.rss_peak = max(self.monitor.peak, self.server.hwm() if self.hwm_reset else 0)
            self._wait_for_recovery()
        self.legit.close()
        if exc is not None and not self.outcome:
            self.outcome = f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        elif exc is not None:
            self.outcome += f" | FAILED: {type(exc).__name__}"
        self.suite.record(self)
        if exc is not None:
            return False
        self.server.check_alive()
        self.assert_acceptance()
        return False

    def _wait_for_recovery(self):
        limit = self.rss_baseline + RSS_RECOVERY_SLACK
        started = time.monotonic()
        while True:
            self.rss_after = self.server.rss()
            if self.rss_after <= limit or time.monotonic() - started > RSS_RECOVERY_SECONDS:
                break
            time.sleep(0.5)
        self.recovery_seconds = round(time.monotonic() - started, 1)

    def assert_acceptance(self):
        problems = []
        if self.check_latency:
            for kind in ("health", "descendants"):
                base, now = self.baseline[kind], self.during[kind]
                if base["errors"] or not base["count"] or base["p99_ms"] > BASELINE_SANE_MS:
                    problems.append(f"legitimate {kind} calls were already failing before the attack (baseline "
                                    f"p99 {base['p99_ms']} ms, errors {base['errors']}); nothing to compare against")
                    continue
                if now["errors"]:
                    problems.append(f"legitimate {kind} calls failed during the attack: {now['errors']}")
                # A call still waiting when the window closed is among the samples at the time it had taken.
                if now["count"] - now.get("unfinished", 0) <= 0:
                    problems.append(f"no legitimate {kind} call completed during the attack")
                if not now["count"]:
                    continue
                limit = latency_limit(base["p99_ms"])
                if now["p99_ms"] > limit:
                    problems.append(f"legitimate {kind} p99 {now['p99_ms']:.1f} ms during the attack exceeds "
                                    f"10 x max(baseline p99 {base['p99_ms']:.2f} ms, {LATENCY_FLOOR_MS:g} ms) "
                                    f"= {limit:.1f} ms")
        if self.rss_peak is not None and self.rss_peak >= RSS_CEILING:
            problems.append(f"server RSS peaked at {self.rss_peak / MIB:.0f} MB (limit {RSS_CEILING / MIB:.0f} MB)")
        if self.rss_after is not None and self.rss_after > self.rss_baseline + RSS_RECOVERY_SLACK:
            problems.append(f"server RSS {self.rss_after / MIB:.0f} MB {RSS_RECOVERY_SECONDS} s after the attack, "
                            f"more than baseline {self.rss_baseline / MIB:.0f} MB + 100 MB")
        assert not problems, "; ".join(problems)

    def row(self):
        def p99(window, kind):
            value = (window or {}).get(kind, {}).get("p99_ms")
            return None if value is None else round(value, 2)

        return {
            "test": self.test_name,
            "finding": self.finding,
            "attack": self.attack,
            "outcome": self.outcome,
            "server_flags": " ".join(self.server.flags),
            "attack_seconds": round(self.attack_seconds or 0, 1),
            "health_p99_baseline_ms": p99(self.baseline, "health"),
            "health_p99_attack_ms": p99(self.during, "health"),
            "descendants_p99_baseline_ms": p99(self.baseline, "descendants"),
            "descendants_p99_attack_ms": p99(self.during, "descendants"),
            "legit_calls_attack": {k: (self.during or {}).get(k, {}).get("count") for k in ("health", "descendants")},
            "legit_errors_attack": {k: (self.during or {}).get(k, {}).get("errors") for k in ("health", "descendants")},
            "descendants_sources_attack": (self.during or {}).get("descendants_sources"),
            "max_snapshot_age_ms_attack": (self.during or {}).get("max_snapshot_age_ms"),
            "rss_baseline_mb": _mb(self.rss_baseline),
            "rss_peak_mb": _mb(self.rss_peak),
            "rss_after_mb": _mb(self.rss_after),
            "rss_recovery_s": self.recovery_seconds,
            "details": self.details,
        }


def _mb(value):
    return None if value is None else round(value / MIB, 1)


def table_header():
    return ("| Finding | Attack | Outcome | Health p99 base → attack (ms) | Descendants p99 base → attack (ms) "
            "| Peak RSS (MB) | RSS after (MB) |\n|---|---|---|---|---|---|---|")


def table_line(row):
    def pair(a, b):
        return f"{'—' if a is None else f'{a:.2f}'} → {'—' if b is None else f'{b:.2f}'}"

    return (f"| {row['finding']} | {row['attack']} | {row['outcome']} "
            f"| {pair(row['health_p99_baseline_ms'], row['health_p99_attack_ms'])} "
            f"| {pair(row['descendants_p99_baseline_ms'], row['descendants_p99_attack_ms'])} "
            f"| {row['rss_peak_mb']} | {row['rss_after_mb']} (base {row['rss_baseline_mb']}) |")


REPORT_ROWS = []


class Suite:
    """Session-wide state: database, stubs, seeded ids, the binary and the report rows."""

    def __init__(self, binary, admin_url, database_name, database_url, stubs_dir, workdir, legit_root, top_root):
        self.binary = binary
        self.admin_url = admin_url
        self.database_name = database_name
        self.database_url = database_url
        self.stubs_dir = stubs_dir
        self.workdir = workdir
        self.legit_root = legit_root
        self.top_root = top_root
        self.report_path = os.environ.get("ARBOR_ATTACK_REPORT")

    def record(self, run):
        row = run.row()
        REPORT_ROWS.append(row)
        print("\n" + table_line(row), flush=True)
        if self.report_path:
            with open(self.report_path, "a") as f:
                f.write(json.dumps(row) + "\n")


ATTACKER_NICENESS = int(os.environ.get("ARBOR_ATTACK_NICENESS", "10"))


def attacker_thread():
    """Lowers the calling thread's CPU priority (Linux: per thread). The attacker shares two cores with the server
    here, where a real one would bring its own machine: at equal priority the measured latencies would be the
    kernel dividing the cores between attacker and server, not the server's defences."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ATTACKER_NICENESS)


def run_attackers(count, target, *args):
    """Runs `target(index, *args)` on `count` attacker threads (lowered priority) and waits for them; an exception
    in one is raised here."""
    errors = []

    def body(index):
        attacker_thread()
        try:
            target(index, *args)
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            errors.append(e)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
