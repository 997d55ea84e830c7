/**
 * The Lua scripts of `RedisLimiter`: acquire, renew and release leases, each
 * atomic on the server, each returning a tuple of integers.
 *
 * The state of one limiter, under the hash tag `{key}`:
 * - `lf:{key}:lease`, a sorted set: one member per live lease, its fencing
 *   token (an integer), scored by its expiry on the server clock (µs);
 * - `lf:{key}:lease:m`, a hash: `hw` (the high-water mark of the server
 *   clock, µs), `n` (the last token handed out) and `p` (nothing is granted
 *   before this server time, µs: the restart guard).
 *
 * Every script first reads the clock (never backwards), then reaps the
 * leases that have expired (score <= now), so a process that died frees its
 * slots within `lease` ms whoever calls next. Tokens only grow: a new state
 * (first use, or lost in a restart) starts counting at the server time in
 * µs, above every token handed out before, so a late release or renewal of a
 * lease from an older state never matches a newer one. When the state is new
 * and Redis has been up for less than one lease, nothing is granted until
 * one lease after Redis started: every holder of the lost state has stopped
 * by then (its renewal fails, or its local deadline passes).
 *
 * Both keys expire one lease plus a second after the last script call.
 * ARGV[1] of every script is the lease (µs).
 */
import { NUM, RESTART_PAUSE, SERVER_NOW } from './lua.js';

/** The clock, the reaping and the token counter every script starts with. */
const LEASE_CLOCK =
  NUM +
  SERVER_NOW +
  RESTART_PAUSE +
  `
local leases, meta = KEYS[1], KEYS[2]
local lease = tonumber(ARGV[1])
local got = redis.call('HMGET', meta, 'hw', 'p', 'n')
local now = serverNow(got[1])
local pause = tonumber(got[2]) or 0
local n = tonumber(got[3])
if n == nil then
  n = now
  pause = restartPause(now, lease) or 0
end
redis.call('ZREMRANGEBYSCORE', leases, '-inf', num(now))
-- stores the clock's mark, the last token and the pause; both keys live one lease and a second more
local function save(last)
  redis.call('HSET', meta, 'hw', num(now), 'n', num(last), 'p', num(pause))
  local ttl = math.ceil(lease / 1000) + 1000
  redis.call('PEXPIRE', leases, ttl)
  redis.call('PEXPIRE', meta, ttl)
end
`;

/**
 * acquire. ARGV: lease (µs), limit, want (how many leases this process's
 * waiters ask for, at most {@link MAX_BATCH}). KEYS: leases, meta.
 * Grants min(want, free slots) leases, all expiring at now + lease, with
 * the consecutive tokens first..first+granted-1.
 * Returns { granted, first token, expiry (µs), now (µs), wake (µs: when a
 * slot may free up for a refused request: the earliest expiry, or the end of
 * the restart pause; 0 when everything asked for was granted) }.
 *
 * @example
 * ```ts
 * const [granted, first, expiry, now, wake] = await runScript(redis, new Script(LEASE_ACQUIRE), keys, [micros(lease), '5', '1'], 1000, 5);
 * ```
 */
export const LEASE_ACQUIRE =
  LEASE_CLOCK +
  `
local limit, want = tonumber(ARGV[2]), tonumber(ARGV[3])
local expiry = now + lease
local granted = 0
local first = n + 1
if pause <= now then
  local free = limit - redis.call('ZCARD', leases)
  if free > 0 then
    granted = math.min(free, want)
    local members = {}
    for i = 1, granted do
      members[#members + 1] = num(expiry)
      members[#members + 1] = num(n + i)
    end
    redis.call('ZADD', leases, unpack(members))
    n = n + granted
  end
end
save(n)
local wake = 0
if granted < want then
  if pause > now then
    wake = pause
  else
    wake = tonumber(redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')[2]) or now
  end
end
return { granted, first, expiry, now, wake }
`;

/**
 * renew. ARGV: lease (µs), then the tokens to renew. KEYS: leases, meta.
 * A token still live gets the expiry now + lease; one that is gone (expired
 * and reaped, released, or lost with the state) is not brought back.
 * Returns { now (µs), expiry (µs), then per token 1 renewed | 0 lost }.
 *
 * @example
 * ```ts
 * const [now, expiry, kept] = await runScript(redis, new Script(LEASE_RENEW), keys, [micros(lease), String(token)], 1000, 3);
 * ```
 */
export const LEASE_RENEW =
  LEASE_CLOCK +
  `
save(n)
local expiry = now + lease
local out = { now, expiry }
for i = 2, #ARGV do
  if redis.call('ZSCORE', leases, ARGV[i]) then
    redis.call('ZADD', leases, 'XX', num(expiry), ARGV[i])
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
`;

/**
 * release. ARGV: lease (µs), the channel to publish on, then the tokens.
 * KEYS: leases, meta. Removes the tokens that are still live (a token that
 * is gone frees nothing: fencing) and, when one was, publishes on the
 * channel so that waiters in other processes ask again.
 * Returns { how many were removed, now (µs) }.
 *
 * @example
 * ```ts
 * const [removed] = await runScript(redis, new Script(LEASE_RELEASE), keys, [micros(lease), channel, String(token)], 1000, 2);
 * ```
 */
export const LEASE_RELEASE =
  LEASE_CLOCK +
  `
save(n)
local removed = 0
for i = 3, #ARGV do removed = removed + redis.call('ZREM', leases, ARGV[i]) end
if removed > 0 then redis.call('PUBLISH', ARGV[2], removed) end
return { removed, now }
`;

/**
 * The most leases one acquire asks for (Lua's `unpack` has a stack limit).
 *
 * @example
 * ```ts
 * const want = Math.min(waiters, MAX_BATCH);
 * ```
 */
export const MAX_BATCH = 200;
