import { describe, expect, it } from 'vitest';
import { CancelledError, TimeoutError, isCancellation } from './errors.js';

describe('CancelledError and TimeoutError', () => {
  it.each([
    [CancelledError, 'CancelledError', 'The operation was cancelled'],
    [TimeoutError, 'TimeoutError', 'The operation timed out'],
  ])('%o is its own Error subclass with name %s and a default message', (Type, name, message) => {
    const error = new Type();
    expect(error).toBeInstanceOf(Type);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(String(error)).toBe(`${name}: ${message}`);
    expect(error.stack).toContain(name);
  });

  it('the two classes are distinct', () => {
    expect(new CancelledError()).not.toBeInstanceOf(TimeoutError);
    expect(new TimeoutError()).not.toBeInstanceOf(CancelledError);
  });

  it('take a custom message and a cause', () => {
    const cause = new Error('root');
    const cancelled = new CancelledError('stopped', { cause });
    const timedOut = new TimeoutError('slow', { cause });
    expect(cancelled.message).toBe('stopped');
    expect(cancelled.cause).toBe(cause);
    expect(timedOut.message).toBe('slow');
    expect(timedOut.cause).toBe(cause);
    expect(new CancelledError('no cause')).not.toHaveProperty('cause');
  });

  it('work as abort reasons', () => {
    const reason = new CancelledError();
    expect(AbortSignal.abort(reason).reason).toBe(reason);
  });
});

describe('isCancellation', () => {
  it('is true for a CancelledError and for anything named AbortError', () => {
    expect(isCancellation(new CancelledError())).toBe(true);
    expect(isCancellation(new DOMException('stop', 'AbortError'))).toBe(true);
    const named = new Error('x');
    named.name = 'AbortError';
    expect(isCancellation(named)).toBe(true);
    expect(isCancellation(AbortSignal.abort().reason)).toBe(true);
  });

  it('is false for failures, timeouts and non-errors', () => {
    expect(isCancellation(new Error('boom'))).toBe(false);
    expect(isCancellation(new TimeoutError())).toBe(false);
    expect(isCancellation(new DOMException('t', 'TimeoutError'))).toBe(false);
    expect(isCancellation('AbortError')).toBe(false);
    expect(isCancellation({ name: 'AbortError' })).toBe(false);
    expect(isCancellation(undefined)).toBe(false);
  });
});
