// An esbuild plugin that keeps axios (used by ibm-cloud-sdk-core for IBM's token and metadata requests) from
// loading what an IBM run never uses, when it is evaluated:
// - two feature probes. Reading any of the globals `fetch`, `Request`, `Response`, `FormData` makes Node.js load
//   its fetch implementation (undici, about 130 internal modules): 20–30 ms of an IBM reference's start-up,
//   measured on Node.js 26. axios reads them only to decide whether its fetch adapter could work and to
//   recognise a spec FormData; in Node.js it sends through its `http` adapter (the default order is xhr, http,
//   fetch, and ibm-cloud-sdk-core chooses none), and a FormData it is given is still recognised by its
//   `append` method and tag, the test axios applies to the `form-data` package's objects;
// - `require('http2')` at the top (7–10 ms on top of node:https): axios speaks HTTP/2 only when a request asks
//   for `httpVersion: 2`, which ibm-cloud-sdk-core never does; node:http2 is then required on first use.
// Each change is matched as written in the pinned axios version: the build fails if one is not found, so an
// upgrade cannot silently bring the cost back (test/e2e/provider-chunks.test.ts checks an IBM run too).
import { readFileSync } from 'node:fs';

const CHANGES = [
  // A module-level call that only fills the fetch adapter's cache, probing fetch, Request and Response.
  { find: '\ngetFetch();\n', replace: '\n' },
  // A module-level read of the FormData global, for isFormData's `instanceof` shortcut.
  {
    find: "const FormDataCtor = typeof G.FormData !== 'undefined' ? G.FormData : undefined;",
    replace: 'const FormDataCtor = undefined;',
  },
  // node:http2, of which axios uses `connect` and `constants` (checked below), required on first use.
  {
    find: "\nvar http2 = require('http2');\n",
    replace:
      "\nvar http2 = { get connect() { return require('http2').connect; }, " +
      "get constants() { return require('http2').constants; } };\n",
  },
];
// What of node:http2 axios may use through the object above.
const HTTP2_USES = new Set(['http2.connect', 'http2.constants']);

export const axiosLoadPlugin = {
  name: 'axios-load',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]axios[\\/]dist[\\/]node[\\/]axios\.cjs$/ }, ({ path }) => {
      let contents = readFileSync(path, 'utf8');
      for (const { find, replace } of CHANGES) {
        const at = contents.indexOf(find);
        if (at === -1 || contents.indexOf(find, at + 1) !== -1)
          throw new Error(`axios-load.mjs: expected exactly one ${JSON.stringify(find)} in ${path}`);
        contents = contents.replace(find, replace);
      }
      const uses = new Set(contents.match(/\bhttp2\.\w+/g));
      for (const use of uses)
        if (!HTTP2_USES.has(use)) throw new Error(`axios-load.mjs: axios uses ${use}, not on the lazy http2 object`);
      return { contents, loader: 'js' };
    });
  },
};
