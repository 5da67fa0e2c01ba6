// Text intelligence for Chinese appeals (DESIGN.md §7): pure functions and in-memory indexes only.
export * from './segment.ts';
export * from './csv.ts';
export * from './hashing.ts';
export * from './features.ts';
export * from './classifier.ts';
export * from './gazetteer.ts';
export * from './places.ts';
export * from './duplicates.ts';
export * from './hotspots.ts';
export * from './risk.ts';
export * from './replyQuality.ts';
