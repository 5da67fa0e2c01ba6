export * from './types.ts';
export * from './events.ts';
export * from './machine.ts';
