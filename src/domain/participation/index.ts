export * from './consultation.ts';
export * from './moderation.ts';
export * from './survey.ts';
export * from './weighting.ts';
export * from './results.ts';
