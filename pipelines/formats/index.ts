export * from './types';
export * from './image-probe';
export * from './vocabulary-check';
export * from './facial-r1';
export * from './facial-r1-export';
export * from './folders';
export * from './field-limits';
