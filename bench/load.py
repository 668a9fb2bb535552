"""Load on loopback: gunicorn (2 workers) serves an app, wrk drives it for a bounded time."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "lua"
WORKERS = 2
HOST = "127.0.0.1"
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    # The gunicorn workers' CPU time per request (0 when not measured).
    cpu_ms: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in vars(self).items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """A running gunicorn; base_url, its workers' CPU time and peak memory."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process, self.port = process, port
        self.base_url = f"http://{HOST}:{port}"

    def worker_peak_rss_mb(self) -> float:
        return max((peak_rss_mb(pid) for pid in _worker_pids(self.process.pid)), default=0.0)

    def worker_cpu_seconds(self) -> float:
        return sum(cpu_seconds(pid) for pid in _worker_pids(self.process.pid))

    def wrk(self, path: str, duration: float, connections: int, **options: Any) -> WrkResult:
        """wrk against this server, with the workers' CPU time per request (not disturbed
        by other work on the machine, unlike requests/s)."""
        before = self.worker_cpu_seconds()
        result = wrk(self.base_url + path, duration, connections, **options)
        used = self.worker_cpu_seconds() - before
        return replace(result, cpu_ms=1000 * used / max(result.requests, 1))


@contextmanager
def serve(app_spec: str, env: dict[str, str], log: Path, ready_path: str = "/") -> Iterator[Server]:
    """gunicorn -w 2 on a free loopback port, until the block ends."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"{HOST}:{port}",
        "--log-level", "warning", app_spec,
    ]  # fmt: skip
    output = log.open("ab")
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=output
    )
    server = Server(process, port)
    try:
        _wait_until_ready(server, ready_path)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def _wait_until_ready(server: Server, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=5):  # noqa: S310
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def warm_up(base_url: str, paths: Sequence[str], rounds: int = 2) -> None:
    """A few sequential requests per path, so both workers have compiled templates and caches."""
    for _ in range(rounds):
        for path in paths:
            for _worker in range(WORKERS):
                with urllib.request.urlopen(base_url + path, timeout=30) as response:  # noqa: S310
                    response.read()


def wrk(
    url: str,
    duration: float,
    connections: int,
    threads: int = 2,
    script: str | None = None,
    script_args: Sequence[str] = (),
) -> WrkResult:
    """One bounded wrk run; latency percentiles from its --latency report."""
    command = [
        "wrk", "--threads", str(min(threads, connections)), "--connections", str(connections),
        "--duration", f"{duration:g}s", "--timeout", "10s", "--latency",
    ]  # fmt: skip
    if script:
        command += ["--script", str(LUA / script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(  # noqa: S603
        command, check=True, capture_output=True, text=True, timeout=duration + 60
    ).stdout
    return parse_wrk(output)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rate and p50 and p99 and total):
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return WrkResult(float(rate[1]), _ms(p50[1]), _ms(p99[1]), int(total[1]), errors)


def login(base_url: str, name: str, password: str, thread_path: str) -> tuple[str, str]:
    """Log a member in over HTTP; returns their Cookie header and a CSRF token for forms."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base_url + "/account/login", timeout=30).read().decode()
    token = TOKEN.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    form = urllib.parse.urlencode({"login": name, "password": password, "csrf_token": token[1]})
    opener.open(base_url + "/account/login", data=form.encode(), timeout=30).read()
    page = opener.open(base_url + thread_path, timeout=30).read().decode()
    token = TOKEN.search(page)
    if token is None or "/account/logout" not in page:
        raise RuntimeError(f"{name} could not log in")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, token[1]
