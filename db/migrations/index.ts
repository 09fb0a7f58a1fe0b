import type Database from 'better-sqlite3';
import * as m001 from './001-initial';
import * as m002 from './002-record-list-indexes';
import * as m003 from './003-run-owner';
import * as m004 from './004-run-summary';
import * as m005 from './005-submit-idempotency';
import * as m006 from './006-run-queued';
import * as m007 from './007-neutral-labeled';
import * as m008 from './008-synthesis';
import * as m009 from './009-prediction-purpose';
import * as m010 from './010-image-hashes';
import * as m011 from './011-round-owner';
import * as m012 from './012-decisions-open';
import * as m013 from './013-scale-queue-orders';
import * as m014 from './014-policy-expression-features';
import * as m015 from './015-queue-and-stats-at-scale';

/** Numbered migrations, in order. A migration is never edited once committed: add a new one. */
export const MIGRATIONS: { version: number; name: string; up: (db: Database.Database) => void }[] = [
  { version: 1, name: 'initial', up: m001.up },
  { version: 2, name: 'record-list-indexes', up: m002.up },
  { version: 3, name: 'run-owner', up: m003.up },
  { version: 4, name: 'run-summary', up: m004.up },
  { version: 5, name: 'submit-idempotency', up: m005.up },
  { version: 6, name: 'run-queued', up: m006.up },
  { version: 7, name: 'neutral-labeled', up: m007.up },
  { version: 8, name: 'synthesis', up: m008.up },
  { version: 9, name: 'prediction-purpose', up: m009.up },
  { version: 10, name: 'image-hashes', up: m010.up },
  { version: 11, name: 'round-owner', up: m011.up },
  { version: 12, name: 'decisions-open', up: m012.up },
  { version: 13, name: 'scale-queue-orders', up: m013.up },
  { version: 14, name: 'policy-expression-features', up: m014.up },
  { version: 15, name: 'queue-and-stats-at-scale', up: m015.up },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
