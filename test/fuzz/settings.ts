// How many cases each property runs: 10 000 by default (CI), fewer with SECRETS_EXEC_FUZZ_RUNS while iterating.
export const RUNS = Number(process.env.SECRETS_EXEC_FUZZ_RUNS ?? 10_000);
