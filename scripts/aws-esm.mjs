// An esbuild plugin that bundles the AWS SDK's packages from their ES modules (`module`, dist-es) where the
// package has no `exports` map, instead of the CommonJS build its `main` names (esbuild's choice for the
// node platform). A CommonJS module that requires another package takes that package's whole namespace,
// so every module behind an index is evaluated: the credential chain's first link (environment keys)
// evaluated all of @aws-sdk/core/client, web streams included. From ES modules esbuild keeps, and runs,
// only what is imported. Packages with an `exports` map (@smithy/core, @aws-sdk/core) are resolved by it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SDK_PACKAGE = /^@(aws-sdk|smithy|aws-crypto)\/[^/]+$/;

/** The plugin: `@aws-sdk/x`, `@smithy/x` and `@aws-crypto/x` imports resolve to the package's `module` entry. */
export const awsEsmPlugin = {
  name: 'aws-esm',
  setup(build) {
    build.onResolve({ filter: SDK_PACKAGE }, async (args) => {
      if (args.pluginData === 'aws-esm') return undefined;
      // Where the package's main entry is, as esbuild finds it from the importer.
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'aws-esm',
      });
      if (found.errors.length > 0) return undefined;
      const at = found.path.lastIndexOf(`/node_modules/${args.path}/`);
      if (at === -1) return undefined;
      const dir = found.path.slice(0, at + `/node_modules/${args.path}`.length);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg.exports !== undefined || typeof pkg.module !== 'string') return undefined;
      return { path: join(dir, pkg.module) };
    });
  },
};
