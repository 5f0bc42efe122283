// NO_PROXY for every provider: the user's list, written so that Node's agents read it as curl does, and
// the matching itself (for `detect` and messages), the same as Node's agents apply it.

// NO_PROXY as curl reads it: `example.com` also covers its subdomains (Node's agents need `.example.com`
// for that), and an IPv4 CIDR block is written as the address range Node's agents understand.
export function userBypass(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    out.push(entry);
    const cidr = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(entry);
    if (cidr) out.push(cidrRange(cidr[1] as string, Number(cidr[2])));
    else if (/[a-z]/.test(entry) && !entry.startsWith('.') && !entry.startsWith('*')) out.push(`.${entry}`);
  }
  return out;
}

function cidrRange(address: string, bits: number): string {
  const start = address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const size = 2 ** (32 - Math.min(32, bits));
  const first = start - (start % size);
  const text = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  return `${text(first)}-${text(first + size - 1)}`;
}

// Node's matching (exact host or host:port, `.suffix`, `*.suffix`, `*`, an IPv4 range), for messages.
export function bypasses(entry: string, host: string, port: string): boolean {
  if (entry === '*' || entry === host || entry === `${host}:${port}`) return true;
  if (entry.startsWith('.') || entry.startsWith('*.')) {
    const suffix = entry.replace(/^\*?\./, '');
    return host === suffix || host.endsWith(`.${suffix}`);
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(entry);
  if (!range || !/^\d+\.\d+\.\d+\.\d+$/.test(host)) return false;
  const n = (ip: string): number => ip.split('.').reduce((v, part) => v * 256 + Number(part), 0);
  return n(host) >= n(range[1] as string) && n(host) <= n(range[2] as string);
}
