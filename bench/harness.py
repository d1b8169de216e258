"""Runs every client of the benchmark against one emulator and writes the raw results.

    python bench/harness.py --out target/bench/results.json [--runs 5] [--n 2000] [--quick]

Called by bench/run.sh after bench/setup.sh has built and installed everything. Each client
is a separate program (bench/README.md lists them) that prints one JSON line; this script
starts it, and measures from the outside what the client cannot say about itself in the
same way for all: peak RSS and CPU time (from wait4), token endpoint calls (the emulator's
counters before and after) and the emulator's own CPU time. Clients run interleaved, run
after run, so that a noisy moment of the machine hits all of them rather than one.
"""

import argparse
import ctypes
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, "target", "release")
BUILT = os.path.join(ROOT, "target", "bench")
VENV_PYTHON = os.path.join(BUILT, "venv", "bin", "python")
# Debian installs nginx in /usr/sbin, which is not on every user's PATH.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
CLIENT_ID, CLIENT_SECRET, AUDIENCE = "tasklist-client", "tasklist-secret", "tasklist.camunda.io"
RUN_TIMEOUT_S = 300  # a hung client must not hang `make bench`
CONCURRENCY = 8
ALL_QUERY = '{"candidateGroup":"generated"}'  # exactly the generated tasks of the paging emulator
PAGING_TASKS = 5000
VARIABLE_BYTES = 1 << 20


# --- the emulator -------------------------------------------------------------------------

