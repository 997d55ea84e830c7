export { toList } from './to-list.js';
export type { ToListOptions } from './to-list.js';
export { flatten } from './flatten.js';
export type { FlattenOptions } from './flatten.js';
export { dropna } from './dropna.js';
export { unique } from './unique.js';
