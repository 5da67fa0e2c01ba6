// Runs a TypeScript module in a worker thread: workers do not inherit the main thread's tsx loader.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
