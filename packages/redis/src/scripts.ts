/**
 * The Lua scripts of `RedisRateLimiter`: one per operation (acquire, settle,
 * cancel, pause), each atomic on the server, each returning a status tuple
 * of integers (never an error string to parse).
 *
 * The state of one limiter, all under one hash tag `{key}`:
 * - `lf:{key}:m`, a hash: `hw` (the high-water mark of the server clock, µs),
 *   `e` (the epoch: the server time when this state was created),
 *   `n` (the grant counter), `l` (the latest slot granted, µs), `p` (paused
 *   until, µs), and per limit `t:<limit>` (total cost ever granted) and
 *   `b:<limit>` (the running total at the newest entry that left the log).
 * - per limit, a sliding log of grants under one id (zero-padded counter, so
 *   lexicographic order is grant order): `…:a` (sorted set, score = slot µs),
 *   `…:c` (sorted set, score = running total of cost up to and including the
 *   entry), `…:k` (hash, id -> cost).
 *
 * Slots never decrease, so the log is in slot order and in running-total
 * order at once: the earliest slot a request of cost `c` may get for a limit
 * is the slot of the first entry whose running total reaches
 * `total + c - limit`, plus the interval (that entry and every older one have
 * then left the window). One O(log n) lookup per limit, whatever the limit.
 *
 * Times are integer microseconds of `TIME` (exact in a double until 2255).
 */

import { NUM, RESTART_PAUSE, SERVER_NOW } from './lua.js';

/**
 * The server clock with the high-water mark (never backwards) and the
 * restart guard: when the limiter's state is missing (no epoch) and Redis has
 * been up for less than the longest interval, admissions pause until that
 * interval has passed since Redis started (grants made before a restart are
 * then out of every window that the new ones fall in).
 * ARGV[1]: the longest interval (µs). `fields`: more meta fields to read in
 * the same HMGET. Returns now, pause, the epoch, the values of `fields`, and
 * the meta writes so far (one HSET at the end), and whether the state is new.
 */
const CLOCK =
  SERVER_NOW +
  RESTART_PAUSE +
  `
local meta = KEYS[1]
local span = tonumber(ARGV[1])
local function clock(fields)
  local got = redis.call('HMGET', meta, 'hw', 'p', 'e', unpack(fields))
  local now = serverNow(got[1])
  local pause = tonumber(got[2]) or 0
  local epoch = got[3]
  local writes = { 'hw', num(now) }
  if not epoch then
    epoch = num(now)
    writes[#writes + 1] = 'e'
    writes[#writes + 1] = epoch
    local guard = restartPause(now, span)
    if guard then
      pause = guard
      writes[#writes + 1] = 'p'
      writes[#writes + 1] = num(pause)
    end
  end
  local values = {}
  for i = 1, #fields do values[i] = got[3 + i] end
  return now, pause, epoch, values, writes, got[3] == false
end
`;

/** Re-records one entry's cost for one limit: every later running total moves by the difference. */
const RESETTLE = `
local function resettle(cumK, costK, tag, member, cost)
  local old = tonumber(redis.call('HGET', costK, member))
  if old == nil then return false end
  local delta = cost - old
  if delta ~= 0 then
    local cum = redis.call('ZSCORE', cumK, member)
    local later = redis.call('ZRANGEBYSCORE', cumK, cum, '+inf')
    for _, m in ipairs(later) do
      if m >= member then redis.call('ZINCRBY', cumK, num(delta), m) end
    end
    redis.call('HSET', costK, member, num(cost))
    local total = (tonumber(redis.call('HGET', KEYS[1], 't:' .. tag)) or 0) + delta
    redis.call('HSET', KEYS[1], 't:' .. tag, num(total))
  end
  return true
end
`;

