"""Tables for the terminal (valid Markdown, so they paste into the docs) and the JSON file."""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# The team's aims (docs/benchmarks.md), each judged on the scenario it speaks to:
# (scenario, in flight, limit in ms, whether the limit itself passes).
AIM_ADDED_TTFT_MS = (("unpaced", 1, 2.0, False), ("paced", 50, 5.0, True))
AIM_STREAMS_PER_S_AT_50 = 250.0
SCENARIO_LABELS = {
    "unpaced": "unpaced (no think time, no pacing)",
    "paced": "paced ({tps:g} tok/s)",
}


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table whose columns line up in a terminal; numbers align right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str], numeric: Sequence[bool]) -> str:
        padded = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    numeric = [all(_looks_numeric(row[i]) for row in rows if row[i]) for i in range(len(headers))]
    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if right else "-" * (w + 2)
            for w, right in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(headers, numeric), rule, *(line(row, numeric) for row in rows)])


def _looks_numeric(cell: str) -> bool:
    return re.fullmatch(r"[+\-x]?[\d,.]+%?", cell) is not None


def _num(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def _signed(value: float, digits: int = 2) -> str:
    return f"{value:+,.{digits}f}"


def overhead_table(results: dict[str, Any]) -> str:
    headers = [
        "in flight", "path", "TTFT median ms", "TTFT p99 ms", "stream median ms",
        "streams/s", "tokens/s", "CPU µs/token client", "mock", "API", "busy cores",
    ]  # fmt: skip
    rows: list[list[str]] = []
    for level in results["levels"]:
        for key, label in (("direct", "direct to mock"), ("api", "through API")):
            path = level[key]
            cpu = path["cpu_us_per_token"]
            rows.append(
                [
                    str(level["concurrency"]),
                    label,
                    _num(path["ttft_ms"]["median"], 3),
                    _num(path["ttft_ms"]["p99"], 3),
                    _num(path["stream_ms"]["median"]),
                    _num(path["streams_per_s"], 1),
                    _num(path["tokens_per_s"], 0),
                    *(_num(cpu[p], 1) if p in cpu else "n/a" for p in ("client", "mock", "api")),
                    _num(path["cpu_busy_cores"]),
                ]
            )
        added, d, a = level["added"], level["direct"], level["api"]
        rows.append(
            [
                str(level["concurrency"]),
                "added by API",
                _signed(added["ttft_median_ms"], 3),
                _signed(added["ttft_p99_ms"], 3),
                _signed(a["stream_ms"]["median"] - d["stream_ms"]["median"]),
                f"x{added['throughput_ratio']:.2f}",
                f"x{added['throughput_ratio']:.2f}",
                "", "", "", "",
            ]
        )  # fmt: skip
    return table(headers, rows)


def import_table(results: dict[str, Any]) -> str:
    ours, bare = results["function_app_ms"], results["bare_ms"]
    rows = [
        ["import function_app", _num(ours["median"], 1), _range(ours["samples"])],
        ["import azure.functions, openai", _num(bare["median"], 1), _range(bare["samples"])],
        ["ratio (ours / bare)", f"x{results['ratio']:.3f}", ""],
    ]
    heading = f"ms (median of {results['runs']})"
    main = table(["cold import (fresh interpreter)", heading, "range ms"], rows)
    rows_below = results.get("breakdown", [])
    if not rows_below:
        return main
    runs = results.get("breakdown_runs", 1)
    heading_below = f"heaviest imports under function_app (-X importtime, median of {runs})"
    # Nested imports are included in their parent's time: the level says which is which.
    detail = table(
        [heading_below, "level", "cumulative ms"],
        [[row["module"], str(row["depth"]), _num(row["ms"], 1)] for row in rows_below],
    )
    return main + "\n\n" + detail


def _range(samples: Sequence[float]) -> str:
    return f"{min(samples):.1f}..{max(samples):.1f}"


def _verdict(met: bool) -> str:
    return "yes" if met else "**no**"


def paced_table(results: dict[str, Any]) -> str:
    """The paced scenario: first-token times, and token gaps against the ideal interval."""
    ideal = results["setup"]["ideal_gap_ms"]
    late = ideal * (1 + results["setup"]["pace_tolerance"])
    headers = [
        "in flight", "path", "TTFT median ms", "TTFT p99 ms", "gap median ms", "gap p99 ms",
        "gap max ms", f"gaps > {late:g} ms", f"pace (ideal gap {ideal:g} ms)", "tokens/s",
        "CPU µs/token client", "mock", "API", "busy cores", "client loop lag p99 ms",
    ]  # fmt: skip
    rows: list[list[str]] = []
    for level in results["levels"]:
        for key, label in (("direct", "direct to mock"), ("api", "through API")):
            path = level[key]
            gap, cpu = path["gap_ms"], path["cpu_us_per_token"]
            rows.append(
                [
                    str(level["concurrency"]),
                    label,
                    _num(path["ttft_ms"]["median"], 3),
                    _num(path["ttft_ms"]["p99"], 3),
                    _num(gap["median"]),
                    _num(gap["p99"]),
                    _num(gap["max"]),
                    f"{path['late_gap_share'] * 100:.2f}%",
                    _pace(path, ideal),
                    _num(path["tokens_per_s"], 0),
                    *(_num(cpu[p], 1) if p in cpu else "n/a" for p in ("client", "mock", "api")),
                    _num(path["cpu_busy_cores"]),
                    _num(path["client_loop_lag_ms"]["p99"], 3),
                ]
            )
        added, d, a = level["added"], level["direct"], level["api"]
        rows.append(
            [
                str(level["concurrency"]),
                "added by API",
                _signed(added["ttft_median_ms"], 3),
                _signed(added["ttft_p99_ms"], 3),
                _signed(a["gap_ms"]["median"] - d["gap_ms"]["median"]),
                _signed(added["gap_p99_ms"]),
                _signed(added["gap_max_ms"]),
                "", "", "", "", "", "", "", "",
            ]
        )  # fmt: skip
    return table(headers, rows)


def _pace(path: dict[str, Any], ideal_ms: float) -> str:
    over = path["gap_ms"]["p99"] - ideal_ms
    return (
        f"on pace (p99 {over:+.1f} ms)" if path["on_pace"] else f"**behind** (p99 {over:+.1f} ms)"
    )


def aims_table(
    overhead: dict[str, Any] | None,
    imports: dict[str, Any] | None,
    paced: dict[str, Any] | None = None,
) -> str:
    rows: list[list[str]] = []
    scenarios: dict[str, dict[str, Any]] = {}
    if overhead is not None:
        scenarios["unpaced"] = overhead
    if paced is not None:
        scenarios["paced"] = paced
    levels = {
        (name, level["concurrency"]): level
        for name, results in scenarios.items()
        for level in results["levels"]
    }
    for scenario, concurrency, aim, inclusive in AIM_ADDED_TTFT_MS:
        level = levels.get((scenario, concurrency))
        if level is None:
            continue
        added = level["added"]
        median_ms = added["ttft_median_ms"]
        rows.append(
            [
                f"added TTFT median, {concurrency} in flight",
                _scenario(scenario, scenarios),
                f"{'≤' if inclusive else '<'} {aim:g} ms",
                f"{_signed(median_ms, 3)} ms (p99 {_signed(added['ttft_p99_ms'], 3)} ms)",
                _verdict(median_ms <= aim if inclusive else median_ms < aim),
            ]
        )
    saturated = levels.get(("unpaced", 50))
    if saturated is not None and paced is not None:
        added = saturated["added"]
        rows.append(
            [
                "(added TTFT median, 50 in flight, saturated)",
                "unpaced: a throughput test, the API ~100% busy; not the aim's scenario",
                "not judged",
                f"{_signed(added['ttft_median_ms'], 3)} ms "
                f"(p99 {_signed(added['ttft_p99_ms'], 3)} ms)",
                "n/a",
            ]
        )
    if saturated is not None:
        api, direct = saturated["api"], saturated["direct"]
        rows.append(
            [
                "200-token streams/s through API, 50 in flight",
                _scenario("unpaced", scenarios),
                f"> {AIM_STREAMS_PER_S_AT_50:g}",
                f"{_num(api['streams_per_s'], 1)} (direct {_num(direct['streams_per_s'], 1)})",
                _verdict(api["streams_per_s"] > AIM_STREAMS_PER_S_AT_50),
            ]
        )
    if paced is not None:
        setup = paced["setup"]
        ideal = setup["ideal_gap_ms"]
        limit = ideal * (1 + setup["pace_tolerance"])
        for level in paced["levels"]:
            api, direct = level["api"], level["direct"]
            rows.append(
                [
                    f"streams on pace through API, {level['concurrency']} in flight",
                    _scenario("paced", scenarios),
                    f"p99 token gap ≤ {limit:g} ms (ideal {ideal:g})",
                    f"p99 {_num(api['gap_ms']['p99'])} ms, max {_num(api['gap_ms']['max'])} ms "
                    f"(direct p99 {_num(direct['gap_ms']['p99'])}, "
                    f"max {_num(direct['gap_ms']['max'])})",
                    _verdict(api["on_pace"]),
                ]
            )
    if imports is not None:
        rows.append(
            [
                "cold import of function_app",
                "fresh interpreters",
                f"≤ 300 ms on reference = ≤ x{imports['target_ratio']:.3f} of bare",
                f"{_num(imports['function_app_ms']['median'], 1)} ms vs bare "
                f"{_num(imports['bare_ms']['median'], 1)} ms = x{imports['ratio']:.3f} "
                f"(≈ {_num(imports['reference_equivalent_ms'], 0)} ms on reference)",
                _verdict(imports["ratio"] <= imports["target_ratio"]),
            ]
        )
    return table(["aim", "judged on", "target", "measured", "met"], rows)


def _scenario(name: str, scenarios: dict[str, dict[str, Any]]) -> str:
    setup = scenarios[name]["setup"]
    return SCENARIO_LABELS[name].format(tps=setup.get("tokens_per_second", 0))


def machine_info() -> dict[str, Any]:
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def write_json(path: str | Path, results: dict[str, Any]) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {"machine": machine_info(), **results}
    # Written beside and renamed, so an interrupted run never leaves half a file.
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    temporary.replace(target)
