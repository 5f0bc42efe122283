// Variables that change how a program (or its dynamic loader, shell or runtime) starts. A key of a loaded
// secret (`--load`, an Ansible Vault file) that became one of them would turn write access to one secret
// into code execution in the program (LD_PRELOAD=/tmp/x.so, NODE_OPTIONS=--require …, BASH_ENV=…).
// They may be loaded only when named with --allow-name; a reference written for them by hand is the
// operator's own choice and is not checked.
const EXACT: ReadonlySet<string> = new Set([
  'PATH',
  'IFS',
  'ENV',
  'BASH_ENV',
  'SHELLOPTS',
  'BASHOPTS',
  'PS4',
  'PROMPT_COMMAND',
  'ZDOTDIR',
  'HOSTALIASES',
  'RES_OPTIONS',
  'LOCPATH',
  'NLSPATH',
  'GCONV_PATH',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'PYTHONINSPECT',
  'PERL5LIB',
  'PERL5OPT',
  'PERLLIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'DOTNET_STARTUP_HOOKS',
  'GIT_SSH_COMMAND',
  'GIT_EXEC_PATH',
  'OPENSSL_CONF',
]);
// The dynamic loaders' own (glibc's LD_*, macOS's DYLD_*) and malloc tuning.
const PREFIXES: readonly string[] = ['LD_', 'DYLD_', 'MALLOC_', 'GLIBC_TUNABLES'];

/** True when a loaded secret may not set this variable without --allow-name. */
export function isUnsafeToLoad(name: string): boolean {
  return EXACT.has(name) || PREFIXES.some((p) => name.startsWith(p));
}
