"""Run every benchmark and write BENCHMARKS.md.

    python -m bench [--quick] [--out BENCHMARKS.md]          (what `make bench` runs)

Local only: DynamoDB Local, moto_server and `chalice local` on 127.0.0.1, started and stopped here.
Not part of `make test`: it takes a few minutes and its figures are for reading, not asserting.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from devstack.local_stack import ROOT

# Never real AWS: fixed fake credentials (moto accepts any) before any client exists.
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")  # noqa: S106
os.environ.pop("AWS_PROFILE", None)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and N = 50, 200 only")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    command = "make bench" + (" BENCH_ARGS=--quick" if args.quick else "")
    started = time.monotonic()

    from bench import coldstart, inprocess, overhttp, poll, report
    from bench.harness import Harness

    say("AWS calls per request and framework overhead (in-process, moto)")
    harness = Harness().start()
    try:
        results = {"inprocess": inprocess.run(harness, args.quick)}
        say("polls: handler CPU and reads, and behind an edge cache")
        results["poll"] = poll.run(harness, args.quick)
        say("cold start and package size")
        moto_env = {k: v for k, v in harness.env.items() if k != "PYTHONPATH"}
        results["coldstart"] = coldstart.run(args.quick, moto_env, expert_id="bench-expert")
    finally:
        harness.stop()
    say("contention and polling over HTTP (local stack)")
    results["http"] = overhttp.run(args.quick)
    say("soak: mixed load on the seeded stack")
    results["soak"] = run_soak(2000 if args.quick else 10000)
    say("Lighthouse: the web app on the local stack (mobile preset)")
    from bench import lighthouse

    results["lighthouse"] = lighthouse.run(runs=1 if args.quick else 3)
    say("the catalog at 1k, 10k and 100k experts (AWS answering at once)")
    from bench import scale

    results["scale"] = scale.run(args.quick)
    text = report.render(results, command, time.monotonic() - started)
    Path(args.out).write_text(text, encoding="utf-8")
    say(f"wrote {args.out} in {time.monotonic() - started:.0f} s")


def run_soak(total: int) -> object:
    from bench import soak
    from devstack.local_stack import LocalStack, free_port

    stack = LocalStack(moto_port=free_port(), api_port=free_port(), quiet=True, overrides=soak.SETTINGS).start()
    try:
        return soak.run(stack, total=total)
    finally:
        stack.stop()


def say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
