import { describe, expect, it } from 'vitest';
import { freePort, missingRedisServer, ping } from './redis-server.js';

describe('missingRedisServer', () => {
  it('says what is missing and how to install it on Linux and macOS', () => {
    const linux = missingRedisServer('linux');
    expect(linux).toContain('needs redis-server');
    expect(linux).toContain('apt-get install redis-server');
    expect(linux).toContain('brew install redis');
    expect(missingRedisServer('darwin')).toContain('brew install redis');
    expect(missingRedisServer('win32')).toContain('WSL');
  });
});

describe('ping', () => {
  it('is false, promptly, when nothing listens on the port', async () => {
    const port = await freePort();
    const t = performance.now();
    expect(await ping(port, 1000)).toBe(false);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
