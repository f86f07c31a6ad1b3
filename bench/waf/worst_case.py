"""Probe the waf engine for super-linear scans: values made of one repeated unit, timed at 4 KiB and 16 KiB.

    .venv/bin/python bench/waf/worst_case.py [--random N] [--seed S]

A scan whose time grows more than ~4× from 4 KiB to 16 KiB is quadratic somewhere, and at the waf's 128 KiB
inspection limit (decision 0007) one request would hold a core for seconds or minutes. Prints the slowest units
with their growth; run it after adding a rule. Session 7 found four this way (decision 0007, addendum).
"""

from __future__ import annotations

import argparse
import random
import time

from bastion.detection.engine import Engine
from bastion.detection.rules import Context

UNITS = [";", ",1", "`", "'", "$", "${", "{", "<", "\n", "|", "%", "\\", "(", "'or'", "a=", "/..", "*)(", "&#", "--",
         "/*", " or 1=1", "$(", "a|b", "<a ", '"', "=", ":", "@", "url:", "http://", "\\n", "{{", "{%", "%0a", "\t",
         "\t\\\n", "/!^", "    ls\n", 'xsi:schemaLocation="*)(sleep', "(\\n", "sleep+^"]
TOKENS = [*";,`'\"$%{}()<>|&\\/*=:@#!?-+~^[]\n\t .", "or", "a", "1", "select", "x", "http", "script", "on", "exec",
          "sleep", "cat", "etc", "{,", "$$", "a=", "&&$", "'or ", "::", "<@", "/*+", "1.e(", "ascii(", "(select ",
          'xsi:schemaLocation="', "!ENTITY", "\nGET / HTTP/1.1", "document/*", 'href="http://localhost/', "url:",
          "${x:0:1}", "$'\\x", "\\n", "%c0%ae", "cd /", "ROWNUM=", "chr(1)||", "admin*", "''.class", "{{", "{%", "<%",
          "#{", "[[", "&#", "%25", "\u2032", "N'", "$(", "<(", "ids|", "\\\n"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--random", type=int, default=300, help="random units of 1-3 tokens to try as well")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    engine = Engine(frozenset())
    rng = random.Random(args.seed)
    units = UNITS + ["".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 3))) for _ in range(args.random)]

    def cost(value: str, name: str) -> float:
        started = time.perf_counter()
        engine.first([("/body/" + name, value, Context("body", name))], None, None)
        return time.perf_counter() - started

    rows = []
    for unit in units:
        for name in ("comment", "username"):
            small = cost((unit * 4096)[:4096], name)
            big = cost((unit * 16384)[:16384], name)
            rows.append((big, big / max(small, 1e-6), unit, name))
    rows.sort(reverse=True)
    print("16 KiB ms  growth 4->16 KiB  unit (field)")
    for big, growth, unit, name in rows[:15]:
        flag = "  <- super-linear?" if growth > 6 and big > 0.02 else ""
        print(f"{big * 1000:9.1f}  x{growth:5.1f}           {unit!r} ({name}){flag}")


if __name__ == "__main__":
    main()
