// The egress rules of a run: which proxy variable wins, what NO_PROXY covers, that metadata and
// link-local addresses are always direct, that credentials never appear in messages, and that Node's own
// agents given the module's proxyEnv follow the same decision (checked against the loopback proxy).
import { request as httpRequest, Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderError } from '../../../src/errors/errors.js';
import { maskProxy, readEgress } from '../../../src/providers/shared/egress.js';
import { proxyFailure, untrustedCertificate } from '../../../src/providers/shared/egress-errors.js';
import { startForwardProxy, type ForwardProxy } from '../../fakes/forward-proxy.js';

const url = (text: string): URL => new URL(text);

describe('readEgress', () => {
  it('sets nothing up without a proxy variable', () => {
    const egress = readEgress({ NO_PROXY: 'example.com' });
    expect(egress.proxyEnv).toBeUndefined();
    expect(egress.proxyFor(url('https://vault.example.org'))).toBeUndefined();
  });

  it('takes the lower-case variable first, as Node.js and curl do', () => {
    const egress = readEgress({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128' });
    expect(egress.proxyEnv?.HTTPS_PROXY).toBe('http://lower:3128');
    expect(egress.proxyFor(url('https://vault.example.org'))).toBe('http://lower:3128');
    // An empty lower-case variable counts as unset.
    expect(readEgress({ HTTPS_PROXY: 'http://upper:3128', https_proxy: '' }).proxyEnv?.HTTPS_PROXY).toBe(
      'http://upper:3128',
    );
  });

  it('uses HTTPS_PROXY for https:// and HTTP_PROXY for http:// only', () => {
    const egress = readEgress({ HTTPS_PROXY: 'http://secure:3128' });
    expect(egress.proxyFor(url('https://a.example.org'))).toBe('http://secure:3128');
    expect(egress.proxyFor(url('http://a.example.org'))).toBeUndefined();
    expect(readEgress({ HTTP_PROXY: 'http://plain:3128' }).proxyFor(url('http://a.example.org'))).toBe(
      'http://plain:3128',
    );
  });

  it('reads NO_PROXY as curl does: names with their subdomains, host:port, CIDR blocks, *', () => {
    const egress = readEgress({
      HTTPS_PROXY: 'http://p:3128',
      no_proxy: 'corp.example, .internal.example,10.0.0.0/8, 127.0.0.1:8200',
      NO_PROXY: 'ignored.example',
    });
    const direct = (u: string): boolean => egress.proxyFor(url(u)) === undefined;
    expect(direct('https://corp.example')).toBe(true);
    expect(direct('https://vault.corp.example')).toBe(true);
    expect(direct('https://notcorp.example')).toBe(false);
    expect(direct('https://internal.example')).toBe(true);
    expect(direct('https://a.b.internal.example')).toBe(true);
    expect(direct('https://10.20.30.40')).toBe(true);
    expect(direct('https://11.0.0.1')).toBe(false);
    expect(direct('https://127.0.0.1:8200')).toBe(true);
    expect(direct('https://127.0.0.1:8201')).toBe(false);
    expect(direct('https://ignored.example')).toBe(false);
    // Node's agents read the same list: the CIDR block is there as the range they understand.
    expect(egress.proxyEnv?.NO_PROXY.split(',')).toEqual(
      expect.arrayContaining(['corp.example', '.corp.example', '10.0.0.0-10.255.255.255', '127.0.0.1:8200']),
    );
    expect(readEgress({ HTTPS_PROXY: 'http://p:3128', NO_PROXY: '*' }).proxyFor(url('https://x.example'))).toBe(
      undefined,
    );
  });

  it('never proxies metadata and link-local addresses, whatever NO_PROXY says', () => {
    const egress = readEgress({
      HTTPS_PROXY: 'http://p:3128',
      HTTP_PROXY: 'http://p:3128',
      NO_PROXY: '',
      SECRETS_EXEC_METADATA_URL: 'http://127.0.0.1:9999',
      GCE_METADATA_HOST: '127.0.0.1:9998',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      VAULT_AGENT_ADDR: 'http://127.0.0.1:8100',
    });
    for (const target of [
      'http://169.254.169.254/latest/api/token',
      'http://169.254.170.2/v2/credentials',
      'http://169.254.42.1/',
      'http://[fd00:ec2::254]/latest/api/token',
      'http://[fd00:c1::a9fe:a9fe]/opc/v2/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://api.metadata.cloud.ibm.com/instance_identity/v1/token',
      'http://127.0.0.1:9999/opc/v2/instance/',
      'http://127.0.0.1:9998/computeMetadata/v1/',
      'https://10.96.0.1:12250/resourcePrincipalSessionTokens',
      'http://127.0.0.1:8100/v1/secret/data/app',
    ])
      expect(egress.proxyFor(url(target)), target).toBeUndefined();
    // Only the metadata variables' own port: the stores' fakes on 127.0.0.1 still go through the proxy.
    expect(egress.proxyFor(url('http://127.0.0.1:8200/v1/sys/health'))).toBe('http://p:3128');
  });

  it('masks the credentials of a proxy URL and refuses an unusable one without repeating it', () => {
    expect(maskProxy('http://user:p%40ss@proxy.corp:3128')).toBe('http://***@proxy.corp:3128');
    expect(maskProxy('http://proxy.corp:3128')).toBe('http://proxy.corp:3128');
    const egress = readEgress({ HTTPS_PROXY: 'http://user:hunter2@proxy.corp:3128' });
    expect(egress.proxies).toEqual(['http://***@proxy.corp:3128']);
    expect(egress.proxyFor(url('https://x.example'))).toBe('http://***@proxy.corp:3128');
    const invalid = (env: Record<string, string>): ProviderError => {
      try {
        readEgress(env);
      } catch (error) {
        return error as ProviderError;
      }
      throw new Error('accepted');
    };
    const notUrl = invalid({ https_proxy: 'http://user:hunter2@[proxy:3128' });
    expect(notUrl.kind).toBe('Invalid');
    expect(notUrl.message).toMatch(/^https_proxy is not a URL/);
    expect(notUrl.message).not.toContain('hunter2');
    const socks = invalid({ HTTP_PROXY: 'socks5://user:hunter2@proxy:1080' });
    expect(socks.message).toBe(
      'HTTP_PROXY socks5://***@proxy:1080: only http:// and https:// proxies are supported (socks5: given)',
    );
  });
});

describe("Node's agents with the module's proxyEnv", () => {
  let proxy: ForwardProxy | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await proxy?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  async function serve(): Promise<number> {
    server = createServer((_req, res) => res.end('direct-or-proxied'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  const get = (port: number, agent: Agent): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/x', agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      });
      req.on('error', reject);
      req.end();
    });

  it('go through the proxy, with the decoded credentials, and straight to a NO_PROXY host:port', async () => {
    proxy = await startForwardProxy({ credentials: { user: 'svc', password: 'p@ss:word' } });
    const port = await serve();
    const through = readEgress({ HTTP_PROXY: proxy.authUrl });
    const agent = new Agent({ proxyEnv: { ...through.proxyEnv } });
    expect(await get(port, agent)).toBe('200 direct-or-proxied');
    expect(proxy.log).toEqual([{ method: 'GET', target: `127.0.0.1:${port}`, status: 200 }]);
    const bypass = readEgress({ HTTP_PROXY: proxy.authUrl, NO_PROXY: `127.0.0.1:${port}` });
    expect(await get(port, new Agent({ proxyEnv: { ...bypass.proxyEnv } }))).toBe('200 direct-or-proxied');
    expect(proxy.log).toHaveLength(1);
    agent.destroy();
  });
});

describe('egress failures', () => {
  it('turns a 407 (plain or from CONNECT) into Invalid, saying where the credentials go', () => {
    const plain = proxyFailure({ status: 407 });
    expect(plain?.kind).toBe('Invalid');
    expect(plain?.message).toMatch(/^the proxy asks for other credentials \(407/);
    const tunnel = Object.assign(
      new Error(
        'Failed to establish tunnel to 127.0.0.1:8200 via http://127.0.0.1:3128: HTTP/1.1 407 Proxy Authentication',
      ),
      { code: 'ERR_PROXY_TUNNEL' },
    );
    expect(proxyFailure(new Error('wrapped', { cause: tunnel }))?.message).toMatch(
      /^the proxy http:\/\/127\.0\.0\.1:3128 asks for other credentials/,
    );
    expect(proxyFailure({ status: 404 })).toBeUndefined();
  });

  it('names the host and the variables for an untrusted certificate', () => {
    const error = untrustedCertificate('the AWS endpoint sm.example:443', 'SELF_SIGNED_CERT_IN_CHAIN', [
      'AWS_CA_BUNDLE',
    ]);
    expect(error.kind).toBe('Invalid');
    expect(error.message).toBe(
      'TLS: the certificate of the AWS endpoint sm.example:443 is not trusted (SELF_SIGNED_CERT_IN_CHAIN): ' +
        'set AWS_CA_BUNDLE or SECRETS_EXEC_CA_FILE to the PEM file of the CA that signed it',
    );
  });
});
