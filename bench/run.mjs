// `npm run bench`: runs every bench/*.bench.mjs in name order. Each exports `run(context)` and prints
// its own table; figures are medians of repeated whole-process runs on this machine.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = process.env.SECRETS_EXEC_DIST_DIR ?? join(root, 'dist');
const context = {
  root,
  binary: join(dist, 'secrets-exec'),
  bundle: join(dist, 'secrets-exec.cjs'),
  node: process.execPath,
};
const only = process.argv[2];

for (const file of readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()) {
  if (only && !file.includes(only)) continue;
  const module = await import(pathToFileURL(join(here, file)).href);
  console.log(`\n## ${file.replace('.bench.mjs', '')}`);
  await module.run(context);
}
