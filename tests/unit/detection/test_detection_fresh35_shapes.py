"""Unit: the shapes of the fresh35 first contact.

DB2's catalogue read through its system schemas (``sysibm.``, ``syscat.``, ``sysibmadm.``, ``sysproc.``,
``sysstat.`` as a qualifier, ``sqli_grammar.CATALOGS``), and the AWS/Azure command lines' ``file://name.json``
argument, which names a local file and opens nothing on a server (``ssrf._CLI_FILE_ARG``). Values are our own; none
comes from a corpus."""

from __future__ import annotations

import pytest

from bastion.detection import Context, Engine

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


REJECTED = {
    "db2 catalogue read": [
        "select creator, name from sysibm.systables where type = 'T'",
        "SELECT colname FROM syscat.columns WHERE tabname='ACCOUNTS'",
        "select current timestamp from sysibm.sysdummy1",
        "select host_name from sysibmadm.env_sys_info",
        "select distinct(grantee) from sysibm.sysdbauth",
    ],
    "file url with a path or a host": [
        "file:///etc/passwd",
        "file://etc/passwd",
        "file://localhost/etc/shadow",
        "file://127.0.0.1/c$/windows/win.ini",
        "file://attacker.example.com",
        "file://evil.zip",
        "file://passwd",
    ],
}

PASSED = {
    "db2 schema names in prose": [
        "The sysibm schema holds the catalogue; syscat holds read-only views over it.",
        "Our DBA says: query sysibm.sysversions to see the fix pack level.",
        "Move the figures from sysibmadm.env_inst_info into the inventory sheet",
        "Join the tables from sysproc.admin_cmd output with the job log.",
        "SYSIBM and SYSCAT are DB2 schema names.",
    ],
    "command-line file argument": [
        "file://policy.json",
        "aws iam create-policy --policy-name p --policy-document file://policy.json",
        "Use --cli-input-json file://input.json (see the CLI guide).",
        "az deployment group create --parameters file://params.yaml",
        "--tags file://tags.txt,",
    ],
}


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in REJECTED.items() for v in vs])
def test_fresh35_shape_is_rejected(engine: Engine, shape: str, value: str) -> None:
    for ctx in CONTEXTS:
        assert engine.inspect(value, ctx) is not None, (shape, value, ctx)


@pytest.mark.parametrize(("shape", "value"), [(k, v) for k, vs in PASSED.items() for v in vs])
def test_fresh35_lookalike_passes(engine: Engine, shape: str, value: str) -> None:
    assert engine.inspect(value, BODY) is None, (shape, value)
