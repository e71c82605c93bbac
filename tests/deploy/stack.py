"""The production topology of the README, started for real on 127.0.0.1: PostgreSQL, Redis, two
gunicorn servers (gunicorn.conf.py, one worker of four threads each, on two ports that the clients
use alternately) and a separate ``flask tasks worker``; plus a client that never retries."""

from __future__ import annotations

import http.client
import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, seconds: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(interval)


class Redis:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (make setup-test installs it)"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "3600 1",
                "--appendonly",
                "no",
            ],
            stdout=open(self.folder / "redis.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, 10, "redis-server answers")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def restart(self) -> None:
        """SHUTDOWN (which saves the data, as a packaged Redis does), then start it again."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)
        self.start()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Process:
    """A server process of ours, with its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, folder: Path):
        self.name, self.command, self.env, self.log = name, command, env, folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def signal(self, number) -> None:
        self.process.send_signal(number)

    def stop(self, seconds: float = 20) -> float:
        """SIGTERM, then wait; the seconds it took."""
        started = time.monotonic()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
                raise AssertionError(f"{self.name} did not stop within {seconds} s") from None
        return time.monotonic() - started

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def gunicorn(name: str, port: int, env: dict, folder: Path) -> Process:
    return Process(
        name,
        [
            str(VENV_BIN / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            "1",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        env,
        folder,
    )


def task_worker(env: dict, folder: Path, name: str = "worker") -> Process:
    return Process(name, [str(VENV_BIN / "flask"), "--app", "wsgi", "tasks", "worker", "--workers", "2"], env, folder)


def flask(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done.stdout


def _closed_by_the_server(sock) -> bool:
    """A kept-alive connection is readable between responses only when the server closed it."""
    readable, _writable, _errors = select.select([sock], [], [], 0)
    return bool(readable)


# --- the client -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (what, exception or status) that must not happen
    resets: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def error(self, what: str, problem) -> None:
        with self.lock:
            self.requests += 1
            self.errors.append((what, repr(problem)[:300]))
            if isinstance(problem, (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError)):
                self.resets += 1


class Client:
    """One user's browser-like client: a kept-alive connection to each server, used alternately;
    a request that fails is counted, never sent again."""

    def __init__(self, ports: list[int], token: str):
        self.ports = ports
        self.headers = {"Authorization": f"Bearer {token}"}
        self.connections: dict[int, http.client.HTTPConnection] = {}
        self.turn = random.randrange(len(ports))

    def request(self, method: str, path: str, body=None, headers=None):
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        connection = self.connections.get(port)
        if connection is not None and connection.sock is not None and _closed_by_the_server(connection.sock):
            connection.close()  # as browsers and urllib3 do: a kept-alive connection the server closed is not reused
            connection = None
        if connection is None:
            connection = self.connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = dict(self.headers, **(headers or {}))
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            content = response.read()
        except Exception:
            connection.close()
            self.connections.pop(port, None)
            raise
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            self.connections.pop(port, None)
        return response.status, dict(response.getheaders()), content

    def json(self, method: str, path: str, body=None, headers=None):
        status, response_headers, content = self.request(method, path, body, headers)
        return status, response_headers, json.loads(content) if content else None

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()
