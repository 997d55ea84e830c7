import type { Example } from '../example.js';
import { alcallBasic } from './alcall-basic.js';
import { alcallLimited } from './alcall-limited.js';
import { alcallParamsExample } from './alcall-params.js';
import { alcallRetries } from './alcall-retries.js';
import { alcallThrottled } from './alcall-throttled.js';
import { bcallParamsExample } from './bcall-params.js';
import { bcallExample } from './bcall.js';
import { cancelScopeDeadline } from './cancel-scope-deadline.js';
import { cancelScopeManual } from './cancel-scope-manual.js';
import { maxConcurrentExample } from './max-concurrent.js';
import { parallelMapExample } from './parallel-map.js';
import { taskGroupExample } from './task-group.js';
import { throttleExample } from './throttle.js';

/** Every seed example of `lionfuncs.async_utils`, in the order of the seed document. */
export const examples: readonly Example[] = [
  alcallBasic,
  alcallLimited,
  alcallRetries,
  alcallThrottled,
  bcallExample,
  parallelMapExample,
  maxConcurrentExample,
  throttleExample,
  alcallParamsExample,
  bcallParamsExample,
  cancelScopeDeadline,
  cancelScopeManual,
  taskGroupExample,
];
