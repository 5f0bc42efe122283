// Imports a TypeScript module of the repository (a fake, a test set-up) into a benchmark: esbuild bundles it
// (with the packages it uses) into one ES module in a temporary folder, imported from there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles the TypeScript module at `path` (relative to the repository root; given several paths, one module
 * exporting all of theirs, bundled together so that they share the modules they import) into one ES module
 * written to `outfile`, for a benchmark to import or to run in a process of its own.
 */
export async function bundleTs(paths, outfile) {
  const entry =
    paths.length === 1
      ? { entryPoints: [join(root, paths[0])] }
      : { stdin: { contents: paths.map((p) => `export * from './${p}';`).join('\n'), resolveDir: root, loader: 'ts' } };
  await build({
    ...entry,
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'warning',
    // Bundled CommonJS packages call require() for builtins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

/** The module at each of `paths` (see bundleTs), imported into this process. */
export async function importTs(...paths) {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-module-'));
  try {
    const file = join(dir, 'module.mjs');
    await bundleTs(paths, file);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
