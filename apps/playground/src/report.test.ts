import { describe, expect, it } from 'vitest';
import { Report } from './report.js';
import { Timeline } from './timeline.js';

function capture() {
  const lines: string[] = [];
  return { lines, report: new Report((line) => lines.push(line)) };
}

describe('Report', () => {
  it('prints a heading, code, results and a timeline indented under it', () => {
    const { lines, report } = capture();
    report.heading(2, 'alcall: limited');
    report.code('a()\nb()');
    report.result('results', [2, 4]);
    const tl = new Timeline();
    tl.run('item 1');
    tl.done('item 1');
    report.timeline(tl);
    expect(lines.slice(0, 5)).toEqual(['', '== 2. alcall: limited ==', '  > a()', '  > b()', '  results: [2, 4]']);
    expect(lines[5]).toMatch(/^ {2}item 1 \| *#+ *\|$/);
    expect(report.problems).toEqual([]);
  });

  it('records failed checks and unequal values as problems', () => {
    const { lines, report } = capture();
    report.check(true, 'fine');
    report.check(false, 'peak concurrency was 3');
    report.expectEqual([1, 2], [1, 2], 'same');
    report.expectEqual([1], [2], 'results');
    expect(report.problems).toEqual(['peak concurrency was 3', 'results: expected [2], got [1]']);
    expect(lines).toContain('  !! results: expected [2], got [1]');
  });

  it('reports work recorded on a timeline after it stopped', () => {
    const { report } = capture();
    const tl = new Timeline();
    tl.stop();
    tl.run('item 1');
    report.timeline(tl);
    expect(report.problems).toEqual(['work ran after its call settled: item 1 run']);
  });
});