/**
 * acquire. ARGV: span, count, then per limit: tag, limit, interval (µs), cost.
 * KEYS: meta, then per limit: slots, totals, costs.
 * Returns { 0 granted now | 1 reserved for a later slot, id, slot (µs), now (µs),
 * epoch (the server time when this state was created: a restart without it makes a new one) }.
 */
export const ACQUIRE =
  NUM +
  CLOCK +
  `
local count = tonumber(ARGV[2])
local fields = { 'l', 'x', 'n' }
for i = 1, count do
  local tag = ARGV[2 + (i - 1) * 4 + 1]
  fields[#fields + 1] = 't:' .. tag
  fields[#fields + 1] = 'b:' .. tag
end
local now, pause, epoch, values, writes, fresh = clock(fields)
-- a new state starts clean: whatever is left of a dead one goes
if fresh then redis.call('DEL', unpack(KEYS, 2)) end
local slot = tonumber(values[1]) or 0
local expires = tonumber(values[2]) or 0
if now > slot then slot = now end
if pause > slot then slot = pause end
local totals = {}
for i = 1, count do
  local a = 2 + (i - 1) * 4
  local tag, limit, interval, cost = ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local atK, cumK, costK = KEYS[2 + (i - 1) * 3], KEYS[3 + (i - 1) * 3], KEYS[4 + (i - 1) * 3]
  -- entries that left every future window (slot >= now) leave the log, in
  -- batches (once the oldest is a quarter interval past the cutoff, at most 1 s)
  local base = tonumber(values[2 * i + 3]) or 0
  local cutoff = num(now - interval)
  local trimmed = false
  local oldest = redis.call('ZRANGE', atK, 0, 0, 'WITHSCORES')[2]
  if oldest == nil then
    expires = 0 -- the log is new: its keys need their expiry
  elseif tonumber(oldest) > now - interval - math.min(interval / 4, 1000000) then
    cutoff = nil
  end
  while cutoff do
    local old = redis.call('ZRANGEBYSCORE', atK, '-inf', cutoff, 'LIMIT', 0, 500)
    if #old == 0 then break end
    base = tonumber(redis.call('ZSCORE', cumK, old[#old])) or base
    trimmed = true
    redis.call('ZREM', atK, unpack(old))
    redis.call('ZREM', cumK, unpack(old))
    redis.call('HDEL', costK, unpack(old))
    if #old < 500 then break end
  end
  if trimmed then
    writes[#writes + 1] = 'b:' .. tag
    writes[#writes + 1] = num(base)
    expires = 0 -- the log may have emptied (its keys deleted, made again below)
  end
  local total = tonumber(values[2 * i + 2]) or 0
  local need = total + cost - limit
  if need > base then
    local first = redis.call('ZRANGEBYSCORE', cumK, num(need), '+inf', 'LIMIT', 0, 1)[1]
    if first then
      local free = tonumber(redis.call('ZSCORE', atK, first)) + interval
      if free > slot then slot = free end
    end
  end
  totals[i] = total
end
local id = (tonumber(values[3]) or 0) + 1
local member = string.format('%016d', id)
writes[#writes + 1] = 'n'
writes[#writes + 1] = num(id)
for i = 1, count do
  local a = 2 + (i - 1) * 4
  local tag, cost = ARGV[a + 1], tonumber(ARGV[a + 4])
  local total = totals[i] + cost
  redis.call('ZADD', KEYS[2 + (i - 1) * 3], num(slot), member)
  redis.call('ZADD', KEYS[3 + (i - 1) * 3], num(total), member)
  redis.call('HSET', KEYS[4 + (i - 1) * 3], member, num(cost))
  writes[#writes + 1] = 't:' .. tag
  writes[#writes + 1] = num(total)
end
writes[#writes + 1] = 'l'
writes[#writes + 1] = num(slot)
-- every key lives until the latest slot (or pause) has left the longest window,
-- plus a second; renewed (all keys at once) only when that moves past the
-- expiry last set, or a key is new
local horizon = slot
if pause > horizon then horizon = pause end
local need = horizon + span + 1000000
local ttl = nil
if expires < need then
  ttl = math.ceil((need + 1000000 - now) / 1000)
  writes[#writes + 1] = 'x'
  writes[#writes + 1] = num(now + ttl * 1000)
end
redis.call('HSET', meta, unpack(writes))
if ttl then
  for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end
end
local status = 1
if slot <= now then status = 0 end
return { status, id, slot, now, tonumber(epoch) }
`;

