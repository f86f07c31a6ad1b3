// Bastion dashboard: polls the admin API and draws small canvas charts. No dependencies.
"use strict";
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const pct = (x) => (100 * x).toFixed(1) + " %";

  async function api(path, options) {
    const opts = Object.assign({ credentials: "same-origin", headers: {} }, options || {});
    if (opts.method && opts.method !== "GET") {
      opts.headers["X-CSRF-Token"] = csrf;
      opts.headers["Content-Type"] = "application/json";
    }
    const resp = await fetch(path, opts);
    if (resp.status === 401) { window.location = "/login"; throw new Error("signed out"); }
    return resp.json();
  }

  function cell(row, text) { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); return td; }
  function fillRows(tbody, rows) {
    tbody.replaceChildren();
    for (const values of rows) { const tr = document.createElement("tr"); values.forEach((v) => cell(tr, v)); tbody.appendChild(tr); }
    return tbody;
  }
  const clock = (t) => new Date(t * 1000).toLocaleTimeString();

  function chart(canvas, series, colors, fmt) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height, pad = 28;
    ctx.clearRect(0, 0, w, h);
    const all = series.flat();
    const max = Math.max(1e-9, ...all) * 1.15;
    ctx.strokeStyle = "#334155"; ctx.fillStyle = "#94a3b8"; ctx.font = "11px system-ui";
    for (let i = 0; i <= 2; i++) {
      const y = pad / 2 + (h - pad) * (i / 2);
      ctx.beginPath(); ctx.moveTo(pad, y); ctx.lineTo(w, y); ctx.stroke();
      ctx.fillText(fmt(max * (1 - i / 2)), 0, y + 4);
    }
    series.forEach((values, k) => {
      ctx.strokeStyle = colors[k]; ctx.lineWidth = 2; ctx.beginPath();
      values.forEach((v, i) => {
        const x = pad + (w - pad) * (i / Math.max(1, values.length - 1));
        const y = pad / 2 + (h - pad) * (1 - v / max);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      });
      ctx.stroke();
    });
  }

  async function liftBlock(key) {
    await api("/admin/blocks/lift", { method: "POST", body: JSON.stringify({ key: key }) });
    await refreshBlocks();
  }

  async function refreshBlocks() {
    const data = await api("/admin/blocks");
    const tbody = $("blocks").querySelector("tbody");
    tbody.replaceChildren();
    for (const b of data.blocks) {
      const tr = document.createElement("tr");
      tr.dataset.key = b.key;
      cell(tr, b.key); cell(tr, b.reason); cell(tr, clock(b.until));
      const btn = document.createElement("button");
      btn.textContent = "Lift"; btn.className = "lift"; btn.addEventListener("click", () => liftBlock(b.key));
      cell(tr, "").appendChild(btn);
      tbody.appendChild(tr);
    }
  }

  async function refreshStats() {
    const data = await api("/admin/stats");
    const s = data.series;
    const last = s.slice(-3, -1).length ? s.slice(-3, -1) : s;
    const avg = (f) => last.reduce((a, p) => a + f(p), 0) / Math.max(1, last.length);
    $("stat-rps").textContent = avg((p) => p.rps).toFixed(1);
    $("stat-requests").textContent = String(s.reduce((a, p) => a + p.requests, 0));
    $("stat-errors").textContent = pct(avg((p) => p.error_rate));
    $("stat-blocks").textContent = pct(avg((p) => p.block_rate));
    $("stat-p95").textContent = avg((p) => p.p95).toFixed(1) + " ms";
    chart($("chart-rps"), [s.map((p) => p.rps)], ["#38bdf8"], (v) => v.toFixed(0));
    chart($("chart-rates"), [s.map((p) => p.error_rate), s.map((p) => p.block_rate)], ["#f87171", "#fbbf24"], (v) => (100 * v).toFixed(0) + "%");
    chart($("chart-latency"), [s.map((p) => p.p50), s.map((p) => p.p95), s.map((p) => p.p99)], ["#4ade80", "#fbbf24", "#f87171"], (v) => v.toFixed(0));
    fillRows($("top-identities").querySelector("tbody"), data.identities);
    fillRows($("top-routes").querySelector("tbody"), data.routes);
    $("updated").textContent = "updated " + clock(data.now);
  }

  async function refreshAlerts() {
    const data = await api("/admin/alerts?limit=20");
    fillRows($("alerts").querySelector("tbody"), data.alerts.map((a) => [clock(a.detected_at), a.detector, a.identity,
      a.route, a.severity, JSON.stringify(a.evidence), a.action]));
  }

  async function refreshAudit() {
    const a = await api("/admin/audit");
    const state = $("audit-state");
    if (!a.enabled) { state.textContent = "off"; return; }
    const v = a.last_verify || {};
    state.textContent = v.ok === false ? "TAMPERED" : (a.write_errors ? "write errors" : "OK");
    state.className = "big " + (v.ok === false || a.write_errors ? "bad" : "ok");
    $("audit-detail").textContent = a.written + " records written, queue " + a.queue_depth +
      (a.last_checkpoint ? ", checkpoint #" + a.last_checkpoint.seq : "") +
      (v.at ? ", verified " + clock(v.at) + (v.problem ? ": " + v.problem : "") : "");
  }

  async function refresh() {
    try { await Promise.all([refreshStats(), refreshAlerts(), refreshBlocks(), refreshAudit()]); }
    catch (e) { $("updated").textContent = "update failed: " + e.message; }
  }

  $("audit-verify").addEventListener("click", async () => { await api("/admin/audit/verify", { method: "POST", body: "{}" }); await refreshAudit(); });
  $("logout").addEventListener("click", async () => {
    await fetch("/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } });
    window.location = "/login";
  });
  refresh();
  setInterval(refresh, 1000);
})();
