export * from './stratified';
