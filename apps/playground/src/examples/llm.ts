import type { Example } from '../example.js';
import { llmLimits } from './llm-limits.js';
import { llmRetryAfter } from './llm-retry-after.js';
import { llmSettled } from './llm-settled.js';
import { llmStream } from './llm-stream.js';

/** The LLM-client scenarios: lf's rate limits, costs, settle, pause and streaming on a simulated API. */
export const llmExamples: readonly Example[] = [llmLimits, llmRetryAfter, llmSettled, llmStream];
