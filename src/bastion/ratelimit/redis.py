"""RedisCounterStore: rate-limit state shared by several gateway instances.

Every decision is one ``EVALSHA`` of ``DECIDE`` (one round trip; Redis runs scripts atomically),
which mirrors ``strategies.py`` exactly: check every rule, commit only if all admit. Keys live under
the ``StateBackend`` prefix. Times are passed in (seconds as decimal strings) so the math stays with
the injected clock; instances must keep their clocks in sync (NTP), as for token expiry.
Redis errors are mapped once, here, to ``StoreUnavailable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bastion.ratelimit.store import StoreUnavailable, storage_key
from bastion.ratelimit.strategies import Gcra, LimitStatus, Outcome, Rule, Window

DECIDE = """
local EPSILON = 1e-6
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local member = ARGV[3]
local n = #KEYS
local allowed = 1
local retry = 0
local out = {}
local commits = {}
for i = 1, n do
  local base = 3 + (i - 1) * 4
  local kind = ARGV[base + 1]
  local count = tonumber(ARGV[base + 2])
  local period = tonumber(ARGV[base + 3])
  local extra = tonumber(ARGV[base + 4])
  local key = KEYS[i]
  local ok, wait, remaining, reset
  if kind == 'g' then
    local t = period / count
    local capacity = extra * t
    local tat = tonumber(redis.call('GET', key) or '0')
    if tat < now then tat = now end
    local new_tat = tat + cost * t
    local ahead = new_tat - now
    if ahead <= capacity + EPSILON then
      ok, wait = true, 0
      remaining = math.floor((capacity - ahead) / t + EPSILON)
      reset = ahead
      commits[#commits + 1] = {'g', key, new_tat, ahead}
    else
      ok = false
      if cost <= extra then wait = ahead - capacity else wait = period end
      local held = tat - now
      remaining = math.floor(math.max(capacity - held, 0) / t + EPSILON)
      reset = held
    end
  elseif kind == 'w' then
    local used = tonumber(redis.call('GET', key) or '0')
    reset = (math.floor(now / period) + 1) * period - now
    if used + cost <= count then
      ok, wait, remaining = true, 0, count - used - cost
      commits[#commits + 1] = {'w', key, cost, reset}
    else
      ok, wait, remaining = false, reset, math.max(count - used, 0)
    end
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    local in_flight = redis.call('ZCARD', key)
    reset = 0
    if in_flight < count then
      ok, wait, remaining = true, 0, count - in_flight - 1
      commits[#commits + 1] = {'c', key, now + extra, extra}
    else
      ok, wait, remaining = false, 1, 0
    end
  end
  if not ok then
    allowed = 0
    if wait > retry then retry = wait end
  end
  out[#out + 1] = remaining
  out[#out + 1] = tostring(reset)
end
if allowed == 1 then
  for _, c in ipairs(commits) do
    local ttl = math.ceil(c[4] * 1000) + 1000
    if c[1] == 'g' then
      redis.call('SET', c[2], string.format('%.17g', c[3]), 'PX', ttl)
    elseif c[1] == 'w' then
      redis.call('INCRBY', c[2], c[3])
      redis.call('PEXPIRE', c[2], ttl)
    else
      redis.call('ZADD', c[2], string.format('%.17g', c[3]), member)
      redis.call('PEXPIRE', c[2], ttl)
    end
  end
end
table.insert(out, 1, tostring(retry))
table.insert(out, 1, allowed)
return out
"""


class RedisCounterStore:
    kind = "redis"

    def __init__(self, client: Any, prefix: str = "bastion:") -> None:
        self._client = client
        self._prefix = prefix + "rl:"
        self._script = client.register_script(DECIDE)

    async def decide(
        self, keys: Sequence[str], rules: Sequence[Rule], cost: int, now: float, member: str
    ) -> Outcome:
        args: list[str | int] = [repr(now), cost, member]
        for rule in rules:
            if isinstance(rule, Gcra):
                args += ["g", rule.count, repr(rule.period), rule.burst]
            elif isinstance(rule, Window):
                args += ["w", rule.count, repr(rule.period), 0]
            else:
                args += ["c", rule.count, 0, repr(rule.lease)]
        skeys = [self._prefix + storage_key(k, r, now) for k, r in zip(keys, rules, strict=True)]
        try:
            reply = await self._script(keys=skeys, args=args)
        except Exception as exc:  # redis.exceptions.* and OSError: mapped once, at the boundary
            raise StoreUnavailable(f"redis rate-limit store unavailable ({type(exc).__name__})") from None
        statuses = tuple(
            LimitStatus(int(reply[i]), float(reply[i + 1])) for i in range(2, len(reply), 2)
        )
        return Outcome(bool(int(reply[0])), float(reply[1]), statuses)

    async def release(self, keys: Sequence[str], member: str) -> None:
        if not keys:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.zrem(self._prefix + key, member)
                await pipe.execute()
        except Exception as exc:
            raise StoreUnavailable(f"redis rate-limit store unavailable ({type(exc).__name__})") from None
