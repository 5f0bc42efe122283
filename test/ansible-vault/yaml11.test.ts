import { describe, expect, it } from 'vitest';
import { readsDifferentlyInYaml11, yaml11Differences } from '../../src/ansible-vault/yaml11.js';

describe('where YAML 1.1 (PyYAML, as Ansible reads vars) differs from the text as written', () => {
  it.each(['0123', '-017', '00', '0x1F', '0b101', '1_000', '1_000.5', '1:30', '190:20:30', 'yes', 'No', 'ON', 'off'])(
    'knows %s reads otherwise',
    (text) => expect(readsDifferentlyInYaml11(text)).toBe(true),
  );

  it.each(['0', '123', '08', '1.10', '1e7', 'true', 'False', 'y', 'n', 'null', 'text', '0x', 'yes please'])(
    'leaves %s alone',
    (text) => expect(readsDifferentlyInYaml11(text)).toBe(false),
  );

  it('lists the keys of unquoted values only, nested ones by path', () => {
    const text = 'a: 0123\nb: \'0123\'\nc: "yes"\nd: !unsafe yes\ne:\n  f: off\n  g: [on, 7]\nh: 1.10\n';
    expect(yaml11Differences(text)).toEqual(['a', 'e.f', 'e.g[0]']);
  });

  it('finds nothing in JSON, dotenv text or text that is not YAML', () => {
    expect(yaml11Differences('{"a": "0123", "b": 1}')).toEqual([]);
    expect(yaml11Differences('A=0123\nB=yes\n')).toEqual([]);
    expect(yaml11Differences('a: [0123\n')).toEqual([]);
  });
});
