// An esbuild plugin that takes out two feature probes axios (used by ibm-cloud-sdk-core for IBM's token and
// metadata requests) runs when it is evaluated. Reading any of the globals `fetch`, `Request`, `Response`,
// `FormData` makes Node.js load its fetch implementation (undici): 37–58 ms measured on Node.js 26, most of an
// IBM reference's start-up cost. axios reads them only to decide whether its fetch adapter could work and to
// recognise a spec FormData; in Node.js it sends through its `http` adapter (the default order is xhr, http,
// fetch, and ibm-cloud-sdk-core chooses none), and a FormData it is given is still recognised by its
// `append` method and tag, the test axios applies to the `form-data` package's objects.
// The probes are matched as written in the pinned axios version: the build fails if one is not found, so an
// upgrade cannot silently bring the cost back (test/e2e/provider-chunks.test.ts checks an IBM run too).
import { readFileSync } from 'node:fs';

const PROBES = [
  // A module-level call that only fills the fetch adapter's cache, probing fetch, Request and Response.
  { find: '\ngetFetch();\n', replace: '\n' },
  // A module-level read of the FormData global, for isFormData's `instanceof` shortcut.
  {
    find: "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
    replace: 'const FormDataCtor = undefined;',
  },
];

export const axiosProbesPlugin = {
  name: 'axios-without-fetch-probes',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]axios[\\/]dist[\\/]node[\\/]axios\.cjs$/ }, ({ path }) => {
      let contents = readFileSync(path, 'utf8');
      for (const { find, replace } of PROBES) {
        const at = contents.indexOf(find);
        if (at === -1 || contents.indexOf(find, at + 1) !== -1)
          throw new Error(`axios-probes.mjs: expected exactly one ${JSON.stringify(find)} in ${path}`);
        contents = contents.replace(find, replace);
      }
      return { contents, loader: 'js' };
    });
  },
};
