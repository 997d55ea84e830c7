export { CancelledError, TimeoutError, isCancellation } from './errors.js';
export { sleep } from './sleep.js';
export { now } from './timers.js';
export { CancelScope } from './cancel-scope.js';
export type { CancelScopeOptions } from './cancel-scope.js';
export { moveOnAfter } from './move-on-after.js';
export { failAfter } from './fail-after.js';
export { TaskGroup, taskGroup } from './task-group.js';
export type { TaskGroupOptions } from './task-group.js';
