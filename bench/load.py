"""Load over HTTP on loopback: wrk for readers, a small threaded client for writers."""

import http.client
import json
import random
import re
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench import data

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class WrkSettings:
    threads: int = 2
    connections: int = 16
    seconds: int = 10
    warmup_seconds: int = 2

    def as_dict(self) -> dict:
        return {**self.__dict__}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _run_wrk(url: str, seconds: int, settings: WrkSettings, headers: list[str]) -> dict:
    command = ["wrk", f"-t{settings.threads}", f"-c{settings.connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(WRK_SCRIPT)]
    for header in headers:
        command += ["-H", header]
    finished = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in finished.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line.removeprefix("BENCH-JSON "))
    raise RuntimeError(f"wrk gave no figures for {url}: {finished.stdout}{finished.stderr}")


def wrk(url: str, settings: WrkSettings, *, cookie: str = "") -> dict:
    """Requests per second and latency percentiles for `url`, after a warm-up that is thrown away."""
    headers = [f"Cookie: {cookie}"] if cookie else []
    if settings.warmup_seconds:
        _run_wrk(url, settings.warmup_seconds, settings, headers)
    raw = _run_wrk(url, settings.seconds, settings, headers)
    seconds = raw["duration_us"] / 1e6
    # With no request finished wrk reports nonsense latencies; say "none" instead.
    latency = raw["latency_us"] if raw["requests"] else dict.fromkeys(raw["latency_us"])
    return {
        "url": url,
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "latency_ms": {key: None if value is None else round(value / 1000, 3) for key, value in latency.items()},
        "errors": raw["errors"],
        "bytes_per_request": round(raw["bytes"] / raw["requests"]) if raw["requests"] else None,
    }


def in_turns(urls: dict[str, str], settings: WrkSettings, *, rounds: int, seconds: int) -> dict:
    """wrk on each of `urls` in turn, `rounds` times over, `seconds` a run, with no warm-up
    (run them once before): a change in the machine's speed while they run (another guest
    on the same host, say) then falls on each of them alike, so the ratio of their rates
    moves less than that of two runs a minute apart. Per name: each round's rate, and the
    rate over all rounds (all requests / all seconds)."""
    found: dict[str, list[dict]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            found[name].append(_run_wrk(url, seconds, settings, []))
    figures = {}
    for name, raws in found.items():
        requests = sum(raw["requests"] for raw in raws)
        duration = sum(raw["duration_us"] for raw in raws) / 1e6
        figures[name] = {
            "url": urls[name],
            "requests": requests,
            "seconds": round(duration, 3),
            "requests_per_s": round(requests / duration, 1),
            "rounds_requests_per_s": [round(raw["requests"] / (raw["duration_us"] / 1e6), 1) for raw in raws],
            "errors": sum(sum(raw["errors"].values()) for raw in raws),
        }
    return figures


type Answer = tuple[int, http.client.HTTPMessage, bytes, float]


def fetch(base_url: str, path: str, *, cookie: str = "", timeout: float = 120) -> Answer:
    """GET `path`: status, headers, body and seconds taken."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read()
        return response.status, response.headers, body, time.perf_counter() - started
    finally:
        conn.close()


def signed_in_cookie(base_url: str, path: str, session_cookie: str, csrf_cookie_name: str) -> tuple[str, str]:
    """Open `path` signed in, as a browser would: the cookies it then sends, and the form's CSRF token."""
    status, headers, body, _ = fetch(base_url, path, cookie=session_cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status} to a signed-in member")
    cookies = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    match = CSRF_INPUT.search(body.decode())
    if csrf_cookie_name not in cookies or not match:
        raise RuntimeError(f"{path} gave no CSRF cookie or form token: is the session signed in?")
    return f"{session_cookie}; {csrf_cookie_name}={cookies[csrf_cookie_name].value}", match.group(1)


# Texts each writer prepares, cycled through if it posts more (each post has its own marker).
PREPARED_TEXTS = 400


@dataclass
class Writer:
    """One signed-in member posting as fast as the server answers."""

    index: int
    session_cookie: str  # "sessionid=..."
    csrf_cookie_name: str
    path: str  # the post page; comments go to path + "comment/"
    parents: list[int]
    run_id: str
    seed: int
    accepted: list[str] = field(default_factory=list)
    refused: Counter = field(default_factory=Counter)
    attempted: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    failure: str = ""
    texts: list[tuple[str, str]] = field(default_factory=list)  # (parent, text), made by prepare()

    def prepare(self, base_url: str) -> None:
        self.cookie, self.csrf_token = signed_in_cookie(base_url, self.path, self.session_cookie, self.csrf_cookie_name)
        # Texts are written before the clock starts: the writers share the server's cores,
        # and the load should cost them as little as it can (wrk, for readers, is C).
        rng = random.Random(self.seed * 1000 + self.index)
        self.texts = [
            ("" if n % 3 == 0 or not self.parents else str(rng.choice(self.parents)), data.comment_body(rng))
            for n in range(PREPARED_TEXTS)
        ]

    def run(self, base_url: str, start: threading.Barrier, deadline_box: list[float]) -> None:
        parts = urlsplit(base_url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {
            "Cookie": self.cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": base_url,
            "Referer": base_url + self.path,
        }
        start.wait()
        n = 0
        try:
            while time.monotonic() < deadline_box[0]:
                marker = f"{self.run_id}-w{self.index:02d}-{n:05d}"
                parent, text = self.texts[n % len(self.texts)]  # a text again has its own marker
                n += 1
                form = {
                    "csrfmiddlewaretoken": self.csrf_token,
                    "body": f"{text}\n\n{marker}",
                    "parent": parent,
                    "token": str(uuid.uuid4()),
                }
                self.attempted.append(marker)
                started = time.perf_counter()
                conn.request("POST", self.path + "comment/", body=urlencode(form), headers=headers)
                response = conn.getresponse()
                response.read()
                self.latencies.append(time.perf_counter() - started)
                if response.status == 302:
                    self.accepted.append(marker)
                else:
                    self.refused[response.status] += 1
        except Exception as error:  # recorded and reported: a writer that dies must not stop the others
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            conn.close()


def run_writers(base_url: str, writers: list[Writer], *, seconds: float) -> dict:
    """All writers start together and post for `seconds`; returns what the server accepted."""
    for writer in writers:
        writer.prepare(base_url)
    start = threading.Barrier(len(writers) + 1)
    deadline_box = [0.0]
    threads = [
        threading.Thread(target=writer.run, args=(base_url, start, deadline_box), daemon=True) for writer in writers
    ]
    for thread in threads:
        thread.start()
    deadline_box[0] = time.monotonic() + seconds
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - began
    latencies = sorted(value for writer in writers for value in writer.latencies)
    accepted = [marker for writer in writers for marker in writer.accepted]
    refused = sum((writer.refused for writer in writers), Counter())

    def percentile(share: float) -> float | None:
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 2) if latencies else None

    return {
        "writers": len(writers),
        "seconds": round(elapsed, 3),
        "attempted": sum(len(writer.attempted) for writer in writers),
        "accepted": len(accepted),
        "refused": {str(status): count for status, count in sorted(refused.items())},
        "failures": [writer.failure for writer in writers if writer.failure],
        "comments_per_s": round(len(accepted) / elapsed, 1),
        "latency_ms": {"p50": percentile(0.5), "p90": percentile(0.9), "p99": percentile(0.99)},
        "accepted_markers": accepted,
        "attempted_markers": [marker for writer in writers for marker in writer.attempted],
    }
