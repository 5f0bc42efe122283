// Files oci-common opens by itself, whole and with no size limit, as its region module loads (every
// Region it constructs reads the developer tool configuration) and when a region is not in its table:
// OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH (default ~/.oci/developer-tool-configuration.json) and
// ~/.oci/regions-config.json. They are checked before any of Oracle's modules is loaded.
import type { ProviderContext } from '../../resolve/types.js';
import { checkVendorFiles, type VendorFile } from '../shared/vendor-file.js';

/** The files, as this environment names them. */
export function ociLibraryFiles(env: ProviderContext['env'], home: string): VendorFile[] {
  const named = env.OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH;
  const expand = (path: string): string => (path.startsWith('~/') ? `${home}/${path.slice(2)}` : path);
  return [
    named
      ? { path: expand(named), what: 'OCI_DEVELOPER_TOOL_CONFIGURATION_FILE_PATH', mayBeMissing: true }
      : {
          path: `${home}/.oci/developer-tool-configuration.json`,
          what: 'the OCI developer tool configuration',
          mayBeMissing: true,
          unreadableIsAbsent: true,
        },
    // oci-common ignores a default file it cannot read: only what would hang or fill memory stops the run.
    {
      path: `${home}/.oci/regions-config.json`,
      what: 'the OCI regions configuration',
      mayBeMissing: true,
      unreadableIsAbsent: true,
    },
  ];
}

/** Throws an Invalid ProviderError naming the file when oci-common should not read it. */
export async function checkOciLibraryFiles(ctx: ProviderContext): Promise<void> {
  const { homedir } = await import('node:os');
  await checkVendorFiles(ctx.readFile, ociLibraryFiles(ctx.env, ctx.env.HOME || homedir()));
}
