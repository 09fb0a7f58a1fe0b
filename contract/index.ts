export * from './api';
export * from './types';
