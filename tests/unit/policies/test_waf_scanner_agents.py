"""Unit: the waf's ``scanner`` class refuses requests whose User-Agent names an attack tool (CRS 913100's shape).

The tool strings are the defaults the tools send (sqlmap, Nuclei, ffuf, OpenVAS, Nikto, WPScan, Nessus plugins);
the look-alikes are browsers, crawlers and the HTTP clients real API callers use, and the tools' names anywhere but
in the User-Agent header."""

from __future__ import annotations

import json
import time

import pytest

from bastion.chain.policy import PolicyDeps
from bastion.detection import Context, Engine
from bastion.detection.scanner_agents import scanner_agent
from bastion.http.problem import REQUEST_BLOCKED
from bastion.policies.waf import WafConfig, WafPolicy
from bastion.testing.exchange import make_exchange

TOOL_AGENTS = [
    "sqlmap/1.7.4#stable (https://sqlmap.org)",
    "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
    "Fuzz Faster U Fool v2.0.0",
    "Mozilla/5.0 [en] (X11, U; OpenVAS-VT 22.4.1)",
    "Microsoft WinRM Client OpenVASVT",
    "Mozilla/5.0 (X11; Linux x86_64) Nikto/2.5.0 (Evasions:None) (Test:Port Check)",
    "WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)",
    "mercuryboard_user_agent_sql_injection.nasl'",
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
    "Mozilla/5.0 zgrab/0.x",
    "commix/v3.9-stable (https://commixproject.com)",
    "Wfuzz/3.1.0",
    "gobuster/3.6",
    "DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) acunetix-product/wvs (Acunetix Web Vulnerability Scanner)",
    "User-Agent: Mozilla/5.0",
]

PASSING_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0", "Wget/1.21.4", "python-requests/2.31.0", "python-httpx/0.27.0", "Go-http-client/1.1",
    "okhttp/4.12.0", "PostmanRuntime/7.36.3", "axios/1.6.8", "node-fetch/1.0", "Java/17.0.9", "insomnia/8.6.1",
    "Stripe/v1 PythonBindings/8.5.0", "GitHub-Hookshot/4a9c8e1", "Slackbot 1.0 (+https://api.slack.com/robots)",
    "NucleusApp/2.1 (iOS 17)", "Grabber-Analytics/1.0", "Sqlite-Sync/3.0",
    "Nucleic Acids Res. 2002 May 15;30(10):e47", "shop.plx/page=nessus766360843", "Sqlmapper/2.0", "Niktos/1.0",
]


@pytest.fixture(scope="module")
def policy() -> WafPolicy:
    return WafPolicy(WafConfig(), PolicyDeps())


@pytest.mark.anyio
@pytest.mark.parametrize("agent", TOOL_AGENTS)
async def test_refuses_attack_tool_user_agent(policy: WafPolicy, agent: str) -> None:
    ex = make_exchange("GET", "/api/items", headers=[("user-agent", agent)])
    problem = await policy.on_request(ex)
    assert problem is not None and problem.status == 403 and problem.type == REQUEST_BLOCKED.uri
    note = ex.notes["waf"]
    # an injection class found first wins the report (Nmap's "; Nmap Scripting Engine; https://…" reads as a command)
    assert note["pointer"] == "/headers/user-agent", note
    assert agent not in problem.body(ex.request_id).decode()
    assert scanner_agent(agent, "header", "user-agent") is not None


@pytest.mark.anyio
@pytest.mark.parametrize("agent", PASSING_AGENTS)
async def test_browsers_crawlers_and_api_clients_pass(policy: WafPolicy, agent: str) -> None:
    assert await policy.on_request(make_exchange("GET", "/api/items", headers=[("user-agent", agent)])) is None


@pytest.mark.anyio
async def test_tool_names_outside_the_user_agent_are_talk_not_tools(policy: WafPolicy) -> None:
    body = json.dumps({"comment": "We ran sqlmap, nikto and nuclei against staging; OpenVAS found nothing."})
    ex = make_exchange("POST", "/api/tickets", query="q=sqlmap+results",
                       headers=[("content-type", "application/json"), ("x-scanned-by", "sqlmap/1.7"),
                                ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0")],
                       body=body.encode())
    assert await policy.on_request(ex) is None


@pytest.mark.anyio
async def test_a_route_that_scans_itself_turns_the_class_off() -> None:
    agent = [("user-agent", "sqlmap/1.7.4#stable (https://sqlmap.org)")]
    off = WafPolicy(WafConfig(disabled=("scanner",)), PolicyDeps())
    assert await off.on_request(make_exchange("GET", "/api/items", headers=agent)) is None
    excluded = WafPolicy(WafConfig.model_validate({"exclusions": [{"field": "/headers/user-agent",
                                                                    "rules": ["waf.scanner"]}]}), PolicyDeps())
    assert await excluded.on_request(make_exchange("GET", "/api/items", headers=agent)) is None
    # an injection in the same header is still refused
    bad = [("user-agent", "sqlmap/1.7' or '1'='1")]
    ex = make_exchange("GET", "/api/items", headers=bad)
    assert await excluded.on_request(ex) is not None and ex.notes["waf"]["attack"] == "sqli"


def test_only_the_user_agent_header_is_read() -> None:
    engine = Engine()
    for ctx in (Context("header", "x-note"), Context("body", "comment"), Context("query", "agent"),
                Context("cookie", "ua")):
        assert engine.inspect("sqlmap/1.7.4#stable (https://sqlmap.org)", ctx) is None
    found = engine.inspect("sqlmap/1.7.4#stable (https://sqlmap.org)", Context("header", "user-agent"))
    assert found is not None and found.rule.id == "waf.scanner" and found.snippet == "sqlmap"


@pytest.mark.parametrize("value", ["Mozilla/5.0 " + "(compatible; x) " * 8192, "a" * 131072, "user-agent " * 12000,
                                   "sqlmapx" * 18000, ".nasl" * 26000])
def test_long_user_agent_is_linear(value: str) -> None:
    start = time.process_time()
    scanner_agent(value, "header", "user-agent")
    assert time.process_time() - start < 1.0
