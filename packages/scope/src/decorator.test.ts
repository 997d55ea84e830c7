import { describe, expect, it } from 'vitest';
import { checkDecoratorTarget } from './decorator.js';

describe('checkDecoratorTarget', () => {
  it('accepts a function with no context or a method context', () => {
    expect(() => checkDecoratorTarget('throttle', () => 1, undefined)).not.toThrow();
    expect(() => checkDecoratorTarget('throttle', () => 1, { kind: 'method', name: 'm' })).not.toThrow();
  });

  it('refuses a decorator context of any other kind with a TypeError naming the factory and the kind', () => {
    expect(() => checkDecoratorTarget('maxConcurrent', undefined, { kind: 'field', name: 'x' })).toThrow(
      new TypeError('maxConcurrent decorates methods only (got a field decorator)'),
    );
  });

  it('refuses a non-function with a TypeError naming fn', () => {
    expect(() => checkDecoratorTarget('throttle', 42, undefined)).toThrow(new TypeError('fn must be a function (got number)'));
  });
});
