"""Profiles the C loop, so that a missed target comes with its cause, in numbers.

    python bench/profile.py --out target/bench/profile.json [--n 5000]

Three views of one sequential search loop against a fresh emulator:
  * syscalls per request (strace -f -c), which shows what the library does besides HTTP;
  * where the CPU goes (perf record; callgrind instead when perf is missing), by DSO and
    by symbol;
  * the cost of the per-request resolver thread measured apart (bench/c/resolve_cost.c).
A tool that is not installed is skipped and the section says so.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile

import harness


def loop_argv(n):
    return [os.path.join(harness.BUILT, "tasklist_bench"), "search", str(n), "1"]


def syscalls_per_request(emulator, n):
    if not shutil.which("strace"):
        return {"skipped": "strace not installed"}
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as table:
        subprocess.run(["strace", "-f", "-c", "-o", table.name, *loop_argv(n)], check=True,
                       env=harness.client_env(emulator), stdout=subprocess.DEVNULL)
        counts = {}
        for line in table.read().splitlines():
            # "% time seconds usecs/call calls [errors] syscall"
            fields = line.split()
            if len(fields) >= 5 and re.fullmatch(r"[\d.]+", fields[0]) and fields[-1] != "total":
                counts[fields[-1]] = int(fields[3])
    # Per request, counting warm-up calls (20) and the token fetch (1) as requests too.
    requests = n + 21
    return {name: round(c / requests, 2) for name, c in sorted(counts.items(), key=lambda kv: -kv[1])
            if c >= requests / 2}


def perf_profile(emulator, n):
    if not shutil.which("perf"):
        return {"skipped": "perf not installed"}
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "perf.data")
        # cpu-clock works in VMs without hardware counters.
        subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "5000", "-o", data,
                        *loop_argv(n)], check=True, env=harness.client_env(emulator),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def report(sort, limit):
            text = subprocess.run(["perf", "report", "-i", data, "--stdio", "--sort", sort],
                                  capture_output=True, text=True, check=True).stdout
            rows = []
            for line in text.splitlines():
                found = re.match(r"\s+([\d.]+)%\s+(.*\S)", line)
                if found:
                    rows.append([float(found.group(1)), re.sub(r"\s+", " ", found.group(2))])
            return rows[:limit]

        samples = subprocess.run(["perf", "report", "-i", data, "--stdio", "--sort", "dso"],
                                 capture_output=True, text=True).stdout
        count = re.search(r"of event 'cpu-clock'.*?\n.*?Event count.*?(\d+)", samples, re.S)
        return {"tool": "perf record -e cpu-clock -F 5000", "by_dso": report("dso", 8),
                "by_symbol": report("dso,sym", 20),
                "samples_line": count.group(0).splitlines()[0] if count else ""}


def callgrind_profile(emulator, n):
    if not shutil.which("valgrind"):
        return {"skipped": "neither perf nor valgrind installed"}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        *loop_argv(n)], check=True, env=harness.client_env(emulator),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        text = subprocess.run(["callgrind_annotate", out], capture_output=True, text=True).stdout
        rows = []
        for line in text.splitlines():
            found = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S.*)", line)
            if found:
                rows.append([float(found.group(2)), found.group(3)])
        return {"tool": "valgrind --tool=callgrind (instructions)", "by_symbol": rows[:20]}


def resolver_thread_cost():
    out = subprocess.run([os.path.join(harness.BUILT, "resolve_cost"), "20000"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(harness.BUILT, "profile.json"))
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args()
    emulator = harness.Emulator(tasks=500)
    try:
        profile = {"requests": args.n,
                   "syscalls_per_request": syscalls_per_request(emulator, args.n)}
        cpu = perf_profile(emulator, args.n)
        if "skipped" in cpu:
            cpu = callgrind_profile(emulator, min(args.n, 1000))
        profile["cpu"] = cpu
        profile["resolver_thread"] = resolver_thread_cost()
    finally:
        emulator.stop()
    with open(args.out, "w") as f:
        json.dump(profile, f, indent=1)
    print(f"syscalls per request: {profile['syscalls_per_request']}")
    print(f"resolver thread: {profile['resolver_thread']}")
    for share, what in profile["cpu"].get("by_symbol", [])[:10]:
        print(f"  {share:5.1f}%  {what}")


if __name__ == "__main__":
    main()