/**
 * settle. ARGV: id, count, then per limit: tag, new cost. KEYS as acquire's.
 * Returns { 0 settled | 1 unknown (the grant left every window, or the state is gone) }.
 */
export const SETTLE =
  NUM +
  RESETTLE +
  `
local member = string.format('%016d', tonumber(ARGV[1]))
local count = tonumber(ARGV[2])
local found = false
for i = 1, count do
  local a = 2 + (i - 1) * 2
  if resettle(KEYS[3 + (i - 1) * 3], KEYS[4 + (i - 1) * 3], ARGV[a + 1], member, tonumber(ARGV[a + 2])) then found = true end
end
if found then return { 0 } end
return { 1 }
`;

/**
 * cancel: a reservation its caller gave up before its slot; its cost leaves
 * every window, and when it was the latest slot, the next grant may come
 * earlier. ARGV: id, count, then per limit: tag. KEYS as acquire's.
 * Returns { 0 cancelled | 1 unknown }.
 */
export const CANCEL =
  NUM +
  RESETTLE +
  `
local meta = KEYS[1]
local member = string.format('%016d', tonumber(ARGV[1]))
local count = tonumber(ARGV[2])
local found = false
local at = nil
for i = 1, count do
  local atK, cumK, costK = KEYS[2 + (i - 1) * 3], KEYS[3 + (i - 1) * 3], KEYS[4 + (i - 1) * 3]
  if resettle(cumK, costK, ARGV[2 + i], member, 0) then
    found = true
    at = tonumber(redis.call('ZSCORE', atK, member))
    redis.call('ZREM', atK, member)
    redis.call('ZREM', cumK, member)
    redis.call('HDEL', costK, member)
  end
end
if not found then return { 1 } end
local last = tonumber(redis.call('HGET', meta, 'l')) or 0
if at ~= nil and at >= last then
  last = 0
  for i = 1, count do
    local newest = redis.call('ZREVRANGE', KEYS[2 + (i - 1) * 3], 0, 0, 'WITHSCORES')[2]
    if newest ~= nil and tonumber(newest) > last then last = tonumber(newest) end
  end
  redis.call('HSET', meta, 'l', num(last))
end
return { 0 }
`;

/**
 * confirm: a reservation's slot has come; is the state it was granted in
 * still there? A Redis that lost the state (a restart without persistence)
 * has a new epoch: the reservation is void and the caller asks again (the
 * restart guard then holds it until the grants made before the restart have
 * left every window). ARGV: epoch. KEYS: meta. Returns { 0 valid | 1 void }.
 */
export const CONFIRM = `
if redis.call('HGET', KEYS[1], 'e') == ARGV[1] then return { 0 } end
return { 1 }
`;

/**
 * pause: nothing is granted before now + ms; never shortens a longer pause.
 * ARGV: span, ms (µs). KEYS: meta. Returns { 0, paused until (µs), now (µs) }.
 */
export const PAUSE =
  NUM +
  CLOCK +
  `
local now, pause, _, _, writes = clock({})
local until_ = now + tonumber(ARGV[2])
if until_ > pause then
  pause = until_
  writes[#writes + 1] = 'p'
  writes[#writes + 1] = num(pause)
end
redis.call('HSET', meta, unpack(writes))
local ttl = math.ceil((pause - now + span) / 1000) + 1000
if redis.call('PTTL', meta) < ttl then redis.call('PEXPIRE', meta, ttl) end
return { 0, pause, now }
`;
