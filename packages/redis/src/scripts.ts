/**
 * The Lua scripts of `RedisRateLimiter`: one per operation (acquire, settle,
 * cancel, pause), each atomic on the server, each returning a status tuple
 * of integers (never an error string to parse).
 *
 * The state of one limiter, all under one hash tag `{key}`:
 * - `lf:{key}:m`, a hash: `hw` (the high-water mark of the server clock, µs),
 *   `e` (the epoch: the server time when this state was created),
 *   `n` (the grant counter), `l` (the latest slot granted, µs), `p` (paused
 *   until, µs), `x` (when the keys' expiry was last set to end, µs), `r`
 *   (when the logs are trimmed next, µs), and per limit `t:<limit>` (total
 *   cost ever granted) and `b:<limit>` (the running total at the newest entry
 *   that left the log).
 * - per limit, a sliding log of grants under one id (zero-padded counter, so
 *   lexicographic order is grant order), in two sorted sets: `…:a` (score =
 *   slot, µs) and `…:c` (score = running total of cost up to and including
 *   the entry). An entry's cost is not stored: it is its running total minus
 *   the one before it (`b:<limit>` before the first).
 *
 * Slots never decrease and costs are >= 0, so both sets are in grant order:
 * the earliest slot a request of cost `c` may get for a limit is the slot of
 * the first entry whose running total reaches `total + c - limit`, plus the
 * interval (that entry and every older one have then left the window). One
 * O(log n) lookup per limit, and none while the window has room for the
 * whole total since the log's start. A grant costs the clock (`TIME`), one
 * HMGET, two ZADDs per limit and one HSET; the logs are trimmed (entries that
 * left every future window) a quarter of the shortest interval apart, at
 * most 1 s, by rank in both sets at once.
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

/**
 * Re-records one entry's cost for one limit: every later running total moves
 * by the difference. The old cost is the entry's running total minus the one
 * before it (`b:<limit>` before the first). Returns false when the entry is
 * not in the log (it left every window, or was never granted).
 */
const RESETTLE = `
local function resettle(cumK, tag, member, cost)
  local rank = redis.call('ZRANK', cumK, member)
  if not rank then return false end
  local old
  if rank == 0 then
    local got = redis.call('ZRANGE', cumK, 0, 0, 'WITHSCORES')
    old = tonumber(got[2]) - (tonumber(redis.call('HGET', KEYS[1], 'b:' .. tag)) or 0)
  else
    local got = redis.call('ZRANGE', cumK, rank - 1, rank, 'WITHSCORES')
    old = tonumber(got[4]) - tonumber(got[2])
  end
  local delta = cost - old
  if delta ~= 0 then
    local step = num(delta)
    for _, m in ipairs(redis.call('ZRANGE', cumK, rank, -1)) do redis.call('ZINCRBY', cumK, step, m) end
    local total = (tonumber(redis.call('HGET', KEYS[1], 't:' .. tag)) or 0) + delta
    redis.call('HSET', KEYS[1], 't:' .. tag, num(total))
  end
  return true
end
`;

/**
 * acquire. ARGV: span, count, then per limit: tag, limit, interval (µs), cost.
 * KEYS: meta, then per limit: slots, totals.
 * Returns { 0 granted now | 1 reserved for a later slot, id, slot (µs), now (µs),
 * epoch (the server time when this state was created: a restart without it makes a new one) }.
 */
