export * from './vocabulary';
export * from './normalise';
export * from './reasoning';
