"""``bastion replay``: evaluate the anomaly detectors on labelled traffic.

    bastion replay run                       # deterministic: synthetic events into the detectors on a FakeClock
    bastion replay run --target URL --admin URL --admin-token '${env:T}'   # live, against a running gateway
    bastion replay upstream --port 8081      # the upstream a live replay's gateway forwards to
    bastion replay config --upstream URL     # a gateway config mirroring the scenario's API

Reports per-detector precision, recall and time to detect, and a normal-only control run.
Exit status 1 when a target is missed (precision or recall < 0.9, detection later than 30 s,
or any alert in the control run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bastion.anomaly.evaluation import Evaluation
    from bastion.anomaly.scenario import Scenario


def register(app: typer.Typer) -> None:
    replay_app = typer.Typer(help="Evaluate anomaly detection on labelled traffic.", no_args_is_help=True)
    app.add_typer(replay_app, name="replay")

    @replay_app.command("run")
    def run(
        seed: int = typer.Option(1), users: int = typer.Option(200), duration: float = typer.Option(3600.0),
        episodes: int = typer.Option(3, help="Attack episodes per detector kind."),
        warmup: float = typer.Option(900.0, help="Normal-only time before the first episode."),
        target: str | None = typer.Option(None, help="Gateway base URL (live mode)."),
        admin: str | None = typer.Option(None, help="Admin base URL (live mode)."),
        admin_token: str | None = typer.Option(None, help="Admin token reference, e.g. ${env:BASTION_ADMIN_TOKEN}."),
        time_scale: float = typer.Option(1.0, help="Live mode: play the traffic this much faster (0.1 = 10x); the "
                                                   "gateway's detector durations must be scaled alike "
                                                   "(`bastion replay config --time-scale`)."),
        control: bool = typer.Option(True, help="Also run the normal-only control (direct mode)."),
        json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Generate labelled traffic, replay it, and score every detector."""
        import orjson
        from rich.console import Console
        from rich.table import Table

        from bastion.anomaly import evaluation, scenario

        sc = scenario.build(seed, users=users, duration=duration, episodes_per_kind=episodes, warmup=warmup)
        control_alerts: list[dict[str, object]] = []
        if target is None:
            alerts = evaluation.replay_direct(sc)
            result = evaluation.score(alerts, sc, evaluation.principal_identity, t0=1_800_000_000.0)
            if control:
                ctl = scenario.build(seed, users=users, duration=duration, episodes_per_kind=0, warmup=warmup)
                control_alerts = [a.to_dict() for a in evaluation.replay_direct(ctl)]
        else:
            result = _live(sc, target, admin, admin_token, time_scale)
        ok = result.passed() and not control_alerts
        if json_out:
            typer.echo(orjson.dumps({"passed": ok, "requests": len(sc.requests), **result.to_dict(),
                                     "control_alerts": control_alerts}).decode())
        else:
            table = Table(title=f"bastion replay: {len(sc.requests)} requests, {len(sc.episodes)} episodes")
            for col in ("detector", "episodes", "alerts", "precision", "recall", "ttd mean s", "ttd max s"):
                table.add_column(col)
            for s in result.scores.values():
                d = s.to_dict()
                table.add_row(*(str(d[k]) for k in ("detector", "episodes", "alerts", "precision", "recall",
                                                     "ttd_mean_s", "ttd_max_s")))
            console = Console()
            console.print(table)
            if control:
                console.print(f"control run (normal traffic only): {len(control_alerts)} alert(s)")
            console.print("PASS" if ok else "FAIL: targets are precision >= 0.9, recall >= 0.9, ttd <= 30 s")
        if not ok:
            raise typer.Exit(1)

    @replay_app.command("upstream")
    def upstream(port: int = typer.Option(8081), host: str = typer.Option("127.0.0.1")) -> None:
        """Serve the replay upstream (answers with the status/size each request asks for)."""
        import uvicorn

        from bastion.anomaly.replay_live import ReplayUpstream
        from bastion.webapp.asgi import to_asgi

        uvicorn.run(to_asgi(ReplayUpstream()), host=host, port=port, log_level="warning")

    @replay_app.command("config")
    def config(upstream: str = typer.Option("http://127.0.0.1:8081"),
               listen: str = typer.Option("127.0.0.1:8080"), admin: str = typer.Option("127.0.0.1:9000"),
               time_scale: float = typer.Option(1.0, help="Scale the detectors' durations for a compressed replay.")
               ) -> None:
        """Print a gateway config whose routes mirror the scenario's API."""
        from bastion.anomaly.replay_live import gateway_config

        typer.echo(gateway_config(upstream, listen, admin, time_scale), nl=False)


def _live(sc: Scenario, target: str, admin: str | None, admin_token: str | None, time_scale: float) -> Evaluation:
    import anyio

    from bastion.anomaly import evaluation
    from bastion.anomaly.replay_live import fetch_alerts, replay_live
    from bastion.secrets.references import is_reference, resolve_reference

    if admin is None or admin_token is None:
        raise typer.BadParameter("live mode needs --admin and --admin-token")
    token = resolve_reference(admin_token) if is_reference(admin_token) else admin_token

    def progress(i: int, n: int) -> None:
        typer.echo(f"\r{i}/{n} requests", nl=False, err=True)

    async def go() -> evaluation.Evaluation:
        t0, counts, as_sent = await replay_live(sc, target, progress=progress, time_scale=time_scale)
        typer.echo(f"\nsent {counts['sent']} ({counts['errors']} errors)", err=True)
        await anyio.sleep(2.0)  # let the gateway's observers catch up
        alerts = await fetch_alerts(admin, token)
        return evaluation.score([a for a in alerts if a.detected_at >= t0], as_sent, evaluation.ip_identity,
                                t0=t0, time_scale=time_scale)

    return anyio.run(go)
