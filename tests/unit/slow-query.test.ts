/** Named statements: a query slower than 40 ms on the main thread is logged with its name and duration; faster ones are not. */
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { named, setQueryMonitor, SLOW_QUERY_MS } from '../../db/repositories/named';
import { workspaceStats } from '../../services/records/stats';
import { tempDir } from '../support/facial-r1';

describe('slow-query log', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  });
  afterAll(() => ws.close());

  /** A clock that moves `step` ms each time it is read, and a sink that keeps what it is told. */
  function injected(step: number) {
    let t = 0;
    const logged: [string, number][] = [];
    const restore = setQueryMonitor({ now: () => (t += step), slow: (name, ms) => logged.push([name, ms]) });
    return { logged, restore };
  }

  test('a call that takes longer than the threshold is logged once, with its name and duration', () => {
    const { logged, restore } = injected(SLOW_QUERY_MS + 5);
    try {
      expect(named(ws.db, 'test.one', 'SELECT 1 AS x').get()).toEqual({ x: 1 });
      expect(logged).toEqual([['test.one', SLOW_QUERY_MS + 5]]);
    } finally {
      restore();
    }
  });

  test('a call at or under the threshold is not logged', () => {
    const { logged, restore } = injected(SLOW_QUERY_MS);
    try {
      named(ws.db, 'test.fast', 'SELECT 1').all();
      named(ws.db, 'test.fast', 'SELECT ?').get(2);
      expect(logged).toEqual([]);
    } finally {
      restore();
    }
  });

  test('an iteration is timed over its steps inside SQLite and logged once at the end', () => {
    const { logged, restore } = injected(15);
    try {
      const rows = [...named(ws.db, 'test.rows', 'SELECT value FROM json_each(?)').iterate<{ value: number }>('[1,2,3]')];
      expect(rows.map((r) => r.value)).toEqual([1, 2, 3]);
      // four steps (three rows, then done) at 15 ms each
      expect(logged).toEqual([['test.rows', 60]]);
    } finally {
      restore();
    }
  });

  test("the repositories' queries carry their names (the stats page's four)", () => {
    const { logged, restore } = injected(SLOW_QUERY_MS + 1);
    try {
      workspaceStats(ws.db);
      expect(logged.map(([name]) => name)).toEqual(expect.arrayContaining(['stats.emotionCounts', 'stats.currentAUCounts', 'stats.humanRevisionsPerDay', 'stats.humanThroughput']));
    } finally {
      restore();
    }
  });

  test('a really slow query goes to stderr by default', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const slow = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT COUNT(*) AS n FROM c`;
      expect(named(ws.db, 'test.forcedSlow', slow).get()).toEqual({ n: 1000000 });
      const lines = write.mock.calls.map(([s]) => String(s));
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^fea: slow query test\.forcedSlow took \d+ ms\n$/)]));
    } finally {
      write.mockRestore();
    }
  });

  test('a disabled monitor (as in worker threads) times and logs nothing', () => {
    const logged: string[] = [];
    const restore = setQueryMonitor({ enabled: false, now: () => Date.now() * 1000, slow: (name) => logged.push(name) });
    try {
      named(ws.db, 'test.worker', 'SELECT 1').get();
      expect(logged).toEqual([]);
    } finally {
      restore();
    }
  });
});
