/**
 * Lua fragments every lf script shares (RedisRateLimiter's and
 * RedisLimiter's), and the unit they count time in: integer microseconds of
 * the server's `TIME`.
 */

/**
 * µs, as the scripts count, rounded up (a longer interval or lease is the safe side).
 *
 * @example
 * ```ts
 * micros(1.5); // '1500'
 * ```
 */
export function micros(ms: number): string {
  return String(Math.ceil(ms * 1000));
}

/**
 * Lua: `num(x)`, numbers into Redis arguments without Lua's 14-digit `%.14g` rounding.
 *
 * @example
 * ```ts
 * const SCRIPT = NUM + `return redis.call('SET', KEYS[1], num(tonumber(ARGV[1]) * 1000))`;
 * ```
 */
export const NUM = `
local function num(x)
  if x == math.floor(x) and x > -9e15 and x < 9e15 then return string.format('%d', x) end
  return string.format('%.17g', x)
end
`;

/**
 * Lua: `serverNow(hw)`, the server clock (`TIME`, µs) held at or above the
 * stored high-water mark `hw` (a string or false): it never goes backwards,
 * whatever happens to the server's clock. The caller stores the result as
 * the new mark.
 *
 * @example
 * ```ts
 * const SCRIPT = NUM + SERVER_NOW + `
 * local now = serverNow(redis.call('HGET', KEYS[1], 'hw'))
 * redis.call('HSET', KEYS[1], 'hw', num(now))`;
 * ```
 */
export const SERVER_NOW = `
local function serverNow(hw)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
  local mark = tonumber(hw)
  if mark ~= nil and mark > now then now = mark end
  return now
end
`;

/**
 * Lua: `restartPause(now, span)`, for a state found missing: when Redis has
 * been up for less than `span` µs (it may have restarted and lost the state
 * while work granted before was still counted), the server time until which
 * nothing may be granted (Redis's start + `span`, the start rounded early);
 * otherwise nil.
 *
 * @example
 * ```ts
 * const SCRIPT = NUM + SERVER_NOW + RESTART_PAUSE + `
 * local now = serverNow(false)
 * local pause = restartPause(now, tonumber(ARGV[1])) or 0`;
 * ```
 */
export const RESTART_PAUSE = `
local function restartPause(now, span)
  local up = tonumber(string.match(redis.call('INFO', 'server'), 'uptime_in_seconds:(%d+)'))
  if up ~= nil and up * 1000000 < span then return now - up * 1000000 + span end
  return nil
end
`;
