"""Unit: the shapes of the fresh69 first contact (the SQL injection payloads of ghauri and jSQL Injection, against
Home Assistant integration fixtures).

Fixed: a stacked query opened with a parenthesis glued to ``SELECT`` after a closing quote (``";(SELECT(2)FROM…``);
MySQL's ``IF(condition, SLEEP(n), 0)`` run as a stacked statement after a closing quote; ``OR <number> GROUP BY``
(or ``ORDER BY``/``HAVING``) followed by a call, the grouping-error probe; Oracle's ``USER_LOCK.SLEEP`` as a waiting
function beside ``DBMS_LOCK.SLEEP``. Values are our own; none comes from a corpus."""

from __future__ import annotations

from collections.abc import Callable

from shape_tables import shape_tests

from bastion.detection import Context

BODY = Context("body", "comment")
CONTEXTS = [BODY, Context("header", "x-note"), Context("cookie", "pref"), Context("query", "q")]


REJECTED = {
    "a parenthesised SELECT glued to its parenthesis, stacked after a closing quote": [
        "';(SELECT(7)FROM(SELECT(SLEEP(3)))b)#",
        'x");(SELECT(0)FROM(SELECT(PG_SLEEP(2)))t)--',
        "abc'; (select(1) from dual)--",
    ],
    "MySQL's IF() with a waiting function, stacked after a closing quote": [
        "');IF(1=1,SLEEP(4),0)--",
        '";if(length(user())>1,benchmark(900000,md5(1)),2)#',
        "q'; IF(now()=now(), sleep(2), 1) -- x",
    ],
    "OR <number> then GROUP BY, ORDER BY or HAVING and a call: the grouping error probe": [
        "' OR 2 GROUP BY CONCAT(version(),FLOOR(RAND(0)*2))#",
        '") or 7 group by concat_ws(0x3a,user(),floor(rand(0)*2)) having min(0)-- -',
        "x' OR 1 HAVING(MIN(0))#",
    ],
    "Oracle's USER_LOCK.SLEEP, alone or after a breakout": [
        "user_lock.sleep(3)",
        "' AND 12=USER_LOCK.SLEEP(2)--",
        "') OR 4=user_lock.sleep(9)--",
    ],
}

PASSED = {
    "JavaScript, prose and code that look alike": [
        "done'; if (ready) sleep(5); else wake()",
        "it's done; if(x) { wait(1) }",
        "Alice's or 2 group by team",
        "the teams 'A' or 3 order by score",
        "Sort 'name' or 1 order by date, then by size",
        "call user_lock when idle",
        "Schedule: 06:00-08:00 ##:##-##:## (select a slot)",
        "Spotify: Good & Evil (select a playlist)",
    ],
}

test_rejected, test_passed = shape_tests(REJECTED, PASSED, CONTEXTS)


def test_linear(inspect_seconds: Callable[[str, Context], float]) -> None:
    for unit in ("';(SELECT(", "');if(1,sleep(1),", "' or 1 group by f(", ";IF(,", "';((select("):
        half = unit * (64 * 1024 // len(unit))
        whole = half + half
        assert inspect_seconds(whole, BODY) < 3 * inspect_seconds(half, BODY) + 0.05, unit
