"""What a run measured (`sitegen build --profile`): time per stage, the cache's savings, the slowest templates."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Profile:
    stages: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    templates: dict[str, list[float]] = field(default_factory=dict)  # template (or render function) -> [renders, seconds]
    pages_cached: int = 0
    pages_read: int = 0
    outputs_reused: int = 0
    outputs_rendered: int = 0

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - started

    def rendered(self, name: str, seconds: float) -> None:
        timing = self.templates.setdefault(name, [0, 0.0])
        timing[0] += 1
        timing[1] += seconds

    def report(self, slowest: int = 8) -> str:
        lines = ["time per stage:"]
        lines += [f"  {name:<10} {seconds * 1000:8.0f} ms" for name, seconds in self.stages.items()]
        lines.append(f"  {'total':<10} {sum(self.stages.values()) * 1000:8.0f} ms")
        lines.append(f"cache: {self.pages_cached} content files reused, {self.pages_read} read; "
                     f"{self.outputs_reused} outputs reused, {self.outputs_rendered} rendered")
        if self.templates:
            lines.append("slowest templates (renders, total time, time per render):")
            ranked = sorted(self.templates.items(), key=lambda kv: -kv[1][1])[:slowest]
            lines += [f"  {name:<28} {int(n):6d} {s * 1000:8.0f} ms {s / n * 1000:7.2f} ms" for name, (n, s) in ranked]
        return "\n".join(lines)
