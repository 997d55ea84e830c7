// Runs the scenario in whichever runtime loads this file and prints
// `ok <runtime> <json>` (or `fail <runtime> <error>` and exits non-zero).
// The JSON is the scenario's summary plus the runtime's version.
import { run } from './scenario.mjs';

const { Deno, Bun } = globalThis;
const [runtime, version] =
  Deno !== undefined ? ['deno', Deno.version.deno] : Bun !== undefined ? ['bun', Bun.version] : ['node', process.versions.node];

try {
  console.log(`ok ${runtime} ${JSON.stringify({ version, ...(await run()) })}`);
} catch (error) {
  console.log(`fail ${runtime} ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  throw error;
}
