"""Judge many generated programs in both modes, in worker processes, and count the verdicts."""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from . import differential, generator


@dataclass
class Summary:
    programs: int = 0
    templates: int = 0
    counts: Counter = field(default_factory=Counter)
    failures: list[differential.Outcome] = field(default_factory=list)

    def table(self) -> str:
        verdicts = [differential.INVALID, differential.EXACT, differential.REFUSED, differential.WARNED,
                    *differential.FAILURES]
        rows = [f"{self.programs} programs from {self.templates} sources, each judged in two modes"]
        rows.append(f"{'mode':<16}" + "".join(f"{verdict:>12}" for verdict in verdicts))
        for _, mode in differential.MODES:
            rows.append(f"{mode:<16}" + "".join(f"{self.counts[mode, verdict]:>12}" for verdict in verdicts))
        rows.append(f"failures: {len(self.failures)}")
        return "\n".join(rows)


def _judge_group(programs: list[differential.Program]) -> list[differential.Outcome]:
    """One source's programs; the unsafe-mode conversion is skipped when the default one offered no unsafe fix,
    since ``--unsafe-fixes`` only changes whether unsafe fixes apply (``migrate.conversion.Conversion._decide``)."""
    outcomes = []
    for program in programs:
        default = differential.judge(program, unsafe_fixes=False)
        outcomes.append(default)
        if default.verdict == differential.INVALID or not _offers_unsafe(program):
            outcomes.append(differential.Outcome(program, differential.MODES[1][1], default.verdict, default.detail,
                                                 default.output, default.diagnostics))
        else:
            outcomes.append(differential.judge(program, unsafe_fixes=True))
    return outcomes


def _offers_unsafe(program: differential.Program) -> bool:
    result = differential.convert(program.source, program.to, False)
    return any(d.fix is not None and not d.fix.applied for d in result.diagnostics)


def run_campaign(count: int, seed: int = 0, workers: int | None = None) -> Summary:
    groups = generator.templates(count, seed)
    summary = Summary(templates=len(groups))
    workers = workers or min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        for outcomes in pool.map(_judge_group, groups, chunksize=2):
            for outcome in outcomes:
                summary.programs += outcome.mode == "default"
                summary.counts[outcome.mode, outcome.verdict] += 1
                if outcome.failed:
                    summary.failures.append(outcome)
    return summary


def failure_report(outcomes: list[differential.Outcome], limit: int = 20) -> str:
    """One block per distinct (direction, mode, verdict, first words of the difference), with one program."""
    seen: dict[tuple, list[differential.Outcome]] = {}
    for outcome in outcomes:
        key = (outcome.program.to, outcome.mode, outcome.verdict, outcome.detail.split(":")[0][:60])
        seen.setdefault(key, []).append(outcome)
    blocks = []
    for (to, mode, verdict, _), group in list(seen.items())[:limit]:
        first = group[0]
        blocks.append(f"--- {verdict} ({len(group)}x) --to {to} {mode} argv={' '.join(first.program.argv)}\n"
                      f"shape: {first.program.shape}\n{first.detail}\n{first.diagnostics}")
    return "\n".join(blocks)
