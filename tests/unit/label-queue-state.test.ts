/** @jest-environment jsdom */
/** The queue kept across a reload and from the last visit: a record's URL in a new tab does not inherit the old filter; the to-do order is the default. */
import { DEFAULT_QUEUE, describeQueue, loadQueue } from '../../renderer/src/queue/queueState';

const saved = JSON.stringify({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });

describe('loadQueue', () => {
  test('a new labeler gets the to-do queue', () => {
    expect(loadQueue({ tab: null, last: null }, '#/label')).toEqual({ filter: {}, sort: { field: 'todo', dir: 'asc' } });
    expect(loadQueue({ tab: null, last: 'not json' }, '#/queue')).toEqual(DEFAULT_QUEUE);
    expect(describeQueue(DEFAULT_QUEUE)).toBe('all records · to do (unlabeled, then weak)');
  });

  test('the queue view and the label view without a record keep the last filter and order', () => {
    expect(loadQueue({ tab: null, last: saved }, '#/queue')).toEqual({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });
    expect(loadQueue({ tab: null, last: saved }, '#/label')).toEqual({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });
  });

  test("a record's URL in a new tab keeps the order but not the old filter; a reload keeps both", () => {
    expect(loadQueue({ tab: null, last: saved }, '#/label/demo-000003')).toEqual({ filter: {}, sort: { field: 'id', dir: 'desc' } });
    expect(loadQueue({ tab: saved, last: null }, '#/label/demo-000003')).toEqual({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });
  });
});
