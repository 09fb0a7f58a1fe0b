export * from './stratified';
export * from './limits';
