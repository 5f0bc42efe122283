// `npm run release`: everything a release publishes, in dist/release/ —
//   secrets-exec-linux-x64, secrets-exec-linux-arm64   the single executables (build.mjs)
//   secrets-exec-VERSION.tgz                           the npm package: the bundle as `bin`, for images
//                                                      that already have Node.js ≥ 22.15 (npx secrets-exec)
//   secrets-exec.cdx.json                              CycloneDX SBOM of the dependencies bundled inside
//   SHA256SUMS                                         of all of the above
// Everything comes from the lockfile and the pinned Node.js versions.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = process.env.SECRETS_EXEC_DIST_DIR ?? join(root, 'dist');
const out = join(dist, 'release');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const run = (file, args, options = {}) =>
  execFileSync(file, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run(process.execPath, ['build.mjs']);
run(process.execPath, ['build.mjs', '--arch', 'arm64']);
copyFileSync(join(dist, 'secrets-exec'), join(out, 'secrets-exec-linux-x64'));
copyFileSync(join(dist, 'secrets-exec-linux-arm64'), join(out, 'secrets-exec-linux-arm64'));

// The npm package holds the bundle alone: every dependency is inside it, so it declares none.
const packageDir = join(dist, 'npm-package');
rmSync(packageDir, { recursive: true, force: true });
mkdirSync(packageDir);
copyFileSync(join(dist, 'secrets-exec.cjs'), join(packageDir, 'secrets-exec.cjs'));
copyFileSync(join(root, 'README.md'), join(packageDir, 'README.md'));
writeFileSync(
  join(packageDir, 'package.json'),
  `${JSON.stringify(
    {
      name: pkg.name,
      version: pkg.version,
      description: pkg.description,
      license: pkg.license,
      bin: { 'secrets-exec': 'secrets-exec.cjs' },
      files: ['secrets-exec.cjs', 'README.md'],
      engines: { node: '>=22.15' },
    },
    null,
    2,
  )}\n`,
);
run('npm', ['pack', '--silent', '--pack-destination', out], {
  cwd: packageDir,
  stdio: ['ignore', 'ignore', 'inherit'],
});

// The SBOM lists the production dependencies, which are exactly what the bundle is made of.
const sbom = execFileSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--omit', 'dev'], {
  cwd: root,
  maxBuffer: 64 << 20,
});
writeFileSync(join(out, 'secrets-exec.cdx.json'), sbom);

const sums = readdirSync(out)
  .sort()
  .map(
    (name) =>
      `${createHash('sha256')
        .update(readFileSync(join(out, name)))
        .digest('hex')}  ${name}`,
  );
writeFileSync(join(out, 'SHA256SUMS'), `${sums.join('\n')}\n`);
console.log(`release files in ${out}:\n${sums.join('\n')}`);
