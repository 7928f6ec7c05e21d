#!/usr/bin/env python3
"""Build-speed benchmark, run by benches/build.sh (read its header for the settings).

For each corpus size N it times, in one run on this machine:
  - clinicsite: a full build (removing the old output first), a rebuild with nothing
    changed, and a rebuild after a one-page edit;
  - clinicsite check on the same site (its old output removed too), run in turn with the
    full build so that both see the same load on a shared machine;
  - Hugo (when installed and N <= HUGO_MAX): a full build of the same content with the
    minimal templates in benches/hugo/;
  - the I/O floor: copying the produced public/ with `cp -r`, and deleting the copy.
Each figure is the median of RUNS runs (after one warm-up); wall and CPU time and peak
memory come from GNU time.
"""

import os
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target/release/clinicsite")
GEN = os.path.join(ROOT, "target/release/examples/gen_corpus")
HUGO_CONFIG = os.path.join(ROOT, "benches/hugo")

SIZES = [int(n) for n in os.environ.get("SIZES", "1000 10000 100000").split()]
RUNS = int(os.environ.get("RUNS", "5"))
DIR = os.environ.get("BENCH_DIR", "/dev/shm/clinicsite-bench")
HUGO_MAX = int(os.environ.get("HUGO_MAX", "10000"))


def timed(command):
    """Runs a shell command under GNU time: (wall s, cpu s, peak MiB)."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", "sh", "-c", command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"failed: {command}\n{result.stderr}")
    wall, user, system, peak_kib = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(peak_kib) / 1024


def wall(command):
    """Wall time of a shell command, measured here (GNU time rounds to 10 ms)."""
    started = time.perf_counter()
    subprocess.run(["sh", "-c", command], check=True)
    return time.perf_counter() - started


def medians(runs):
    """The median of each column of a list of tuples."""
    return tuple(statistics.median(column) for column in zip(*runs))


def repeat(command, prepare=None):
    """One warm-up, then RUNS timed runs of `command`, each after `prepare`."""
    results = []
    for i in range(RUNS + 1):
        if prepare:
            subprocess.run(["sh", "-c", prepare], check=True)
        measured = timed(command)
        if i > 0:
            results.append(measured)
    return medians(results)


def alternate(commands, prepare):
    """One warm-up, then RUNS rounds running each command once, each after `prepare`: the
    medians of each command. Taking turns spreads a busy machine's load over all of them."""
    results = [[] for _ in commands]
    for i in range(RUNS + 1):
        for command, measured in zip(commands, results):
            subprocess.run(["sh", "-c", prepare], check=True)
            timing = timed(command)
            if i > 0:
                measured.append(timing)
    return [medians(measured) for measured in results]


def corpus(n):
    site = os.path.join(DIR, f"site-{n}")
    if not os.path.isdir(site):
        subprocess.run([GEN, "--pages", str(n), "--out", site], check=True,
                       stdout=subprocess.DEVNULL)
    return site


def bench(n):
    site = corpus(n)
    q = shlex.quote
    public = os.path.join(site, "public")
    build = f"{q(BIN)} build --root {q(site)}"
    check = f"{q(BIN)} check --root {q(site)}"
    ours, checked = alternate([build, check], prepare=f"rm -rf {q(public)}")
    subprocess.run(["sh", "-c", build], check=True, stdout=subprocess.DEVNULL)

    copy = os.path.join(DIR, f"copy-{n}")
    copies, deletes = [], []
    for _ in range(RUNS):
        subprocess.run(["rm", "-rf", copy], check=True)
        copies.append(wall(f"cp -r {q(public)} {q(copy)}"))
        deletes.append(wall(f"rm -rf {q(copy)}"))

    noop = repeat(build)
    page = os.path.join(site, "content/treatment/q-000001.md")
    edit = repeat(build, prepare=f"echo 'Edited at '$(date +%s%N). >> {q(page)}")

    hugo = None
    if n <= HUGO_MAX and subprocess.run(["sh", "-c", "command -v hugo"],
                                        stdout=subprocess.DEVNULL).returncode == 0:
        out = os.path.join(DIR, f"hugo-{n}")
        hugo = repeat(
            f"rm -rf {q(out)} && hugo --quiet --source {q(HUGO_CONFIG)} "
            f"--contentDir {q(os.path.join(site, 'content'))} --destination {q(out)}"
        )
        subprocess.run(["rm", "-rf", out], check=True)
    return {
        "ours": ours,
        "check": checked,
        "copy": statistics.median(copies),
        "delete": statistics.median(deletes),
        "noop": noop,
        "edit": edit,
        "hugo": hugo,
    }


def main():
    os.makedirs(DIR, exist_ok=True)
    print(f"{RUNS} runs each, medians, in {DIR}; {os.cpu_count()} cores")
    header = ("pages", "build", "cpu", "pages/s", "peak", "check", "check peak", "vs build",
              "hugo", "hugo peak", "vs hugo", "cp -r", "vs cp", "rm -rf", "no-op", "1 edit")
    rows = [header]
    for n in SIZES:
        r = bench(n)
        wall_s, cpu_s, peak = r["ours"]
        hugo = r["hugo"]
        rows.append((
            f"{n:,}",
            f"{wall_s:.2f} s",
            f"{cpu_s:.2f} s",
            f"{n / wall_s:,.0f}",
            f"{peak:.0f} MiB",
            f"{r['check'][0]:.2f} s",
            f"{r['check'][2]:.0f} MiB",
            f"{r['check'][0] / wall_s:.2f}",
            f"{hugo[0]:.2f} s" if hugo else "-",
            f"{hugo[2]:.0f} MiB" if hugo else "-",
            f"{hugo[0] / wall_s:.2f}x" if hugo else "-",
            f"{r['copy']:.2f} s",
            f"{wall_s / r['copy']:.2f}",
            f"{r['delete']:.2f} s",
            f"{r['noop'][0]:.2f} s",
            f"{r['edit'][0]:.2f} s",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
    print("vs build: check's wall time / the clean build's (at most 1: check is no slower); "
          "vs hugo: Hugo's wall time / ours (above 1: we are faster); "
          "vs cp: our clean build / `cp -r` of our output.")


if __name__ == "__main__":
    main()
