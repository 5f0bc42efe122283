// Where Ansible's own reading of a vars file would differ from ours. secrets-exec hands on an unquoted
// value as written (`0123`, `yes`); Ansible reads YAML 1.1 with PyYAML's resolver, where `0123` is the
// octal 83, `0x1F` 31, `0b11` 3, `1_000` 1000, `1:30` the sexagesimal 90, and yes/no/on/off are booleans
// (PyYAML leaves y/n strings). Those keys are listed so the caller can warn; the values are never kept.
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Logger } from '../log/logger.js';

// PyYAML's implicit resolvers for int and float (YAML 1.1), keeping only the spellings whose value
// differs from their text; and its booleans other than true/false, which read alike in both versions.
const DIFFERENT = [
  /^[-+]?0[0-7_]+$/, // octal
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/, // sexagesimal
  /^[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?([eE][-+][0-9]+)?$/, // underscores in a number
  /^[-+]?[0-9][0-9_]*\.[0-9_]*_[0-9_]*([eE][-+][0-9]+)?$/,
  /^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
];

/** True when PyYAML (as Ansible uses it) would read this unquoted scalar as another value than its text. */
export function readsDifferentlyInYaml11(source: string): boolean {
  return DIFFERENT.some((pattern) => pattern.test(source));
}

/**
 * The keys (`a`, `a.b`, `a[0]`) of the unquoted values in a YAML text that YAML 1.1 reads otherwise; empty
 * when the text is not YAML (JSON or dotenv content, or text the loader refuses with its own message).
 */
export function yaml11Differences(text: string): string[] {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, logLevel: 'silent' });
  if (doc.errors.length > 0) return [];
  const found: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (isScalar(node)) {
      const plain = node.type === 'PLAIN' && node.tag === undefined;
      if (plain && path !== '' && typeof node.source === 'string' && readsDifferentlyInYaml11(node.source))
        found.push(path);
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, path === '' ? key : `${path}.${key}`);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, `${path}[${i}]`);
    }
  };
  walk(doc.contents, '');
  return found;
}

/**
 * Values are handed on as written; where Ansible's YAML 1.1 reading would give another value, one warning
 * names the file and the keys — the key names are the file's, never a value.
 */
export function warnWhereAnsibleDiffers(log: Pick<Logger, 'warn'>, file: string, text: string): void {
  const keys = yaml11Differences(text);
  if (keys.length === 0) return;
  log.warn(
    'ansible_vault.yaml11',
    `--ansible-vault ${file}: ${keys.length === 1 ? 'key' : 'keys'} ${keys.map((k) => `'${k}'`).join(', ')}: ` +
      'Ansible (YAML 1.1) reads these unquoted values otherwise (octal 0123, 0x1F, 0b1, 1_000, 1:30, ' +
      'yes/no/on/off as booleans); secrets-exec hands on the text as written: quote them to make that explicit',
  );
}
