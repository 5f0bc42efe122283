// A benchmark-only build (`SECRETS_EXEC_TIMINGS=1 node build.mjs`, into its own dist folder) that writes one
// `SE-TIMING {json}` line to stderr at each phase of a run, timed with performance.now() (ms since the
// process started): the bundle's first line, each provider's load, each batch's fetch, every HTTP/1,
// fetch() and HTTP/2 request (from Node's diagnostics channels, and an edit of the HTTP/1.1 client that
// Vault and AWS write requests with, which publishes none) and exec.
// The release build never contains any of this.
import { readFile } from 'node:fs/promises';

// Runs first in the bundle. Paths of requests are logged (loopback fakes only; never in a release build).
export const timingBanner = `
globalThis.__seTiming=(e,d)=>require('fs').writeSync(2,'SE-TIMING '+JSON.stringify({e,t:performance.now(),...d})+'\\n');
__seTiming('main');
{const dc=require('diagnostics_channel'),p=(s)=>String(s).split('?')[0];
dc.subscribe('http.client.request.start',({request:r})=>__seTiming('req-start',{p:p(r.path)}));
dc.subscribe('http.client.response.finish',({request:r})=>__seTiming('req-end',{p:p(r.path)}));
dc.subscribe('undici:request:create',({request:r})=>__seTiming('req-start',{p:p(r.path)}));
dc.subscribe('undici:request:trailers',({request:r})=>__seTiming('req-end',{p:p(r.path)}));
dc.subscribe('http2.client.stream.created',()=>__seTiming('req-start',{p:'h2'}));
dc.subscribe('http2.client.stream.finish',()=>__seTiming('req-end',{p:'h2'}));
let depth=0;globalThis.__seEval=(f)=>{if(depth++)try{return f()}finally{depth--}
const t=performance.now();try{return f()}finally{depth--;__seTiming('eval',{d:performance.now()-t})}};
const ex=process.execve;if(ex)process.execve=function(...a){__seTiming('exec');return ex.apply(this,a)};}
`;

// Source edits that mark a provider's load and a batch's fetch; the build fails if a marked line moved.
const edits = [
  [
    /src\/resolve\/providers\.ts$/,
    'const module = await descriptor.load();',
    "__seTiming('load-start',{n:name});const module=await descriptor.load();__seTiming('load-end',{n:name});",
  ],
  [
    /src\/resolve\/fetch-all\.ts$/,
    'const started = options.now();',
    "const started=options.now();__seTiming('fetch-start',{n:name});",
  ],
  [
    /src\/resolve\/fetch-all\.ts$/,
    "options.log.debug('provider.batch',",
    "__seTiming('fetch-end',{n:name});options.log.debug('provider.batch',",
  ],
  [
    /src\/providers\/shared\/http1-client\.ts$/,
    'const socket = await take(endpoint, key);',
    "__seTiming('req-start',{p:request.path.split('?')[0]});const socket = await take(endpoint, key);",
  ],
  [
    /src\/providers\/shared\/http1-client\.ts$/,
    'if (response.keepAlive && !closed && !socket.destroyed) park(key, socket);',
    "__seTiming('req-end',{p:request.path.split('?')[0]});" +
      'if (response.keepAlive && !closed && !socket.destroyed) park(key, socket);',
  ],
];

export const timingPlugin = {
  name: 'timing-probe',
  setup(build) {
    build.onLoad(
      { filter: /src\/(resolve\/(providers|fetch-all)|providers\/shared\/http1-client)\.ts$/ },
      async ({ path }) => {
        let source = await readFile(path, 'utf8');
        for (const [file, from, to] of edits) {
          if (!file.test(path)) continue;
          if (!source.includes(from)) throw new Error(`timing-probe: '${from}' not found in ${path}`);
          source = source.replace(from, to);
        }
        return { contents: source, loader: 'ts' };
      },
    );
  },
};

// Every lazily evaluated bundled module (what `await import()` of a bundled module became) is timed: the
// outermost evaluation writes an `eval` line with its duration.
export function timeLazyEvaluation(code) {
  return code
    .replace(
      /Promise\.resolve\(\)\.then\(\(\)=>([\w$]+)\(([\w$]+)\(\),1\)\)/g,
      'Promise.resolve().then(()=>__seEval(()=>$1($2(),1)))',
    )
    .replace(
      /Promise\.resolve\(\)\.then\(\(\)=>\(([\w$]+)\(\),([\w$]+)\)\)/g,
      'Promise.resolve().then(()=>__seEval(()=>($1(),$2)))',
    );
}

// For the fleet benchmark only (`SECRETS_EXEC_NO_JITTER=1`): retries wait the full exponential backoff
// instead of a random share of it, so that a fleet can be compared with and without jitter. Not an option
// of secrets-exec: only a benchmark build has it.
export const noJitterPlugin = {
  name: 'no-jitter',
  setup(build) {
    build.onLoad({ filter: /src\/resolve\/retry\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const from = 'random: Math.random';
      if (!source.includes(from)) throw new Error(`no-jitter: '${from}' not found in ${path}`);
      return { contents: source.replace(from, 'random: () => 1'), loader: 'ts' };
    });
  },
};
