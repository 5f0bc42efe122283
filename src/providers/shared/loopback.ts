// Plain http:// is refused for a store's endpoint except on this machine (a local agent, an emulator, a
// test's fake): one rule for every provider.

/** True for 127.0.0.0/8, ::1 (bracketed or not) and localhost. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}
