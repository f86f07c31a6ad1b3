"""The scan's progress bar on stderr (rich), fed by the engine's progress callback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def progress_bar(budget: int) -> Iterator[Callable[[int, int, str], None]]:
    """A callback ``(sent, budget, probe id)`` that draws on stderr; silent when stderr is not a terminal."""
    console = Console(stderr=True)
    bar = Progress(TextColumn("[bold]scan[/] {task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("requests"), TimeElapsedColumn(), console=console, transient=True,
                   disable=not console.is_terminal)
    task = bar.add_task("discover", total=budget)

    def update(sent: int, total: int, probe: str) -> None:
        bar.update(task, completed=sent, total=total, description=probe)

    with bar:
        yield update
