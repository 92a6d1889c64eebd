"""Profiling a running Trellis process with py-spy, and summarising where it spent its time.

py-spy is installed apart from the project (``uv tool install py-spy``): profiling is
how the fixes were found, not part of `make bench`. ``sample(pid, seconds, out)`` attaches
to a process for a while and writes collapsed stacks; ``main`` prints the frames that
hold most samples, inclusive and own.

Run: ``uv run python -m bench.profile <stacks.txt> [--top 30] [--focus substring]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path


def sample(pid: int, seconds: float, out: Path, *, rate: int = 50, gil: bool = True
           ) -> subprocess.Popen[bytes]:
    """Starts py-spy on ``pid`` for ``seconds``; wait on the returned process for the file.

    ``gil``: only the thread holding the GIL is sampled, i.e. where Python spends CPU.
    """
    py_spy = shutil.which("py-spy") or os.path.expanduser("~/.local/bin/py-spy")
    return subprocess.Popen(  # noqa: S603 - fixed argv, no shell
        [py_spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", str(rate),
         "--format", "raw", "--nonblocking", *(["--gil"] if gil else []), "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--focus", default="", help="count only stacks containing this text")
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in args.path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit() or (args.focus and args.focus not in stack):
            continue
        count = int(count_text)
        total += count
        frames = [f.split(" (")[0] + " (" + f.split(" (")[-1].split(":")[0].split("/")[-1] + ")"
                  for f in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    print(f"{total} samples")
    print("-- inclusive --")
    for frame, count in inclusive.most_common(args.top):
        print(f"{100 * count / total:5.1f}%  {frame}")
    print("-- own --")
    for frame, count in own.most_common(args.top // 2):
        print(f"{100 * count / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
