"""The rebuild storm of benches/load.sh: rewrites one content file, in place, many times.

  load_storm.py ORIGINAL TARGET version N
      writes version N of ORIGINAL to TARGET: its title is `Storm N` and its text starts
      with `Storm text N.`, so a page shows the same N twice when it comes from one build
  load_storm.py ORIGINAL TARGET storm WRITES SECONDS even|bursts
      writes versions 1..WRITES within SECONDS: evenly spaced, or in 25 bursts with pauses
      between them (long enough for the server's watcher to see quiet and rebuild)
"""

import sys
import time


def version(original, n):
    text = open(original).read()
    head, body = text[4:].split("\n---\n", 1)
    lines = [f"title: Storm {n}" if l.startswith("title:") else l for l in head.split("\n")]
    return "---\n" + "\n".join(lines) + f"\n---\nStorm text {n}.\n\n{body}"


def write(target, text):
    # Truncate and write, as many editors save: the server may read a half-written file.
    with open(target, "w") as f:
        f.write(text)


def storm(original, target, writes, seconds, pattern):
    bursts = 25 if pattern == "bursts" else writes
    per_burst = max(1, writes // bursts)
    texts = [version(original, n) for n in range(writes + 1)]
    start = time.monotonic()
    for n in range(1, writes + 1):
        write(target, texts[n])
        if n % per_burst == 0:
            delay = start + (n // per_burst) * seconds / bursts - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    print(f"{writes} writes in {time.monotonic() - start:.2f} s")


def main():
    original, target, mode = sys.argv[1:4]
    if mode == "version":
        write(target, version(original, int(sys.argv[4])))
    else:
        storm(original, target, int(sys.argv[4]), float(sys.argv[5]), sys.argv[6])


main()
