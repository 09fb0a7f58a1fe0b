export * from './metrics';
export * from './rouge';
export * from './porter-stemmer';