class Emulator:
    """A release emulator on a free loopback port. It exits when its stdin closes, so it
    cannot outlive the harness even if the harness is killed."""

    def __init__(self, tasks, version="legacy"):
        self.proc = subprocess.Popen(
            [os.path.join(RELEASE, "tasklist-emulator"), "--camunda-version", version,
             "--addr", "127.0.0.1:0", "--admin",
             "--tasks", str(tasks), "--token-lifetime", "3600", "--exit-on-stdin-eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.base = self.proc.stdout.readline().strip()
        if not self.base.startswith("http://"):
            raise SystemExit(f"emulator did not start: {self.base!r}")

    def call(self, method, path, body=None, token=None, form=False):
        data, headers = None, {}
        if body is not None and form:
            data = "&".join(f"{k}={v}" for k, v in body.items()).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + token
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(request, timeout=60) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def token(self):
        return self.call("POST", "/oauth/token", {
            "grant_type": "client_credentials", "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "audience": AUDIENCE}, form=True)["access_token"]

    def token_requests(self):
        return self.call("GET", "/__emulator/counters")["token_requests"]

    def cpu_seconds(self):
        """utime + stime of the emulator process, to show the server's share of each request."""
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- nginx, the second floor -------------------------------------------------------------

SEARCH_BODY = b'{"pageSize":50}'  # what bench/wrk/search.lua sends


def search_answer(base, token):
    """The exact bytes and Content-Type of the server's answer to the benchmark's search."""
    request = urllib.request.Request(
        base + "/v1/tasks/search", data=SEARCH_BODY, method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, answer.headers.get("Content-Type"), answer.read()


def die_with_parent():
    """Runs in the child before exec: the kernel sends it SIGKILL when the harness dies, even
    by SIGKILL, so a server started here never outlives the harness."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """Debian's nginx serving a copy of the emulator's answer to the benchmark's search, so
    that the floor can also be measured against a server that does nothing but send a page
    (the issue's calibration: wrk against nginx serving a static 50-task page).

    One process in the foreground (`daemon off`, `master_process off`, one worker), its
    configuration, pid file and error log under target/bench/nginx, the page in a temporary
    directory. nginx answers a POST to a static file with 405; `error_page 405 =200 $uri`
    turns that into the file with status 200, as a GET would get it."""

    CONFIG = """\
daemon off;
master_process off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {log} warn;
events {{ worker_connections 256; }}
http {{
    # No line per request: the emulator logs nothing per request either.
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    types {{ }}
    default_type "{content_type}";
    sendfile on;
    tcp_nodelay on;
    open_file_cache max=16;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location = /v1/tasks/search {{
            error_page 405 =200 $uri;
        }}
        location / {{ return 404; }}
    }}
}}
"""

    def __init__(self, emulator, token):
        if not NGINX:
            raise SystemExit("nginx is missing: bash bench/setup.sh installs it (apt-get install nginx-light)")
        status, content_type, body = search_answer(emulator.base, token)
        if status != 200 or not body:
            raise SystemExit(f"the emulator's search answered {status}")
        self.page = tempfile.TemporaryDirectory(prefix="tasklist-bench-page-")
        os.makedirs(os.path.join(self.page.name, "v1", "tasks"))
        with open(os.path.join(self.page.name, "v1", "tasks", "search"), "wb") as f:
            f.write(body)
        self.dir = os.path.join(BUILT, "nginx")
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(self.dir, "error.log")
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(self.CONFIG.format(dir=self.dir, log=self.log, root=self.page.name,
                                       port=self.port, content_type=content_type))
        with open(self.log, "w") as log:  # a fresh log per harness run
            self.proc = subprocess.Popen(
                [NGINX, "-p", self.dir, "-e", self.log, "-c", conf], stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, preexec_fn=die_with_parent)
        try:
            self.wait_ready()
            got = search_answer(self.base, token)
            if got != (200, content_type, body):
                raise SystemExit(f"nginx does not answer the emulator's page: status {got[0]}, "
                                 f"Content-Type {got[1]!r}, {len(got[2])} bytes against "
                                 f"{content_type!r}, {len(body)} bytes")
        except BaseException:
            self.stop()
            raise
        self.bytes, self.content_type = len(body), content_type

    def wait_ready(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"nginx exited ({self.proc.returncode}):\n"
                                 + open(self.log, errors="replace").read()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"nginx did not listen on {self.base} within 10 s")

    def token_requests(self):
        return 0  # nginx has no token endpoint: wrk's fixed token comes from the emulator

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: a fast shutdown
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.page.cleanup()


# --- the clients --------------------------------------------------------------------------

def client_commands():
    """name -> (argv prefix, working directory); the workload arguments are appended."""
    py = VENV_PYTHON if os.path.exists(VENV_PYTHON) else sys.executable
    return {
        "c": ([os.path.join(BUILT, "tasklist_bench")], ROOT),
        "python": ([py, os.path.join(ROOT, "bench", "python", "binding_bench.py")], ROOT),
        "go": ([os.path.join(BUILT, "go_bench")], ROOT),
        "node-sdk": (["node", os.path.join(ROOT, "bench", "node", "sdk_bench.js")],
                     os.path.join(ROOT, "bench", "node")),
        "requests": ([py, os.path.join(ROOT, "bench", "python", "requests_bench.py")], ROOT),
        # The v2 workload's clients (bench/README.md, "The v2 workload").
        "python-v2": ([py, os.path.join(ROOT, "bench", "python", "binding_v2_bench.py")], ROOT),
        "py-sdk-v2": ([py, os.path.join(ROOT, "bench", "python", "sdk_v2_bench.py")], ROOT),
        "node-sdk-v2": (["node", os.path.join(ROOT, "bench", "node-v2", "sdk_bench.js")],
                        os.path.join(ROOT, "bench", "node-v2")),
    }


def client_env(emulator, extra=None):
    env = dict(os.environ)
    env.update({
        "BENCH_BASE_URL": emulator.base,
        "BENCH_TOKEN_URL": emulator.base + "/oauth/token",
        "BENCH_CLIENT_ID": CLIENT_ID,
        "BENCH_CLIENT_SECRET": CLIENT_SECRET,
        # The Python binding is the one in this tree, on the library just built.
        "PYTHONPATH": os.path.join(ROOT, "bindings", "python", "src"),
        "TASKLIST_LIBRARY": os.path.join(RELEASE, "libtasklist.so"),
        # The Node SDK reads its configuration from these, as its documentation says.
        "CAMUNDA_AUTH_STRATEGY": "OAUTH",
        "CAMUNDA_OAUTH_URL": emulator.base + "/oauth/token",
        "ZEEBE_CLIENT_ID": CLIENT_ID,
        "ZEEBE_CLIENT_SECRET": CLIENT_SECRET,
        "CAMUNDA_TASKLIST_BASE_URL": emulator.base,
        "CAMUNDA_TASKLIST_OAUTH_AUDIENCE": AUDIENCE,
        "CAMUNDA_TOKEN_DISK_CACHE_DISABLE": "true",
    })
    env.update(extra or {})
    return env


def measure(argv, cwd, env, emulator):
    """Runs one client process; returns its JSON line plus what rusage and the server tell
    (`emulator` is the server the client talks to: the emulator, or nginx for a floor)."""
    tokens_before, server_cpu_before = emulator.token_requests(), emulator.cpu_seconds()
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as usage:
        started = time.monotonic()
        proc = subprocess.Popen([os.path.join(BUILT, "rusage_run"), usage.name, *argv], cwd=cwd,
                                env=env, stdout=subprocess.PIPE, stderr=err)
        killer = threading.Timer(RUN_TIMEOUT_S, proc.kill)
        killer.start()
        out, _ = proc.communicate()
        killer.cancel()
        wall = time.monotonic() - started
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{stderr}")
        rss_kb, cpu_s = usage.read().split()
    result = json.loads(out.decode().strip().splitlines()[-1])
    if result.get("errors"):
        raise SystemExit(f"{' '.join(argv)}: {result['errors']} failed requests")
    result.update({
        "rss_kb": int(rss_kb),
        "cpu_s": float(cpu_s),  # the whole process, start-up included
        "process_s": wall,
        "token_requests": emulator.token_requests() - tokens_before,
        "server_cpu_s": emulator.cpu_seconds() - server_cpu_before,
        "stderr": stderr[-2000:],
    })
    return result


def run_client(name, workload, n, threads, emulator, extra_env=None):
    argv, cwd = client_commands()[name]
    return measure(argv + [workload, str(n), str(threads)], cwd, client_env(emulator, extra_env),
                   emulator)


def run_wrk(server, token, seconds, connections, script="search.lua"):
    """The floor, against the emulator or nginx (`server`, either has `base`, `cpu_seconds`
    and `token_requests`). One wrk thread per two connections at most: the machine has 2
    cores."""
    threads = min(connections, 2)
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
            "-s", os.path.join(ROOT, "bench", "wrk", script), server.base]
    result = measure(argv, ROOT, client_env(server, {"BENCH_TOKEN": token}), server)
    # The fixed token, fetched once by the harness from the emulator; nginx checks none.
    result["token_requests"] = 1 if isinstance(server, Emulator) else None
    return result


# --- the machine --------------------------------------------------------------------------

def version_of(argv, pattern=r"(\S*\d+\.\d+\S*)"):
    try:
        text = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        found = re.search(pattern, text.stdout + text.stderr)
        return found.group(1) if found else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "missing"


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    sdk = json.load(open(os.path.join(ROOT, "bench", "node", "node_modules", "@camunda8", "sdk",
                                      "package.json")))["version"]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "rustc": version_of(["rustc", "--version"], r"(rustc \S+)"),
        "cc": version_of(["cc", "--version"], r"(\d+\.\d+\.\d+)"),
        "go": version_of(["go", "version"], r"go(\d+\.\d+\S*)"),
        "node": version_of(["node", "--version"]),
        "python": platform.python_version(),
        "requests": version_of([VENV_PYTHON, "-c", "import requests; print(requests.__version__)"]),
        "wrk": version_of(["wrk", "-v"]),
        "nginx": version_of([NGINX or "nginx", "-v"], r"nginx/(\S+)"),
        "camunda8_sdk": sdk,
        "orchestration_cluster_api": json.load(open(os.path.join(
            ROOT, "bench", "node-v2", "node_modules", "@camunda8", "orchestration-cluster-api",
            "package.json")))["version"],
        "camunda_orchestration_sdk": version_of(
            [VENV_PYTHON, "-c", "from importlib.metadata import version; "
             "print(version('camunda-orchestration-sdk'))"]),
        "load_at_start": os.getloadavg()[0],
    }


def library_sizes():
    """Bytes of the shared and static library as built and as stripped (copies are stripped;
    the static library keeps its symbol table, or it could not be linked)."""
    sizes = {}
    for name, strip_args in (("libtasklist.so", ["--strip-all"]), ("libtasklist.a", ["--strip-debug"])):
        src = os.path.join(RELEASE, name)
        copy = os.path.join(BUILT, "stripped-" + name)
        shutil.copyfile(src, copy)
        subprocess.run(["strip", *strip_args, copy], check=True)
        sizes[name] = {"built": os.path.getsize(src), "stripped": os.path.getsize(copy)}
    return sizes


# --- the workloads ------------------------------------------------------------------------

SEARCH_CLIENTS = ["c", "python", "go", "node-sdk", "requests"]


def search_workload(args, log, page):
    """Workload 1: N searches of one 50-task page, sequential and with 8 threads. The floor
    is measured twice: wrk against the emulator (the floor of every ratio), and wrk against
    nginx serving the emulator's very answer, which tells whether the emulator is the
    bottleneck. `page` gets the size and Content-Type of the page nginx serves."""
    emulator, nginx = Emulator(tasks=args.tasks), None
    try:
        token = emulator.token()
        nginx = Nginx(emulator, token)
        log(f"nginx serves the emulator's answer ({nginx.bytes:,} bytes, "
            f"{nginx.content_type}) on {nginx.base}")
        page["bytes"], page["content_type"] = nginx.bytes, nginx.content_type
        results = []
        for run in range(args.runs):
            for name in ["wrk", "wrk-nginx"] + SEARCH_CLIENTS:
                for mode, threads in (("sequential", 1), ("concurrent", CONCURRENCY)):
                    if name == "wrk":
                        r = run_wrk(emulator, token, args.wrk_seconds, threads)
                    elif name == "wrk-nginx":
                        r = run_wrk(nginx, token, args.wrk_seconds, threads)
                    else:
                        # The slow peers get fewer calls, so a run stays short; every number
                        # reported is per request, so N only sets the precision.
                        n = {"node-sdk": args.n // 10, "requests": args.n // 4}.get(name, args.n)
                        r = run_client(name, "search", n, threads, emulator)
                    r.update({"client": name, "mode": mode, "run": run})
                    results.append(r)
                    log(f"run {run + 1}/{args.runs} {name:9} {mode:10} "
                        f"{r['requests'] / r['seconds']:9.0f} req/s  p50 {r['p50_us']:8.0f} us  "
                        f"p99 {r['p99_us']:8.0f} us  rss {r['rss_kb'] / 1024:6.1f} MiB  "
                        f"tokens {'-' if r['token_requests'] is None else r['token_requests']}")
        return results
    finally:
        if nginx:
            nginx.stop()
        emulator.stop()


def rss_workload(args, log):
    """RSS of the C loop every tenth of a long run: it should stay flat."""
    emulator = Emulator(tasks=args.tasks)
    try:
        r = run_client("c", "rss", args.rss_n, 1, emulator)
        r["samples"] = [[int(a), int(b)] for a, b in re.findall(r"^rss (\d+) (\d+)$", r["stderr"], re.M)]
        log(f"rss over {args.rss_n} requests (KiB): {[kb for _, kb in r['samples']]}")
        return r
    finally:
        emulator.stop()


def big_variable(emulator):
    """Completes a seeded task with a 1 MiB string variable and returns the variable's id:
    the completed task's variables keep their full value, readable by get_variable."""
    token = emulator.token()
    task_id = emulator.call("GET", "/__emulator/data")["unassignedTaskId"]
    value = json.dumps("x" * (VARIABLE_BYTES - 2))  # 1 MiB of JSON text, quotes included
    emulator.call("PATCH", f"/v1/tasks/{task_id}/complete",
                  {"variables": [{"name": "bigVariable", "value": value}]}, token=token)
    found = emulator.call("POST", f"/v1/tasks/{task_id}/variables/search",
                          {"variableNames": ["bigVariable"]}, token=token)
    return found[0]["id"]


def paging_workload(args, log):
    """Workload 2: every page of 5,000 tasks, and one 1 MiB variable."""
    emulator = Emulator(tasks=PAGING_TASKS)
    try:
        variable_id = big_variable(emulator)
        extra = {"BENCH_ALL_QUERY": ALL_QUERY, "BENCH_ALL_EXPECT": str(PAGING_TASKS),
                 "BENCH_VARIABLE_ID": variable_id}
        results = []
        for run in range(args.runs):
            for name in ["c", "python", "go", "node-sdk"]:
                for workload, n in (("all", args.n_all), ("variable", args.n_variable)):
                    r = run_client(name, workload, n, 1, emulator, extra)
                    r.update({"client": name, "workload": workload, "run": run})
                    results.append(r)
                    log(f"run {run + 1}/{args.runs} {name:9} {workload:9} "
                        f"p50 {r['p50_us'] / 1000:8.1f} ms  p99 {r['p99_us'] / 1000:8.1f} ms  "
                        f"rss {r['rss_kb'] / 1024:6.1f} MiB  tokens {r['token_requests']}")
        return results
    finally:
        emulator.stop()


V2_CLIENTS = ["c", "python-v2", "node-sdk-v2", "py-sdk-v2"]


def v2_workload(args, log):
    """The v2 workload: N searches of one 50-task page (`POST /v2/user-tasks/search`,
    `{"page":{"limit":50}}`) against the 8.9 profile, sequential and with 8 threads, with
    wrk replaying the v1 and the v2 search against that same emulator (the emulator's v2
    must answer at no less than 90% of its v1 rate). camunda-orchestration-sdk 10.0.1
    requires `businessId` on every user task, which Camunda adds in 8.10: the 8.9 profile
    does not send it and the SDK refuses the answer, so the Python SDK talks to an 8.10
    emulator started the same way (its page has that one field more)."""
    emulator = Emulator(tasks=args.tasks, version="8.9")
    emulator_810 = Emulator(tasks=args.tasks, version="8.10")
    try:
        token = emulator.token()
        results = []
        for run in range(args.runs):
            for name in ["wrk-v1", "wrk-v2"] + V2_CLIENTS:
                for mode, threads in (("sequential", 1), ("concurrent", CONCURRENCY)):
                    if name.startswith("wrk"):
                        script = "search.lua" if name == "wrk-v1" else "v2search.lua"
                        r = run_wrk(emulator, token, args.wrk_seconds, threads, script)
                    else:
                        n = {"node-sdk-v2": args.n // 10, "py-sdk-v2": args.n // 10}.get(name, args.n)
                        server = emulator_810 if name == "py-sdk-v2" else emulator
                        r = run_client(name, "v2search", n, threads, server)
                    r.update({"client": name, "mode": mode, "run": run})
                    results.append(r)
                    log(f"run {run + 1}/{args.runs} v2 {name:11} {mode:10} "
                        f"{r['requests'] / r['seconds']:9.0f} req/s  p50 {r['p50_us']:8.0f} us  "
                        f"p99 {r['p99_us']:8.0f} us  rss {r['rss_kb'] / 1024:6.1f} MiB  "
                        f"tokens {r['token_requests']}")
        return results
    finally:
        emulator.stop()
        emulator_810.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(BUILT, "results.json"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=3000, help="searches per client run")
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--wrk-seconds", type=int, default=2)
    parser.add_argument("--rss-n", type=int, default=100_000)
    parser.add_argument("--n-all", type=int, default=5, help="pagings of 5,000 tasks per run")
    parser.add_argument("--n-variable", type=int, default=20, help="1 MiB fetches per run")
    parser.add_argument("--quick", action="store_true", help="small N, 2 runs: for development")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.n, args.wrk_seconds, args.rss_n = 2, 500, 1, 5000
        args.n_all, args.n_variable = 2, 5

    def log(line):
        print(line, flush=True)

    started = time.monotonic()
    results = {
        "settings": {k: v for k, v in vars(args).items() if k != "out"},
        "machine": machine(),
        "sizes": library_sizes(),
    }
    results["nginx_page"] = {}  # what nginx served: filled in by the search workload
    results["search"] = search_workload(args, log, results["nginx_page"])
    results["v2search"] = v2_workload(args, log)
    results["rss"] = rss_workload(args, log)
    results["paging"] = paging_workload(args, log)
    results["machine"]["load_at_end"] = os.getloadavg()[0]
    results["seconds"] = round(time.monotonic() - started, 1)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    log(f"measured in {results['seconds']} s; results in {args.out}")


if __name__ == "__main__":
    main()
