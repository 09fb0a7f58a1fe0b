export * from './filter';
export * from './candidate';
export * from './consistency';
export * from './round0';
export * from './balance';
