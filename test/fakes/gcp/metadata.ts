// A loopback GCE metadata server for the credentials path of ADC (GKE Workload Identity, Cloud Run,
// GCE), as documented at cloud.google.com/compute/docs/metadata/querying-metadata: every request needs
// `Metadata-Flavor: Google` (403 without it, or with X-Forwarded-For) and every answer carries
// `Metadata-Flavor: Google`. Serves /computeMetadata/v1/instance/service-accounts/default/token
// ({access_token, expires_in, token_type}), .../default/email, /computeMetadata/v1/project/project-id,
// and 200 for the directory listings google-auth-library and secrets-exec's detection ask for.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../http.js';
import type { TokenAuthority } from './tokens.js';

export interface GoogleMetadataFake {
  /** http://127.0.0.1:PORT (SECRETS_EXEC_METADATA_URL) */
  readonly url: string;
  /** 127.0.0.1:PORT (GCE_METADATA_HOST) */
  readonly host: string;
  readonly requests: Array<{ path: string; flavor: boolean; status: number }>;
  close(): Promise<void>;
}

export async function startGoogleMetadataFake(options: {
  authority: TokenAuthority;
  projectId: string;
  email: string;
}): Promise<GoogleMetadataFake> {
  const requests: GoogleMetadataFake['requests'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const flavor = req.headers['metadata-flavor'] === 'Google';
    const send = (status: number, type: string, body: string): void => {
      requests.push({ path, flavor, status });
      res.writeHead(status, {
        'Metadata-Flavor': 'Google',
        'Content-Type': type,
        'Content-Length': String(Buffer.byteLength(body)),
      });
      res.end(body);
    };
    if (!flavor || req.headers['x-forwarded-for'] !== undefined) {
      send(403, 'text/html', 'Missing required header: "Metadata-Flavor": "Google"');
      return;
    }
    if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
      const { token, expiresIn } = options.authority.issue(options.email);
      send(
        200,
        'application/json',
        JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }),
      );
      return;
    }
    if (path === '/computeMetadata/v1/instance/service-accounts/default/email') {
      send(200, 'application/text', options.email);
      return;
    }
    if (path === '/computeMetadata/v1/project/project-id') {
      send(200, 'application/text', options.projectId);
      return;
    }
    if (
      path === '/' ||
      path === '/computeMetadata/v1/' ||
      path === '/computeMetadata/v1/instance' ||
      path === '/computeMetadata/v1/instance/'
    ) {
      send(200, 'application/text', 'attributes/\nhostname\nid\nservice-accounts/\nzone\n');
      return;
    }
    send(404, 'text/html', 'Not Found');
  };
  const { port, close } = await listen(createServer(handler));
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, requests, close };
}
