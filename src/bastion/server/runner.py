"""Run the gateway: listeners, reload (SIGHUP and file changes), graceful drain (SIGTERM), workers.

A reload loads and compiles the new file first; if anything is wrong the error is logged with its
file, line and key path and the old configuration keeps serving. In-flight requests finish on the
runtime they started with.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bastion.config.compile import Runtime, compile_runtime
from bastion.config.load import LoadedConfig, load_config
from bastion.errors import ConfigError
from bastion.proxy.engine import Gateway
from bastion.server.apphandler import AppHandler
from bastion.server.http1 import Handler, HTTP1Connection, ListenerContext, ServerLimits, make_factory
from bastion.server.services import Lifetime, Services, build_services
from bastion.server.tls import server_context

log = logging.getLogger("bastion.serve")
CARRIED_OVER = ("rate_limit.store", "rate_limit.fallback")
"""Service entries kept across reloads when the state backend is memory (rate-limit counters)."""


def split_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def limits_of(runtime: Runtime) -> ServerLimits:
    lim = runtime.limits
    return ServerLimits(lim.max_request_line, lim.max_header_bytes, lim.max_headers, lim.header_timeout,
                        lim.body_timeout, lim.keepalive_timeout, lim.max_pipelined)


class GatewayServer:
    def __init__(self, config_path: str | Path, *, watch: bool = True,
                 on_ready: Callable[[GatewayServer], None] | None = None, worker: int | None = None) -> None:
        self.config_path = Path(config_path)
        self.worker = worker
        self.lifetime: Lifetime | None = None
        self.owner: Services | None = None
        """The first configuration's services: they own the state backend and monitoring (process lifetime)."""
        self.watch = watch
        self.on_ready = on_ready
        self.freeze_heap = False
        """``bastion serve``: keep what start-up built out of later garbage collections (``_freeze_heap``)."""
        self.gateway: Gateway | None = None
        self.services: Services | None = None
        self.connections: set[HTTP1Connection] = set()
        self.servers: list[asyncio.AbstractServer] = []
        self.bound: list[tuple[str, int]] = []
        self.admin_bound: tuple[str, int] | None = None
        self._stop = asyncio.Event()
        self._mtime = 0.0
        self.reloads = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------------ start
    def _compile(self) -> tuple[LoadedConfig, Runtime, Services]:
        loaded = load_config(self.config_path)
        chain_id = f"{socket.gethostname()}-w{self.worker}" if self.worker is not None else None
        services = build_services(loaded, lifetime=self.lifetime, chain_id=chain_id, worker=self.worker)
        old = self.services
        if old is not None and self.gateway is not None and \
                self.gateway.runtime.config.state == loaded.config.state == "memory":
            for key in CARRIED_OVER:  # in-memory counters survive a reload
                if key in old.mapping:
                    services.mapping[key] = old.mapping[key]
        try:
            runtime = compile_runtime(loaded, services.mapping)
        except BaseException:
            services.discard()
            raise
        return loaded, runtime, services

    async def start(self) -> None:
        self._mtime = self._stat()  # before reading the file: a change while it is read is seen as a change
        loaded, runtime, services = self._compile()
        await services.start()
        self.services = self.owner = services
        self.lifetime = Lifetime(services.mapping["state"], services.mapping.get("monitoring"))
        self._audit_reload(True)
        self.gateway = Gateway(runtime)
        for w in runtime.warnings:
            log.warning("security: %s", w)
        loop = asyncio.get_running_loop()
        for i, lst in enumerate(runtime.config.listeners):
            host, port = split_address(lst.address)
            ssl_ctx = server_context(lst.tls, loaded.base_dir, f"listeners[{i}]") if lst.tls else None
            hsts = f"max-age={lst.hsts_max_age}; includeSubDomains" if (lst.tls and lst.hsts) else None
            ctx = ListenerContext("https" if lst.tls else "http", hsts, lst.forward_proxy)
            factory = make_factory(self._handler(lst.forward_proxy), limits_of(runtime), ctx, self.connections)
            server = await loop.create_server(factory, host, port, ssl=ssl_ctx, reuse_port=True, backlog=2048)
            self.servers.append(server)
            self.bound.append(server.sockets[0].getsockname()[:2])
        self._attach_runtime_metrics(services.mapping.get("monitoring"))
        admin_app = services.mapping.get("admin_app")
        if runtime.config.admin is not None and admin_app is not None:
            await self._start_admin(runtime, admin_app, loaded)
        if self.watch:
            self._tasks.add(loop.create_task(self._watch()))
        if self.freeze_heap:
            _freeze_heap()
        if self.on_ready:
            self.on_ready(self)

    def _attach_runtime_metrics(self, monitoring: Any) -> None:
        """Upstream health and token-cache lookups on ``/metrics``, read from whatever runtime is current."""
        registry = getattr(getattr(monitoring, "metrics", None), "registry", None)
        if registry is None:
            return
        from bastion.observability.runtime_metrics import RuntimeCollector

        registry.register(RuntimeCollector(lambda: self.gateway.runtime if self.gateway is not None else None))

    def _handler(self, forward_proxy: bool) -> Handler:
        assert self.gateway is not None
        if not forward_proxy:
            return self.gateway.handle
        from bastion.egress.forward_proxy import ProxyListener

        return ProxyListener(self.gateway)

    async def _start_admin(self, runtime: Runtime, app: Any, loaded: LoadedConfig) -> None:
        admin = runtime.config.admin
        assert admin is not None
        host, port = split_address(admin.address)
        ssl_ctx = server_context(admin.tls, loaded.base_dir, "admin") if admin.tls else None
        handler: Handler = AppHandler(app)
        ctx = ListenerContext("https" if ssl_ctx else "http")
        server = await asyncio.get_running_loop().create_server(
            make_factory(handler, limits_of(runtime), ctx, self.connections), host, port, ssl=ssl_ctx,
            reuse_port=True)
        self.servers.append(server)
        self.admin_bound = server.sockets[0].getsockname()[:2]

    def _stat(self) -> float:
        try:
            return self.config_path.stat().st_mtime
        except OSError:
            return 0.0

    # ------------------------------------------------------------------ reload
    async def _watch(self) -> None:
        while not self._stop.is_set():
            await asyncio.sleep(1.0)
            mtime = self._stat()
            if mtime and mtime != self._mtime:
                self._mtime = mtime
                await self.reload()

    async def reload(self) -> bool:
        """Swap in the configuration on disk; on any error keep the old one and log why."""
        try:
            _, runtime, services = self._compile()
        except ConfigError as exc:
            log.error("reload refused, keeping the running configuration: %s", exc)
            self._audit_reload(False, str(exc))
            return False
        except Exception as exc:  # a bug must not take down a serving gateway
            log.error("reload refused, keeping the running configuration: %s: %s", type(exc).__name__, exc)
            self._audit_reload(False, type(exc).__name__)
            return False
        assert self.gateway is not None and self.services is not None
        await services.start()
        if gc.get_freeze_count():  # the old configuration's cycles must be collectable once it is drained
            gc.unfreeze()
        old = self.gateway.swap(runtime)
        old_services, self.services = self.services, services
        self.reloads += 1
        log.info("configuration reloaded (%d routes)", len(runtime.routes))
        self._audit_reload(True)
        asyncio.get_running_loop().call_later(old.limits.drain_timeout, old.close)
        if old_services is not self.owner:  # the owner holds process-lifetime services: stopped at exit
            task = asyncio.get_running_loop().create_task(old_services.stop(delay=old.limits.drain_timeout))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return True

    def _audit_reload(self, ok: bool, error: str = "") -> None:
        trail = self.services.mapping.get("audit_trail") if self.services else None
        if trail is None:
            return
        try:
            digest = hashlib.sha256(self.config_path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        trail.config_reload(ok=ok, file=str(self.config_path), digest=digest, error=error)

    # ------------------------------------------------------------------ stop
    def request_stop(self) -> None:
        self._stop.set()

    async def drain_and_close(self) -> None:
        for server in self.servers:
            server.close()
        for conn in list(self.connections):
            conn.draining = True
            if conn._task is None:  # idle keep-alive connection
                conn.close()
        assert self.gateway is not None
        timeout = self.gateway.runtime.limits.drain_timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.gateway.inflight and loop.time() < deadline:
            await asyncio.sleep(0.05)
        for conn in list(self.connections):
            conn.close()
        self.gateway.runtime.close()
        if self.services is not None and self.services is not self.owner:
            await self.services.stop()
        if self.owner is not None:
            await self.owner.stop()

    async def run(self) -> None:
        await self.start()
        if _EARLY_STOP:  # SIGTERM arrived while starting: start, then drain at once
            self._stop.set()
        loop = asyncio.get_running_loop()
        if _EARLY_RELOAD:  # SIGHUP arrived while starting: the file may have changed after it was read
            self._tasks.add(loop.create_task(self.reload()))
        loop.add_signal_handler(signal.SIGTERM, self.request_stop)
        loop.add_signal_handler(signal.SIGINT, self.request_stop)
        loop.add_signal_handler(signal.SIGHUP, lambda: self._tasks.add(loop.create_task(self.reload())))
        await self._stop.wait()
        log.info("shutting down: draining in-flight requests")
        await self.drain_and_close()


GC_YOUNG_THRESHOLD = 10_000
"""Allocations between collections of the youngest generation (CPython's default: 700, about one request's
worth): requests leave little cyclic garbage, and each collection walks the batch records monitoring keeps
for up to 200 ms."""


def _freeze_heap() -> None:
    """Start-up built what lives as long as the process (modules, compiled routes and policies, schemas,
    pattern databases): ``gc.freeze`` moves it out of the collector's reach, so the collections that request
    garbage triggers stop walking it again and again (0.4–3.3k instructions per request with monitoring on,
    bench.instructions). Objects made later are collected as before; a reload unfreezes (the old
    configuration's cycles must be collectable) and the process runs on without the freeze."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _serving(config_path: str | Path, worker: int | None = None) -> GatewayServer:
    server = GatewayServer(config_path, worker=worker)
    server.freeze_heap = True
    return server


def run_server(config_path: str | Path, workers: int = 1) -> int:
    """Blocking entry point for ``bastion serve``. Returns the exit code."""
    import uvloop

    load_config(config_path)  # fail fast, in the parent, before forking
    if workers <= 1:
        uvloop.run(_serving(config_path).run())
        return 0
    children: list[int] = []
    master = os.getpid()
    for index in range(workers):
        pid = os.fork()
        if pid == 0:
            # until the worker's loop installs its own handlers, reload and stop signals are remembered
            # (the file may change after the worker read it) rather than killing it half-started
            signal.signal(signal.SIGHUP, _remember_reload)
            signal.signal(signal.SIGTERM, _remember_stop)
            signal.signal(signal.SIGINT, _remember_stop)
            _stop_with_master(master)
            code = 1
            try:
                uvloop.run(_serving(config_path, index).run())
                code = 0
            except BaseException:
                log.exception("worker %d failed", index)
            finally:
                os._exit(code)
        children.append(pid)

    def forward(signum: int, _frame: object) -> None:
        for pid in children:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    code = 0
    for pid in children:
        _, status = os.waitpid(pid, 0)
        code = code or os.waitstatus_to_exitcode(status)
    return code


_EARLY_STOP = False
PR_SET_PDEATHSIG = 1


def _stop_with_master(master: int) -> None:
    """Linux: have the kernel send this worker SIGTERM when the master dies, ``kill -9`` included, so no
    orphaned worker keeps serving on the shared port with nobody to reload or stop it; it drains as on
    any SIGTERM. (Elsewhere workers outlive a killed master, as before.)"""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != master:  # the master died before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _remember_stop(signum: int, _frame: object) -> None:
    global _EARLY_STOP
    _EARLY_STOP = True


_EARLY_RELOAD = False


def _remember_reload(signum: int, _frame: object) -> None:
    global _EARLY_RELOAD
    _EARLY_RELOAD = True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
