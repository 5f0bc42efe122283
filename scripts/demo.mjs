// `npm run demo`: the README's quick start. Builds the executable, then runs it on the example local
// store and env file with a program that prints the variables it was given.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'build.mjs')], { stdio: 'inherit', cwd: root });
const args = [
  '--local-file',
  'examples/secrets.yaml',
  '--env-file',
  'examples/app.env',
  '--',
  'sh',
  '-c',
  'env | grep -E "^(DB_|API_|STRIPE_)" | sort',
];
console.log(`\n$ dist/secrets-exec ${args.map((a) => (/[\s|"^(]/.test(a) ? `'${a}'` : a)).join(' ')}`);
const result = spawnSync(join(root, 'dist', 'secrets-exec'), args, {
  stdio: 'inherit',
  cwd: root,
  env: { PATH: process.env.PATH },
});
process.exit(result.status ?? 1);
