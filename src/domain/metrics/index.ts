// The 民标 evaluation engine (DESIGN.md §6, issue 3): pure figures from appeal facts.
export * from './facts.ts';
export * from './config.ts';
export * from './wilson.ts';
export * from './special.ts';
export * from './prng.ts';
export * from './rates.ts';
export * from './incremental.ts';
export * from './shrinkage.ts';
export * from './casemix.ts';
export * from './ranking.ts';
export * from './funnel.ts';
export * from './latent.ts';
export * from './antiGaming.ts';
export * from './snapshot.ts';
