// An esbuild plugin that keeps vendor libraries from loading what a run never uses (docs/performance.md, "Third
// round, continued"). Each change is matched as written in the pinned version:
// the build fails if one is not found exactly once, so an upgrade cannot silently bring the cost back
// (test/e2e/provider-chunks.test.ts checks which runs load Node's fetch implementation).
//
// axios (ibm-cloud-sdk-core's HTTP client, for IBM's token and metadata requests):
// - two feature probes. Reading any of the globals `Request`, `Response`, `FormData` (or `Headers`) makes
//   Node.js load its fetch implementation (undici, with about 130 internal modules): 20–30 ms of an IBM
//   reference's start-up on Node.js 26. axios reads them only to decide whether its fetch adapter could work
//   and to recognise a spec FormData; in Node.js it sends through its `http` adapter (the default order is
//   xhr, http, fetch, and ibm-cloud-sdk-core chooses none), and a FormData it is given is still recognised by
//   its `append` method and tag, the test axios applies to the `form-data` package's objects;
// - `require('http2')` at the top (7–10 ms on top of node:https): axios speaks HTTP/2 only when a request asks
//   for `httpVersion: 2`, which ibm-cloud-sdk-core never does; node:http2 is then required on first use;
// - https-proxy-agent, used only for a proxy given to axios itself (never: secrets-exec gives `proxy: false`).
// Below axios: form-data's mime-types table and get-intrinsic, follow-redirects' node:assert (each described
// at its change).
// ibm-cloud-sdk-core:
// - its cookie support (tough-cookie and its public-suffix list, tldts: ≈ 3 ms), used only for a request
//   wrapper given a cookie jar, which secrets-exec never gives: required on use.
// oci-common (OCI's signing code):
// - node-fetch and its URL parser (whatwg-url, tr46's mapping table: ≈ 8 ms to evaluate), which every signer
//   loaded through two top-level requires: `require("isomorphic-fetch")` in its HTTP module (that package only
//   installs node-fetch as the global fetch when there is none, and every Node.js that runs secrets-exec has
//   one), and the instance-principal certificate supplier's, whose one use (fetching a certificate from the
//   metadata service) now requires it then.
// jsonwebtoken (both libraries decode tokens with it):
// - three modules that evaluate semver (≈ 40 regular expressions built at load, 3–4 ms) to compare
//   process.version with a version from Node.js 8 to 16; secrets-exec needs Node.js 22 or later, where each
//   answer is true.
//
// Google's auth library and its HTTP stack (gaxios, gcp-metadata) build a `new Headers(…)` for every request, and
// gaxios asks whether a body is `instanceof FormData`: the first read of either global loads undici (35–55 ms)
// although their requests go through node:http(s) (src/providers/shared/http-fetch.ts, given to gaxios as its
// fetchImplementation); its `instanceof ReadableStream` loads Node's web streams (2–5 ms). Each of their
// modules that names one gets all three from src/providers/shared/fetch-headers.ts instead, bound at the
// module's top: the globals themselves are left alone for every other module.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VENDOR_FILES = [
  {
    file: /[\\/]node_modules[\\/]axios[\\/]dist[\\/]node[\\/]axios\.cjs$/,
    changes: [
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
      // node:zlib (≈ 3.5 ms), which axios uses only to inflate a compressed answer: required then. Its
      // decompression options read the constants when the stream is made; brotli and zstd are in every
      // Node.js secrets-exec runs on (22.15 and later), which the two feature tests would find.
      {
        find: "\nvar zlib = require('zlib');\n",
        replace:
          "\nvar zlib = { get constants() { return require('zlib').constants; }, " +
          "get createUnzip() { return require('zlib').createUnzip; }, " +
          "get createBrotliDecompress() { return require('zlib').createBrotliDecompress; }, " +
          "get createZstdDecompress() { return require('zlib').createZstdDecompress; } };\n",
      },
      ...[
        ['zlibOptions', 'Z_SYNC_FLUSH'],
        ['brotliOptions', 'BROTLI_OPERATION_FLUSH'],
        ['zstdOptions', 'ZSTD_e_flush'],
      ].map(([name, constant]) => ({
        find: `const ${name} = {\n  flush: zlib.constants.${constant},\n  finishFlush: zlib.constants.${constant}\n};`,
        replace:
          `const ${name} = { get flush() { return zlib.constants.${constant}; }, ` +
          `get finishFlush() { return zlib.constants.${constant}; } };`,
      })),
      {
        find: 'const isBrotliSupported = utils$1.isFunction(zlib.createBrotliDecompress);',
        replace: 'const isBrotliSupported = true;',
      },
      {
        find: 'const isZstdSupported = utils$1.isFunction(zlib.createZstdDecompress);',
        replace: 'const isZstdSupported = true;',
      },
      // The `navigator` global, whose first read loads Node's navigator module (≈ 0.8 ms): axios consults it only
      // in a browser (hasBrowserEnv: `window` and `document`, which Node.js lacks), so it is read only there.
      {
        find: "const _navigator = typeof navigator === 'object' && navigator || undefined;",
        replace: "const _navigator = hasBrowserEnv && typeof navigator === 'object' && navigator || undefined;",
      },
      // https-proxy-agent (with agent-base, node:assert and debug's setup: ≈ 2 ms), which axios uses only to
      // tunnel through a proxy axios itself was given; secrets-exec gives `proxy: false`. Required on use.
      { find: "\nvar HttpsProxyAgent = require('https-proxy-agent');\n", replace: '\n' },
      { find: 'new HttpsProxyAgent(merged)', replace: "new (require('https-proxy-agent'))(merged)" },
      { find: 'instanceof HttpsProxyAgent)', replace: "instanceof require('https-proxy-agent'))" },
    ],
    check(contents) {
      usesOnly(contents, 'axios', /\bhttp2\.\w+/g, ['http2.connect', 'http2.constants']);
      // Outside comments: the declaration (2), the platform object's key, and the browser-only origin check (2).
      const code = contents.split('\n').filter((line) => !/^\s*(\*|\/\/)/.test(line));
      const navigatorUses = code.join('\n').match(/\bnavigator\b/g)?.length;
      const browserOnly = code.filter((line) => line.includes('platform.navigator'));
      if (navigatorUses !== 5 || browserOnly.length !== 1 || !/^}\)\(new URL\(platform\.origin\)/.test(browserOnly[0]))
        throw new Error(`vendor-load.mjs: axios reads navigator in ${navigatorUses} places, not the 5 checked`);
      const zlibUses = ['constants', 'createUnzip', 'createBrotliDecompress', 'createZstdDecompress'];
      usesOnly(
        contents,
        'axios',
        /(?<![\w$.])zlib\.\w+/g,
        zlibUses.map((member) => `zlib.${member}`),
      );
      if (contents.split('\n').some((line) => /^[^/]*\bHttpsProxyAgent\b/.test(line.replace(/'[^']*'/g, ''))))
        throw new Error('vendor-load.mjs: axios uses HttpsProxyAgent where it is not required on use');
    },
  },
  {
    // form-data (axios requires it at its top; ibm-cloud-sdk-core makes an empty one for every request):
    // - mime-types with mime-db's JSON table (≈ 3 ms), used only to guess the type of an appended file;
    // - es-set-tostringtag, whose get-intrinsic evaluates a table of every intrinsic (≈ 1.5 ms), for one
    //   Symbol.toStringTag on FormData.prototype: defined here as that function defines it (the prototype
    //   has no own tag yet, Node.js has Symbol.toStringTag and Object.defineProperty).
    file: /[\\/]node_modules[\\/]form-data[\\/]lib[\\/]form_data\.js$/,
    changes: [
      {
        find: "var mime = require('mime-types');",
        replace: "var mime = { lookup: function (path) { return require('mime-types').lookup(path); } };",
      },
      { find: "var setToStringTag = require('es-set-tostringtag');\n", replace: '' },
      {
        find: "setToStringTag(FormData.prototype, 'FormData');",
        replace:
          'Object.defineProperty(FormData.prototype, Symbol.toStringTag, ' +
          "{ configurable: true, enumerable: false, value: 'FormData', writable: false });",
      },
    ],
    check(contents) {
      usesOnly(contents, 'form-data', /\bmime\.\w+/g, ['mime.lookup']);
      if (/\bsetToStringTag\b/.test(contents)) throw new Error('vendor-load.mjs: form-data calls setToStringTag again');
    },
  },
  {
    // follow-redirects (axios's transport): node:assert (≈ 1.5 ms with its error formatting) for checks that
    // pass in every request. The stand-ins below call node:assert only when a check fails, so the error
    // thrown is node:assert's own (assert.equal compares with `==` and lets NaN equal NaN: that case reaches
    // node:assert too, which passes it).
    file: /[\\/]node_modules[\\/]follow-redirects[\\/]index\.js$/,
    changes: [
      {
        find: 'var assert = require("assert");',
        replace:
          'function assert(value, message) { if (!value) require("assert")(value, message); }\n' +
          'assert.equal = function (actual, expected, message) ' +
          '{ if (actual != expected) require("assert").equal(actual, expected, message); };',
      },
    ],
    check(contents) {
      usesOnly(contents, 'follow-redirects', /\bassert\b(\.\w+)?/g, ['assert', 'assert.equal']);
    },
  },
  {
    // ibm-cloud-sdk-core's helpers: mime-types only to guess the type of a file given as form data.
    file: /[\\/]node_modules[\\/]ibm-cloud-sdk-core[\\/]lib[\\/]helper\.js$/,
    changes: [
      {
        find: 'var mime_types_1 = require("mime-types");',
        replace: 'var mime_types_1 = { get lookup() { return require("mime-types").lookup; } };',
      },
    ],
    check(contents) {
      usesOnly(contents, 'ibm-cloud-sdk-core', /mime_types_1\.\w+/g, ['mime_types_1.lookup']);
    },
  },
  {
    file: /[\\/]node_modules[\\/]ibm-cloud-sdk-core[\\/]lib[\\/]request-wrapper\.js$/,
    changes: [
      {
        find: 'var cookie_support_1 = require("./cookie-support");',
        replace:
          'var cookie_support_1 = { get createCookieInterceptor() ' +
          '{ return require("./cookie-support").createCookieInterceptor; } };',
      },
      // node:zlib, used only to compress a request body when a service asks for it: required then.
      {
        find: 'var zlib_1 = require("zlib");',
        replace: 'var zlib_1 = { get gzipSync() { return require("zlib").gzipSync; } };',
      },
    ],
    check(contents) {
      usesOnly(contents, 'ibm-cloud-sdk-core', /cookie_support_1\.\w+/g, ['cookie_support_1.createCookieInterceptor']);
      usesOnly(contents, 'ibm-cloud-sdk-core', /zlib_1\.\w+/g, ['zlib_1.gzipSync']);
    },
  },
  {
    // google-logging-utils (Google's auth library logs through it): its TypeScript-emitted `__importStar` of
    // node:util and node:process reads every property of both, and reading util's lazy ones (parseArgs, diff,
    // styleText, …) loads their modules, worker_threads among them: a few ms of every gcp-sm:// run. It uses
    // plain members (checked below; util.debuglog is named in a comment), which the modules themselves have.
    file: /[\\/]node_modules[\\/]google-logging-utils[\\/]build[\\/]src[\\/]logging-utils\.js$/,
    changes: [
      { find: 'const process = __importStar(require("process"));', replace: 'const process = require("process");' },
      { find: 'const util = __importStar(require("util"));', replace: 'const util = require("util");' },
    ],
    check(contents) {
      const plain = ['util.format', 'util.formatWithOptions', 'util.debuglog', 'process.env', 'process.pid'];
      usesOnly(contents, 'google-logging-utils', /(?<![\w$.])(util|process)\.\w+/g, plain);
    },
  },
  {
    file: /[\\/]node_modules[\\/]oci-common[\\/]lib[\\/]http\.js$/,
    changes: [{ find: '\nrequire("isomorphic-fetch");\n', replace: '\n' }],
  },
  {
    file: /[\\/]node_modules[\\/]oci-common[\\/]lib[\\/]auth[\\/]url-based-x509-certificate-supplier\.js$/,
    changes: [
      {
        find: 'const node_fetch_1 = __importDefault(require("node-fetch"));',
        replace: 'const node_fetch_1 = { get default() { return __importDefault(require("node-fetch")).default; } };',
      },
    ],
    check(contents) {
      usesOnly(contents, 'oci-common', /node_fetch_1\.\w+/g, ['node_fetch_1.default']);
    },
  },
  ...[
    ['asymmetricKeyDetailsSupported', 'const', '>=15.7.0'],
    ['psSupported', 'var', '^6.12.0 || >=8.0.0'],
    ['rsaPssKeyDetailsSupported', 'const', '>=16.9.0'],
  ].map(([name, declaration, range]) => ({
    file: new RegExp(`[\\\\/]node_modules[\\\\/]jsonwebtoken[\\\\/]lib[\\\\/]${name}\\.js$`),
    changes: [
      { find: `${declaration} semver = require('semver');\n`, replace: '' },
      { find: `module.exports = semver.satisfies(process.version, '${range}');`, replace: 'module.exports = true;' },
    ],
  })),
];

const FETCH_GLOBALS = {
  file: /[\\/]node_modules[\\/](gaxios|google-auth-library|gcp-metadata)[\\/].*\.c?js$/,
  // A global named as a value: not a property (`x.Headers`), a longer name (`getRequestHeaders`) or a key.
  uses: /(?<![\w$.])(Headers|FormData|ReadableStream)(?![\w$:])/,
  module: join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'providers', 'shared', 'fetch-headers.ts'),
  // The modules the binding must reach (the gcp e2e tests check the runs): it fails the build when one is missing.
  expected: [
    'gaxios.js',
    'oauth2client.js',
    'baseexternalclient.js',
    'oauth2common.js',
    'gcp-metadata/build/src/index.js',
  ],
};

