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
Each figure is the median of RUNS runs (after one warm-up), REBUILD_RUNS for the rebuilds;
wall and CPU time and peak memory come from GNU time.

Then, unless BILINGUAL=0, the same for a clinic group's bilingual site (BILINGUAL FAQ pages
and OFFICES office pages, each also in Spanish), and, when 10,000 is among the sizes and
SERVE is not 0, `serve`'s edit-to-reload time on the 10,000-page site (the serve_latency
example). Last, the performance table of the scale goals, one row per goal, from the runs
above.
"""

import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("CLINICSITE_BIN", os.path.join(ROOT, "target/release/clinicsite"))
GEN = os.path.join(ROOT, "target/release/examples/gen_corpus")
LATENCY = os.path.join(ROOT, "target/release/examples/serve_latency")
HUGO_CONFIG = os.path.join(ROOT, "benches/hugo")

QUICK = "--quick" in sys.argv[1:]
SIZES = [int(n) for n in os.environ.get("SIZES", "10000" if QUICK else "1000 10000 100000").split()]
RUNS = int(os.environ.get("RUNS", "5"))
DIR = os.environ.get("BENCH_DIR", "/dev/shm/clinicsite-bench")
HUGO_MAX = int(os.environ.get("HUGO_MAX", "10000"))
REBUILD_RUNS = int(os.environ.get("REBUILD_RUNS", "7"))
BILINGUAL = int(os.environ.get("BILINGUAL", "0" if QUICK else "1000"))
OFFICES = int(os.environ.get("OFFICES", "300"))
SERVE = os.environ.get("SERVE", "1") != "0"
# `check` and the `cp -r` floor only up to this size: at 100,000 pages the copy alone would
# put another 4 GB on the RAM disk, and no row of the table needs them there.
FLOOR_MAX = int(os.environ.get("FLOOR_MAX", "10000"))
# Share cards (the clinic theme draws one PNG per page) are left out unless CARDS=1: the
# first build of 100,000 pages would draw 100,000 of them, and the table's earlier figures
# were measured before cards existed. benches/cards.sh measures what cards cost.
CARDS = os.environ.get("CARDS", "0") != "0"


def quiet(command):
    """Runs a shell command, its output thrown away (a build's warnings, say)."""
    subprocess.run(["sh", "-c", command], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


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


def repeat(command, prepare=None, runs=None):
    """One warm-up, then RUNS (or `runs`) timed runs of `command`, each after `prepare`."""
    results = []
    for i in range((runs or RUNS) + 1):
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


def corpus(n, name=None, extra=()):
    site = os.path.join(DIR, (name or f"site-{n}") + ("" if CARDS else "-nocards"))
    if not os.path.isdir(site):
        subprocess.run([GEN, "--pages", str(n), "--out", site, *extra], check=True,
                       stdout=subprocess.DEVNULL)
        if not CARDS:
            # A child theme of the clinic theme that only turns share cards off.
            theme = os.path.join(site, "themes/nocards")
            os.makedirs(theme)
            with open(os.path.join(theme, "theme.yaml"), "w") as f:
                f.write("name: nocards\nextends: clinic\nshare_cards: false\n")
            config = os.path.join(site, "site.yaml")
            with open(config) as f:
                text = f.read()
            with open(config, "w") as f:
                f.write(re.sub(r"(?m)^theme: clinic$", "theme: nocards", text))
    return site


def rebuilds(site, build):
    """The rebuild with nothing changed and the one after a one-page edit (the edit appends a
    sentence to the page, so each run has a new edit)."""
    q = shlex.quote
    quiet(build)
    noop = repeat(build, runs=REBUILD_RUNS)
    page = os.path.join(site, "content/treatment/q-000001.md")
    edit = repeat(build, prepare=f"echo 'Edited at '$(date +%s%N). >> {q(page)}",
                  runs=REBUILD_RUNS)
    return noop, edit


def bench_bilingual():
    """A clinic group's site in two languages: clean build, no-op rebuild, one-page edit."""
    site = corpus(BILINGUAL, f"bilingual-{BILINGUAL}-{OFFICES}",
                  ["--offices", str(OFFICES), "--spanish"])
    q = shlex.quote
    build = f"{q(BIN)} build --root {q(site)}"
    clean = repeat(build, prepare=f"rm -rf {q(os.path.join(site, 'public'))}")
    noop, edit = rebuilds(site, build)
    files = sum(len(names) for _, _, names in os.walk(os.path.join(site, "content")))
    return {"clean": clean, "noop": noop, "edit": edit, "files": files}


def serve_latency(n):
    """`serve`'s median edit-to-reload time in ms on the n-page site."""
    # The example copies the site to a temporary folder: on the RAM disk too.
    result = subprocess.run(
        [LATENCY, "--root", corpus(n), "--file", "content/treatment/q-000001.md",
         "--bin", BIN],
        check=True, capture_output=True, text=True, env={**os.environ, "TMPDIR": DIR},
    )
    found = re.search(r"median ([0-9.]+) ms", result.stdout)
    return float(found.group(1)) if found else None


def bench(n):
    site = corpus(n)
    q = shlex.quote
    public = os.path.join(site, "public")
    build = f"{q(BIN)} build --root {q(site)}"
    check = f"{q(BIN)} check --root {q(site)}"
    if n <= FLOOR_MAX:
        ours, checked = alternate([build, check], prepare=f"rm -rf {q(public)}")
    else:
        ours, checked = repeat(build, prepare=f"rm -rf {q(public)}"), None
    quiet(build)

    copies, deletes = [], []
    if n <= FLOOR_MAX:
        copy = os.path.join(DIR, f"copy-{n}")
        for _ in range(RUNS):
            subprocess.run(["rm", "-rf", copy], check=True)
            copies.append(wall(f"cp -r {q(public)} {q(copy)}"))
            deletes.append(wall(f"rm -rf {q(copy)}"))

    noop, edit = rebuilds(site, build)

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
        "copy": statistics.median(copies) if copies else None,
        "delete": statistics.median(deletes) if deletes else None,
        "noop": noop,
        "edit": edit,
        "hugo": hugo,
    }


def main():
    os.makedirs(DIR, exist_ok=True)
    load = os.getloadavg()
    print(f"{RUNS} runs each ({REBUILD_RUNS} for rebuilds), medians, in {DIR}; "
          f"{os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"share cards {'on' if CARDS else 'off'}", flush=True)
    header = ("pages", "build", "cpu", "pages/s", "peak", "check", "check peak", "vs build",
              "hugo", "hugo peak", "vs hugo", "cp -r", "vs cp", "rm -rf", "no-op", "1 edit")
    rows = [header]
    results = {}
    for n in SIZES:
        r = results[n] = bench(n)
        wall_s, cpu_s, peak = r["ours"]
        hugo = r["hugo"]
        print(f"{n:,} pages: clean {wall_s:.2f} s {peak:.0f} MiB; no-op {r['noop'][0]:.2f} s; "
              f"one-page edit {r['edit'][0]:.2f} s {r['edit'][2]:.0f} MiB", flush=True)
        rows.append((
            f"{n:,}",
            f"{wall_s:.2f} s",
            f"{cpu_s:.2f} s",
            f"{n / wall_s:,.0f}",
            f"{peak:.0f} MiB",
            f"{r['check'][0]:.2f} s" if r["check"] else "-",
            f"{r['check'][2]:.0f} MiB" if r["check"] else "-",
            f"{r['check'][0] / wall_s:.2f}" if r["check"] else "-",
            f"{hugo[0]:.2f} s" if hugo else "-",
            f"{hugo[2]:.0f} MiB" if hugo else "-",
            f"{hugo[0] / wall_s:.2f}x" if hugo else "-",
            f"{r['copy']:.2f} s" if r["copy"] else "-",
            f"{wall_s / r['copy']:.2f}" if r["copy"] else "-",
            f"{r['delete']:.2f} s" if r["delete"] else "-",
            f"{r['noop'][0]:.2f} s",
            f"{r['edit'][0]:.2f} s",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
    print("vs build: check's wall time / the clean build's (at most 1: check is no slower); "
          "vs hugo: Hugo's wall time / ours (above 1: we are faster); "
          "vs cp: our clean build / `cp -r` of our output.")
    bilingual = bench_bilingual() if BILINGUAL else None
    if bilingual:
        clean, noop, edit = bilingual["clean"], bilingual["noop"], bilingual["edit"]
        print(f"bilingual site ({BILINGUAL:,} FAQ pages and {OFFICES} offices, each in English "
              f"and Spanish: {bilingual['files']:,} files): clean build {clean[0]:.2f} s, "
              f"{clean[2]:.0f} MiB; no-op {noop[0]:.2f} s; one-page edit {edit[0]:.2f} s, "
              f"{edit[2]:.0f} MiB")
    latency = serve_latency(10000) if SERVE and 10000 in SIZES else None
    goals(results, latency)


def goals(results, latency):
    """The scale goals' table: one row per goal, from the runs above."""
    rows = [("measure (tmpfs, the bench corpus)", "now", "target")]
    big, ten = results.get(100000), results.get(10000)
    if big:
        rows.append(("100,000 pages, clean build, peak memory",
                     f"{big['ours'][2]:,.0f} MiB ({big['ours'][0]:.1f} s)", "<= 512 MiB"))
        rows.append(("100,000 pages, one-page edit, peak memory",
                     f"{big['edit'][2]:,.0f} MiB", "<= 512 MiB"))
        rows.append(("100,000 pages, one-page edit, wall",
                     f"{big['edit'][0]:.2f} s (cpu {big['edit'][1]:.2f} s)", "<= 1.5 s"))
    if ten:
        rows.append((f"10,000 pages, rebuild with nothing changed (median of {REBUILD_RUNS})",
                     f"{ten['noop'][0]:.2f} s (cpu {ten['noop'][1]:.2f} s)", "<= 0.10 s"))
        rows.append((f"10,000 pages, one-page edit (median of {REBUILD_RUNS})",
                     f"{ten['edit'][0]:.2f} s (cpu {ten['edit'][1]:.2f} s)", "<= 0.15 s"))
        wall_s = ten["ours"][0]
        floor = f"{wall_s / ten['copy']:.1f}x the `cp -r` floor ({ten['copy']:.2f} s)"
        if ten["hugo"]:
            versus = (f"{ten['hugo'][0] / wall_s:.1f}x faster than Hugo "
                      f"({ten['hugo'][1] / ten['ours'][1]:.1f}x less CPU); {floor}")
        else:
            versus = floor
        rows.append(("10,000 pages on tmpfs, clean build vs Zola, same run",
                     f"{wall_s:.2f} s: {versus} (Zola not installed)"
                     if shutil.which("zola") is None else f"{wall_s:.2f} s; {versus}",
                     ">= 4x faster (~1.6x the `cp -r` floor)"))
    if latency is not None:
        rows.append(("`serve` edit-to-reload at 10,000 pages", f"{latency:.0f} ms", "<= 60 ms"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print("cpu: user + system time; on a busy machine the wall time also counts waiting for a "
          "core.")
    print()
    for row in rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths)))


if __name__ == "__main__":
    main()
