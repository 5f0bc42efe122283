// `--env-file FILE`: each file is read and parsed as dotenv before planning; a file that cannot be read
// or parsed is a usage error that names it.
import { UsageError } from '../errors/errors.js';
import { DotenvSyntaxError, parseDotenv } from '../formats/dotenv.js';
import { describeUnreadable } from '../errors/unreadable-file.js';
import type { EnvFileEntries } from '../resolve/plan.js';

/** Reads and parses every env file, in order. */
export async function readEnvFiles(
  files: readonly string[],
  readFile: (path: string) => Promise<Buffer>,
): Promise<EnvFileEntries[]> {
  return Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = (await readFile(file)).toString('utf8');
      } catch (error) {
        throw new UsageError(describeUnreadable('--env-file', file, error));
      }
      try {
        return { file, entries: parseDotenv(text) };
      } catch (error) {
        if (error instanceof DotenvSyntaxError) throw new UsageError(`--env-file ${file}: ${error.message}`);
        throw error;
      }
    }),
  );
}
