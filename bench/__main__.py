"""`python -m bench [--quick]`: every benchmark, its tables, and bench/results/latest.json.

Three parts: the cold import; the unpaced streams (throughput, and the API's own cost per
token and per request); the paced streams (what a user sees at 20 tokens/s).

A `--quick` run writes no JSON unless given `--json`: the committed latest.json is always
a full run.

The import benchmark runs first, while the machine is quiet: it starts interpreters only,
and the stream benchmark leaves busy servers stopping behind it.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence

from bench import REPO_ROOT, api_overhead, cold_import, paced, report
from bench.summary import error_count

RESULTS = REPO_ROOT / "bench" / "results" / "latest.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run, about a minute")
    parser.add_argument("--streams", type=int, help="streams per path and concurrency")
    parser.add_argument("--import-runs", type=int, help="fresh interpreters per import")
    parser.add_argument("--client", choices=sorted(api_overhead.CLIENTS), default="raw")
    parser.add_argument("--json", help=f"default: {RESULTS.relative_to(REPO_ROOT)} (full runs)")
    args = parser.parse_args(argv)

    base = api_overhead.QUICK if args.quick else api_overhead.FULL
    plan = api_overhead.Plan(
        streams=args.streams or base.streams, rounds=base.rounds, client=args.client
    )
    paced_plan = dataclasses.replace(paced.QUICK if args.quick else paced.FULL, client=args.client)
    json_path = args.json or (None if args.quick else str(RESULTS))
    import_runs = args.import_runs or (3 if args.quick else 7)

    print(f"cold import: {import_runs} fresh interpreters each ...", flush=True)
    imports = cold_import.run(import_runs)
    print(f"unpaced streams: {plan.streams} per path at 1 and 50 in flight ...", flush=True)
    overhead = api_overhead.run(plan)
    levels = " and ".join(str(c) for c in paced_plan.concurrencies)
    print(
        f"paced streams ({paced_plan.tokens_per_second:g} tokens/s): "
        f"{paced_plan.rounds} window(s) of {paced_plan.window:g} s per path and level "
        f"at {levels} in flight ...",
        flush=True,
    )
    paced_results = paced.run(paced_plan)

    print()
    print("Unpaced mock: throughput and the API's own cost; at 50 in flight the API is")
    print("saturated, so its first-token times there are queueing, not what users see.")
    print()
    print(report.overhead_table(overhead))
    print()
    print(f"Paced mock ({paced_plan.tokens_per_second:g} tokens/s): what a user sees.")
    print()
    print(report.paced_table(paced_results))
    print()
    print(report.import_table(imports))
    print()
    print(report.aims_table(overhead, imports, paced_results))
    if json_path:
        report.write_json(
            json_path,
            {
                "quick": args.quick,
                "api_overhead": overhead,
                "paced": paced_results,
                "cold_import": imports,
            },
        )
        print(f"\nwrote {json_path}")
    return 1 if error_count(overhead) or paced.paced_error_count(paced_results) else 0


if __name__ == "__main__":
    sys.exit(main())
