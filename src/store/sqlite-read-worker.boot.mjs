// The read thread's entry (src/store/sqlite-read-pool.ts): like bin/minbiao.mjs, runs the TypeScript
// through tsx, which a worker thread does not inherit from the thread that started it.
import { register } from 'tsx/esm/api';
register();
await import('./sqlite-read-worker.ts');
