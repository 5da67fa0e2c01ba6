// Classifier training off the main thread: training a deployment's model (tens of thousands of rows,
// dozens of categories) and its k-fold cross-validation take minutes of CPU, which must not stall the
// server's event loop. Started by trainInWorker (classification.ts) through worker-shim.mjs.
import { parentPort, workerData } from 'node:worker_threads';
import { crossValidate, TextClassifier, type LabeledText } from '../../domain/text/index.ts';

const { rows, folds } = workerData as { rows: LabeledText[]; folds: number };
try {
  const model = TextClassifier.train(rows);
  const report = folds >= 2 ? crossValidate(rows, folds) : null;
  parentPort!.postMessage({ ok: true, model: JSON.stringify(model.toJSON()), report });
} catch (e) {
  parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
}
