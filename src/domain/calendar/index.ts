export * from './calendar.ts';
export * from './deadlines.ts';
