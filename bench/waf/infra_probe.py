"""Infrastructure and developer-tool API documents through the waf at default settings: a false-positive probe.

    python bench/waf/infra_probe.py               # run bench/waf/infra_probe.json, print FP per source and flags
    python bench/waf/infra_probe.py --build DIR   # rebuild the data file from the documents laid out in DIR

Real public documents (Kubernetes manifests, Compose files, GitHub Actions workflows, Prometheus configs, a Grafana
dashboard; sources and licences in ``SOURCES`` and in each record) are converted from YAML to JSON and sent, one
object per request, as the JSON body of the POST or PUT that ``kubectl apply`` or the tool's API client would send.
Not part of the detection corpus (``corpus.jsonl``): it measures one family of traffic, and the detectors may be
tuned with it in view, so its figure is not an unseen-data figure.

Verdicts come from ``bench.waf.bastion_verdicts`` (the same in-process run of ``WafPolicy``); the flagged fields are
listed by asking the policy's engine about each field of the request alone, so every field that would block is named,
not only the first.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.waf import bastion_verdicts

from bastion.chain.policy import PolicyDeps
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

DATA = Path(__file__).resolve().parent / "infra_probe.json"

SOURCES: dict[str, dict[str, str]] = {
    "k8s-examples": {"origin": "github.com/kubernetes/examples", "licence": "Apache-2.0"},
    "k8s-website": {"origin": "github.com/kubernetes/website content/en/examples", "licence": "CC-BY-4.0"},
    "prometheus": {"origin": "github.com/prometheus/prometheus documentation/examples", "licence": "Apache-2.0"},
    "awesome-compose": {"origin": "github.com/docker/awesome-compose", "licence": "CC0-1.0"},
    "kopf-sdist": {"origin": "PyPI kopf 1.45.2 sdist", "licence": "MIT"},
    "kr8s-sdist": {"origin": "PyPI kr8s 0.20.15 sdist", "licence": "BSD-3-Clause"},
    "ansible-runner-sdist": {"origin": "PyPI ansible-runner 2.4.3 sdist", "licence": "Apache-2.0"},
    "molecule-sdist": {"origin": "PyPI molecule 26.10.0 sdist", "licence": "MIT"},
}
"""Where the documents under ``--build DIR`` come from: ``DIR/<source>/<path>``. The stored GitHub files were
transcribed (YAML comments dropped, the Grafana dashboard cut to its first nine panels); the sdists were unpacked."""

_PLURAL = {"Pod": "pods", "Service": "services", "ConfigMap": "configmaps", "Secret": "secrets",
           "ServiceAccount": "serviceaccounts", "ReplicationController": "replicationcontrollers",
           "Deployment": "deployments", "StatefulSet": "statefulsets", "DaemonSet": "daemonsets",
           "Ingress": "ingresses", "StorageClass": "storageclasses", "Role": "roles", "RoleBinding": "rolebindings",
           "ClusterRole": "clusterroles", "ClusterRoleBinding": "clusterrolebindings",
           "CustomResourceDefinition": "customresourcedefinitions"}


def _target(doc: Any, path: str) -> tuple[str, str, str]:
    """(kind, method, target) of the API call that would carry ``doc``."""
    if isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc:
        group = str(doc["apiVersion"])
        base = f"/api/{group}" if "/" not in group else f"/apis/{group}"
        plural = _PLURAL.get(str(doc["kind"]), str(doc["kind"]).lower() + "s")
        ns = (doc.get("metadata") or {}).get("namespace") or "default"
        return "kubernetes", "POST", f"{base}/namespaces/{ns}/{plural}"
    if (isinstance(doc, dict) and "jobs" in doc and "on" in doc) or ".github/workflows" in path:
        return "actions-workflow", "PUT", "/api/v1/repos/acme/app/workflows/" + Path(path).stem
    if isinstance(doc, dict) and "services" in doc:
        return "compose", "POST", "/api/stacks?type=compose&endpointId=1"
    if isinstance(doc, dict) and "scrape_configs" in doc:
        return "prometheus-config", "POST", "/api/v1/config/prometheus"
    if isinstance(doc, dict) and "panels" in doc:
        return "grafana-dashboard", "POST", "/api/dashboards/db"
    if isinstance(doc, list) and any(isinstance(p, dict) and ("hosts" in p or "import_playbook" in p) for p in doc):
        return "ansible-playbook", "POST", "/api/v2/projects/7/playbooks"
    if isinstance(doc, list):
        return "ansible-tasks", "PUT", "/api/v2/projects/7/files/" + Path(path).stem
    return "tool-config", "PUT", "/api/v1/config/" + Path(path).stem


_POD_SPECS = ("/body/spec", "/body/spec/template/spec", "/body/spec/jobTemplate/spec/template/spec")
ROUTE_EXCLUSIONS: dict[str, list[dict[str, Any]]] = {
    "kubernetes": [
        {"field": f"{spec}/{group}/*/{field}", "rules": ["cmdi"]}
        for spec in _POD_SPECS for group in ("containers", "initContainers")
        for field in ("command", "args", "lifecycle/*/exec/command", "livenessProbe/exec/command",
                      "readinessProbe/exec/command", "startupProbe/exec/command")
    ] + [{"field": f"{spec}/volumes/*/hostPath/path", "rules": ["traversal"]} for spec in _POD_SPECS],
    "actions-workflow": [{"field": "/body/jobs/*/steps/*/run", "rules": ["cmdi"]}],
}
"""The per-route exclusions docs/waf.md recommends, by document kind (``--exclusions`` applies them)."""


def build(root: Path) -> list[dict[str, Any]]:
    import yaml

    out: list[dict[str, Any]] = []
    for source in SOURCES:
        for f in sorted(p for p in (root / source).rglob("*") if p.suffix in (".yaml", ".yml", ".json")):
            rel = str(f.relative_to(root / source))
            text = f.read_text(encoding="utf-8")
            docs = [json.loads(text)] if f.suffix == ".json" else [d for d in yaml.safe_load_all(text) if d]
            for n, doc in enumerate(docs):
                if isinstance(doc, dict) and True in doc and "jobs" in doc:
                    doc = {("on" if k is True else k): v for k, v in doc.items()}  # YAML 1.1 reads `on:` as true
                doc = json.loads(json.dumps(doc, default=str))  # YAML dates and the like as JSON sees them
                kind, method, target = _target(doc, rel)
                if kind == "grafana-dashboard":
                    doc = {"dashboard": doc, "overwrite": True}
                out.append({"id": f"{source}:{rel}#{n}", "source": source, "origin": SOURCES[source]["origin"],
                            "licence": SOURCES[source]["licence"],
                            "kind": kind, "method": method, "target": target, "body": doc})
    return out


def _corpus(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": r["id"], "method": r["method"], "target": r["target"], "label": "benign",
             "headers": [["content-type", "application/json"]], "body": json.dumps(r["body"])} for r in records]


def flagged_fields(item: dict[str, Any], policy: WafPolicy) -> list[tuple[str, str, str]]:
    """Every (pointer, rule id, snippet) that would block ``item`` by itself."""
    raw_path, _, query = item["target"].partition("?")
    ex = make_exchange(item["method"], raw_path, query=query, headers=[tuple(h) for h in item["headers"]],
                       body=item["body"].encode())
    out = []
    for field in policy._fields(ex):
        hit = policy.engine.first([field])
        if hit is not None:
            out.append((field[0], hit[1].rule.id, hit[1].snippet))
    return out


def _excluded_verdicts(records: list[dict[str, Any]], corpus: list[dict[str, Any]]) -> dict[str, str]:
    policies = {kind: WafPolicy(WafConfig.model_validate({"exclusions": ex}), PolicyDeps())
                for kind, ex in ROUTE_EXCLUSIONS.items()}
    default = WafPolicy(WafConfig(), PolicyDeps())
    out: dict[str, str] = {}
    for rec, item in zip(records, corpus, strict=True):
        raw_path, _, query = item["target"].partition("?")
        ex = make_exchange(item["method"], raw_path, query=query, headers=[tuple(h) for h in item["headers"]],
                           body=item["body"].encode())
        out[item["id"]] = "waf" if policies.get(rec["kind"], default).inspect(ex) is not None else ""
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", type=Path, help="rebuild the data file from DIR/<source>/...")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--exclusions", action="store_true",
                    help="judge each document on a route with ROUTE_EXCLUSIONS for its kind, not at default settings")
    args = ap.parse_args(argv)
    if args.build:
        records = build(args.build)
        args.data.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {len(records)} documents to {args.data}")
        return 0
    records = json.loads(args.data.read_text(encoding="utf-8"))
    corpus = _corpus(records)
    verdicts = bastion_verdicts(corpus) if not args.exclusions else _excluded_verdicts(records, corpus)
    policy = WafPolicy(WafConfig(), PolicyDeps())
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    flags: list[str] = []
    for rec, item in zip(records, corpus, strict=True):
        blocked = verdicts[item["id"]] != ""
        per[rec["source"]][0] += blocked
        per[rec["source"]][1] += 1
        by_kind[rec["kind"]][0] += blocked
        by_kind[rec["kind"]][1] += 1
        if blocked and not args.exclusions:
            for pointer, rule, snippet in flagged_fields(item, policy):
                flags.append(f"FLAG {rec['id']} {rule} {pointer} {snippet!r}")
    per["ALL"] = [sum(v[0] for v in by_kind.values()), len(records)]
    for title, table in (("source", per), ("document kind", by_kind)):
        print(f"{title:22} blocked (false positives: every document is benign)")
        for name, (b, n) in table.items():
            print(f"  {name:20} {100 * b / n:5.1f}% ({b}/{n})")
    print("\n".join(flags))
    return 0


if __name__ == "__main__":
    sys.exit(main())
