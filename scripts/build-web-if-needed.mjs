// Builds the web app (web/dist) when it is missing or older than its sources, so `npm start`
// always serves the current app without rebuilding on every start.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const web = path.join(root, 'web');
const stamp = path.join(web, 'dist', 'index.html');
if (!fs.existsSync(path.join(web, 'index.html'))) process.exit(0);

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built >= newest(web)) process.exit(0);
console.log('构建前端 / building the web app …');
execSync('npx vite build --config web/vite.config.ts', { cwd: root, stdio: 'inherit' });