// A library's file may use only the members of a module that its stand-in provides (or that were checked).
function usesOnly(contents, library, pattern, allowed) {
  for (const use of new Set(contents.match(pattern)))
    if (!allowed.includes(use))
      throw new Error(`vendor-load.mjs: ${library} uses ${use}, which is not among the members checked`);
}

// The files changed so far, for assertVendorFilesChanged.
const changed = new Set();
const bound = new Set();

// Binds Headers, FormData and ReadableStream in one CommonJS module of Google's libraries (whose first line is
// "use strict").
function bindFetchGlobals(path, contents) {
  if (!FETCH_GLOBALS.uses.test(contents)) return contents;
  const strict = '"use strict";\n';
  if (!contents.startsWith(strict)) throw new Error(`vendor-load.mjs: ${path} is not a CommonJS module as expected`);
  bound.add(path.replaceAll('\\', '/'));
  const binding = `const { Headers, FormData, ReadableStream } = require(${JSON.stringify(FETCH_GLOBALS.module)});\n`;
  return strict + binding + contents.slice(strict.length);
}

export const vendorLoadPlugin = {
  name: 'vendor-load',
  setup(build) {
    for (const { file, changes, check } of VENDOR_FILES) {
      build.onLoad({ filter: file }, ({ path }) => {
        changed.add(file);
        let contents = readFileSync(path, 'utf8');
        for (const { find, replace } of changes) {
          const at = contents.indexOf(find);
          if (at === -1 || contents.indexOf(find, at + 1) !== -1)
            throw new Error(`vendor-load.mjs: expected exactly one ${JSON.stringify(find)} in ${path}`);
          contents = contents.replace(find, replace);
        }
        check?.(contents);
        return { contents, loader: 'js' };
      });
    }
    build.onLoad({ filter: FETCH_GLOBALS.file }, ({ path }) => ({
      contents: bindFetchGlobals(path, readFileSync(path, 'utf8')),
      loader: 'js',
    }));
  },
};

/** Fails unless every file above was changed: called after the npm bundle, which holds every provider. */
export function assertVendorFilesChanged() {
  const missing = VENDOR_FILES.filter(({ file }) => !changed.has(file));
  if (missing.length > 0)
    throw new Error(`vendor-load.mjs: no file matched ${missing.map(({ file }) => file).join(', ')} (renamed?)`);
  const unbound = FETCH_GLOBALS.expected.filter((end) => ![...bound].some((path) => path.endsWith(`/${end}`)));
  if (unbound.length > 0) throw new Error(`vendor-load.mjs: Headers not bound in ${unbound.join(', ')} (renamed?)`);
}
