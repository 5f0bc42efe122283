// The vendor's partition data (regions, DNS suffixes, FIPS and dual-stack support), imported by name so
// that the bundle evaluates it alone; loaded only when a default endpoint is needed (endpoint.ts).
export { partition } from '@aws-sdk/core/client';
