"""Unit: an absolute system path as the whole value of a body field named for a configuration path (a pod's
``mountPath``, a scrape config's ``ca_file``) passes; the same field still refuses traversal, ``file://`` and the files
worth stealing, and the generic names a file inclusion reads (``file``, ``path``, ``template`` …) and the query keep
the whole-value rule. Values written for these tests, not taken from any corpus or the infrastructure probe."""

from __future__ import annotations

import orjson
import pytest

from bastion.detection import Context, Engine
from bastion.detection.fields import body_fields


def _body(doc: object) -> list[tuple[str, str, Context]]:
    return list(body_fields(orjson.dumps(doc), "application/json"))


BENIGN: dict[str, tuple[str, Context]] = {
    "mount_path_into_etc": ("/etc/grafana/provisioning", Context("body", "mountpath")),
    "mount_path_onto_projected_token": ("/var/run/secrets/example.org/identity", Context("body", "mountpath")),
    "sub_path_under_etc": ("/etc/nginx/conf.d/site.conf", Context("body", "subpath")),
    "nomad_host_path": ("/etc/consul.d", Context("body", "host_path")),
    "scrape_ca_file": ("/run/secrets/cluster/ca.pem", Context("body", "ca_file")),
    "scrape_bearer_token_file": ("/var/run/secrets/tokens/metrics-reader", Context("body", "bearer_token_file")),
    "scrape_credentials_file": ("/etc/exporter/credentials", Context("body", "credentials_file")),
    "tls_cert_file": ("/etc/ssl/private/edge.crt", Context("body", "tls_cert_file")),
    "container_working_dir": ("/root/build", Context("body", "workingdir")),
    "daemon_config_file": ("/etc/vector/vector.toml", Context("body", "config-file")),
}

ATTACKS: dict[str, tuple[str, Context]] = {
    "dot_dot_in_a_mount_path": ("../../../../etc/hostname", Context("body", "mountpath")),
    "file_url_in_a_ca_file": ("file:///etc/passwd", Context("body", "ca_file")),
    "account_database_in_a_mount_path": ("/etc/shadow", Context("body", "mountpath")),
    "process_environment_in_a_host_path": ("/proc/self/environ", Context("body", "host_path")),
    "ssh_key_in_a_credentials_file": ("/home/ops/.ssh/id_ed25519", Context("body", "credentials_file")),
    "web_server_log_in_a_config_path": ("/usr/local/nginx/logs/access.log", Context("body", "config_path")),
    "system_file_in_a_file_field": ("/etc/nginx/nginx.conf", Context("body", "file")),
    "system_file_in_a_path_field": ("/etc/exports", Context("body", "path")),
    "system_file_in_a_file_path_field": ("/etc/mysql/my.cnf", Context("body", "file_path")),
    "system_file_in_a_download_path_field": ("/var/log/syslog", Context("body", "download_path")),
    "system_file_in_a_template_field": ("/etc/resolv.conf", Context("body", "template")),
    "system_file_in_a_log_file_field": ("/var/log/auth.log", Context("body", "log_file")),
    "passwd_in_a_download_query": ("/etc/passwd", Context("query", "file")),
    "system_file_in_a_path_query": ("/etc/fstab", Context("query", "path")),
    "system_file_in_a_mount_path_query": ("/etc/fstab", Context("query", "mountpath")),
    "system_file_in_a_mount_path_header": ("/etc/fstab", Context("header", "x-mountpath")),
}


@pytest.mark.parametrize("name", sorted(BENIGN))
def test_config_path_field_passes(engine: Engine, name: str) -> None:
    value, ctx = BENIGN[name]
    assert engine.inspect(value, ctx) is None


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_inclusion_still_refused(engine: Engine, name: str) -> None:
    value, ctx = ATTACKS[name]
    found = engine.inspect(value, ctx)
    assert found is not None and found.rule.id == "waf.traversal"


def test_camel_case_mount_path_in_a_pod_spec_passes(engine: Engine) -> None:
    doc = {"spec": {"containers": [{"name": "web", "volumeMounts": [{"name": "conf", "mountPath": "/etc/haproxy"}],
                                    "workingDir": "/root/src"}]}}
    assert engine.first(_body(doc)) is None


def test_same_path_in_a_generic_field_of_the_same_body_is_refused(engine: Engine) -> None:
    doc = {"volumeMounts": [{"mountPath": "/etc/haproxy"}], "path": "/etc/haproxy/haproxy.cfg"}
    hit = engine.first(_body(doc))
    assert hit is not None and hit[1].rule.id == "waf.traversal"


def test_a_key_named_like_a_path_is_not_waived(engine: Engine) -> None:
    fields = [("/body/mountPath", "/etc/sysctl.conf", Context("body", "mountpath", is_key=True))]
    hit = engine.first(fields)
    assert hit is not None and hit[1].rule.id == "waf.traversal"
