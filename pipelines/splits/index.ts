export * from './stratified';
export * from './limits';
export * from './multi-index-hash';
export * from './leakage';
