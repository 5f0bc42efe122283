// Imports a TypeScript module of the repository (a fake, a test set-up) into a benchmark: esbuild bundles it
// (with the packages it uses) into one ES module in a temporary folder, imported from there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The module at `path` (relative to the repository root); given several paths, one module exporting all of
 * theirs, bundled together so that they share the modules they import.
 */
export async function importTs(...paths) {
  const entry =
    paths.length === 1
      ? { entryPoints: [join(root, paths[0])] }
      : { stdin: { contents: paths.map((p) => `export * from './${p}';`).join('\n'), resolveDir: root, loader: 'ts' } };
  const out = await build({
    ...entry,
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'warning',
    // Bundled CommonJS packages call require() for builtins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bench-module-'));
  try {
    const file = join(dir, 'module.mjs');
    writeFileSync(file, out.outputFiles[0].text);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
