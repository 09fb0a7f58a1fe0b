/** @jest-environment jsdom */
/** The queue kept from the last visit: a record's URL does not inherit its filter; the to-do order is the default. */
import { DEFAULT_QUEUE, describeQueue, loadQueue } from '../../renderer/src/queue/queueState';

const saved = JSON.stringify({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });

describe('loadQueue', () => {
  test('a new labeler gets the to-do queue', () => {
    expect(loadQueue(null, '#/label')).toEqual({ filter: {}, sort: { field: 'todo', dir: 'asc' } });
    expect(loadQueue('not json', '#/queue')).toEqual(DEFAULT_QUEUE);
    expect(describeQueue(DEFAULT_QUEUE)).toBe('all records · to do (unlabeled, then weak)');
  });

  test('the queue view and the label view without a record keep the last filter and order', () => {
    expect(loadQueue(saved, '#/queue')).toEqual({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });
    expect(loadQueue(saved, '#/label')).toEqual({ filter: { status: 'weak', emotion: 'fear' }, sort: { field: 'id', dir: 'desc' } });
  });

  test("a record's URL keeps the order but not the old filter", () => {
    expect(loadQueue(saved, '#/label/demo-000003')).toEqual({ filter: {}, sort: { field: 'id', dir: 'desc' } });
  });
});
