export * from './facial-r1';
export * from './python-text';
