/**
 * Shared set-up for the browser tests: a Vite dev server over apps/playground/web
 * on a free port, and a headless Chromium driven by playwright-core.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';

/** Debian's chromium; LF_CHROMIUM overrides it. */
export const CHROMIUM = process.env.LF_CHROMIUM ?? '/usr/bin/chromium';
export const webRoot = fileURLToPath(new URL('../web/', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const outputDir = fileURLToPath(new URL('./output/', import.meta.url));

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenPage {
  page: Page;
  /** Uncaught page errors and console.error messages, in order. */
  errors: string[];
}

export interface Harness {
  /** The dev server's base URL, ending in '/'. */
  url: string;
  server: ViteDevServer;
  browser: Browser;
  open(path: string): Promise<OpenPage>;
  close(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Starts the dev server and the browser. Always pair with `close()` (afterAll).
 *
 * @example
 * const h = await startHarness();
 * const { page } = await h.open('index.html');
 * await h.close();
 */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set LF_CHROMIUM`);
  }
  mkdirSync(outputDir, { recursive: true });
  const port = await freePort();
  const server = await createServer({
    configFile: `${webRoot}vite.config.ts`,
    root: webRoot,
    logLevel: 'warn',
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
  });
  let browser: Browser;
  try {
    await server.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    await server.close();
    throw error;
  }
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    server,
    browser,
    async open(path) {
      const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 2 });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
      });
      await page.goto(new URL(path, url).href);
      return { page, errors };
    },
    async close() {
      try {
        await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}