export const ACQUIRE =
  NUM +
  SERVER_NOW +
  RESTART_PAUSE +
  `
-- (x + 0 reads a number once; tonumber(x) reads it twice: these are the
-- script's hot path, and Redis's string to number costs more than the rest)
local meta = KEYS[1]
local span = ARGV[1] + 0
local count = ARGV[2] + 0
local fields = { 'hw', 'p', 'e', 'l', 'x', 'n', 'r' }
for i = 1, count do
  local tag = ARGV[4 * i - 1]
  fields[6 + 2 * i] = 't:' .. tag
  fields[7 + 2 * i] = 'b:' .. tag
end
local got = redis.call('HMGET', meta, unpack(fields))
local now = serverNow(got[1])
local nowArg = num(now)
local pause = got[2]
if pause then pause = pause + 0 else pause = 0 end
local epoch = got[3]
local writes = { 'hw', nowArg }
local w = 2
if not epoch then
  -- a new state starts clean: whatever is left of a dead one goes
  epoch = nowArg
  writes[3] = 'e'
  writes[4] = nowArg
  w = 4
  local guard = restartPause(now, span)
  if guard then
    pause = guard
    writes[5] = 'p'
    writes[6] = num(pause)
    w = 6
  end
  redis.call('DEL', unpack(KEYS, 2))
end
local slot = got[4]
if slot then slot = slot + 0 else slot = 0 end
local expires = got[5]
if expires then expires = expires + 0 else expires = 0 end
if now > slot then slot = now end
if pause > slot then slot = pause end
-- entries that left every future window (slot >= now) leave the logs, a
-- quarter of the shortest interval apart (at most 1 s)
local trim = got[7]
trim = not trim or now >= trim + 0
if trim then
  local gap = 1000000
  for i = 1, count do
    local quarter = ARGV[4 * i + 1] / 4
    if quarter < gap then gap = quarter end
  end
  writes[w + 1] = 'r'
  writes[w + 2] = num(now + math.ceil(gap))
  w = w + 2
end
local totals = {}
for i = 1, count do
  local interval, cost = ARGV[4 * i + 1] + 0, ARGV[4 * i + 2] + 0
  local atK, cumK = KEYS[2 * i], KEYS[2 * i + 1]
  local total = got[6 + 2 * i]
  if total then
    total = total + 0
  else
    total = 0
    expires = 0 -- a log never seen: its keys need their expiry
  end
  local base = got[7 + 2 * i]
  if base then base = base + 0 else base = 0 end
  if trim then
    -- both sets are in grant order: the entries out of the slots' set by
    -- slot are the first ones of the totals' set, by rank
    local gone = redis.call('ZREMRANGEBYSCORE', atK, '-inf', num(now - interval))
    if gone > 0 then
      base = tonumber(redis.call('ZRANGE', cumK, gone - 1, gone - 1, 'WITHSCORES')[2]) or base
      redis.call('ZREMRANGEBYRANK', cumK, 0, gone - 1)
      writes[w + 1] = fields[7 + 2 * i]
      writes[w + 2] = num(base)
      w = w + 2
      expires = 0 -- the log may have emptied (its keys deleted, made again below)
    end
  end
  local need = total + cost - (ARGV[4 * i] + 0)
  if need > base then
    local first = redis.call('ZRANGEBYSCORE', cumK, num(need), '+inf', 'LIMIT', 0, 1)[1]
    if first then
      local free = redis.call('ZSCORE', atK, first) + interval
      if free > slot then slot = free end
    end
  end
  totals[i] = num(total + cost)
end
local id = 1
if got[6] then id = got[6] + 1 end
local member = string.format('%016d', id)
local at = num(slot)
for i = 1, count do
  redis.call('ZADD', KEYS[2 * i], at, member)
  redis.call('ZADD', KEYS[2 * i + 1], totals[i], member)
  writes[w + 1] = fields[6 + 2 * i]
  writes[w + 2] = totals[i]
  w = w + 2
end
writes[w + 1] = 'n'
writes[w + 2] = num(id)
writes[w + 3] = 'l'
writes[w + 4] = at
w = w + 4
-- every key lives until the latest slot (or pause) has left the longest window,
-- plus a second; renewed (all keys at once) only when that moves past the
-- expiry last set, or a key is new
local horizon = slot
if pause > horizon then horizon = pause end
local ttl = nil
if expires < horizon + span + 1000000 then
  ttl = math.ceil((horizon + span + 2000000 - now) / 1000)
  writes[w + 1] = 'x'
  writes[w + 2] = num(now + ttl * 1000)
end
redis.call('HSET', meta, unpack(writes))
if ttl then
  for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end
end
local status = 1
if slot <= now then status = 0 end
return { status, id, slot, now, epoch + 0 }
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
  if resettle(KEYS[2 * i + 1], ARGV[2 * i + 1], member, tonumber(ARGV[2 * i + 2])) then found = true end
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
  local atK, cumK = KEYS[2 * i], KEYS[2 * i + 1]
  if resettle(cumK, ARGV[2 + i], member, 0) then
    found = true
    at = tonumber(redis.call('ZSCORE', atK, member))
    redis.call('ZREM', atK, member)
    redis.call('ZREM', cumK, member)
  end
end
if not found then return { 1 } end
-- a log may have emptied (its keys deleted): the next grant renews every expiry
local writes = { 'x', '0' }
local last = tonumber(redis.call('HGET', meta, 'l')) or 0
if at ~= nil and at >= last then
  last = 0
  for i = 1, count do
    local newest = redis.call('ZREVRANGE', KEYS[2 * i], 0, 0, 'WITHSCORES')[2]
    if newest ~= nil and tonumber(newest) > last then last = tonumber(newest) end
  end
  writes[3] = 'l'
  writes[4] = num(last)
end
redis.call('HSET', meta, unpack(writes))
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
