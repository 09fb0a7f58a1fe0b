export * from './prng';
export * from './stratified';
