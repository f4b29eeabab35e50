"""`python -m bench [--quick]`: every benchmark, one table, and bench/results/latest.json.

A `--quick` run writes no JSON unless given `--json`: the committed latest.json is always
a full run.

The import benchmark runs first, while the machine is quiet: it starts interpreters only,
and the stream benchmark leaves busy servers stopping behind it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bench import REPO_ROOT, api_overhead, cold_import, report
from bench.summary import error_count

RESULTS = REPO_ROOT / "bench" / "results" / "latest.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run, under 40 s")
    parser.add_argument("--streams", type=int, help="streams per path and concurrency")
    parser.add_argument("--import-runs", type=int, help="fresh interpreters per import")
    parser.add_argument("--client", choices=sorted(api_overhead.CLIENTS), default="raw")
    parser.add_argument("--json", help=f"default: {RESULTS.relative_to(REPO_ROOT)} (full runs)")
    args = parser.parse_args(argv)

    base = api_overhead.QUICK if args.quick else api_overhead.FULL
    plan = api_overhead.Plan(
        streams=args.streams or base.streams, rounds=base.rounds, client=args.client
    )
    json_path = args.json or (None if args.quick else str(RESULTS))
    import_runs = args.import_runs or (3 if args.quick else 7)

    print(f"cold import: {import_runs} fresh interpreters each ...", flush=True)
    imports = cold_import.run(import_runs)
    print(f"streams: {plan.streams} per path at 1 and 50 in flight ...", flush=True)
    overhead = api_overhead.run(plan)

    print()
    print(report.overhead_table(overhead))
    print()
    print(report.import_table(imports))
    print()
    print(report.aims_table(overhead, imports))
    if json_path:
        report.write_json(
            json_path, {"quick": args.quick, "api_overhead": overhead, "cold_import": imports}
        )
        print(f"\nwrote {json_path}")
    return 1 if error_count(overhead) else 0


if __name__ == "__main__":
    sys.exit(main())
