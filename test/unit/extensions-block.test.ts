import { describe, expect, it } from 'vitest';
import { applyExtensionChanges, parseExtensionBlock, renderExtensionBlock } from '../../src/tasks/extensions/block.js';
import { checkExtensionName } from '../../src/tasks/extensions/names.js';
import { extensionUrl } from '../../src/tasks/extensions/list.js';
import { extensionLocation } from '../../src/tasks/extensions/nginx.js';
import { readSettingsSource, toEffective, type StaticReading } from '../../src/tasks/instance/settings-static.js';
import { withManagedBlock } from '../../src/tasks/settings-block.js';

describe('the STATIC_EXTENSION_FILES block', () => {
  it('round-trips what it records, and is empty when nothing is recorded', () => {
    const changes = { added: ['a.js', "it's.css"], removed: ['old.js'] };
    expect(parseExtensionBlock(renderExtensionBlock(changes))).toEqual(changes);
    expect(renderExtensionBlock({ added: [], removed: [] })).toBeNull();
  });

  it('keeps order, adds once, takes out what was removed', () => {
    expect(applyExtensionChanges(['x.js', 'old.js'], { added: ['a.js', 'x.js'], removed: ['old.js'] })).toEqual(['x.js', 'a.js']);
  });

  it("is understood by the static reader, turning the administration manual's tuple into a list", () => {
    const source = withManagedBlock(
      "DATABASES = {'default': {'NAME': 'c'}}\nSTATIC_EXTENSION_FILES = ('test.js', )\n",
      'static-extension-files',
      renderExtensionBlock({ added: ['b.js'], removed: [] }),
    );
    const reading: StaticReading = { values: {}, unreadable: [] };
    readSettingsSource(source, reading);
    const settings = toEffective(reading, 'settings.py');
    expect(settings.staticExtensionFiles).toEqual(['test.js', 'b.js']);
    expect(settings.staticExtensionFilesIsList).toBe(true);
  });
});

describe('extension names, URLs and the nginx location', () => {
  it('refuses paths, "..", hidden files and anything but .js/.css with a usage error', () => {
    for (const bad of ['../x.js', 'a/b.js', 'x.py', '.hidden.js', 'a..b.js', 'sp ace.js', '', 'a\u001b]0;x\u0007.js', 'a\u0000.js']) {
      expect(() => checkExtensionName(bad), bad).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
    expect(checkExtensionName('tracing-tools.min.js')).toBe('tracing-tools.min.js');
  });

  it('builds the file URL and an alias location with trailing slashes where nginx needs them', () => {
    expect(extensionUrl('https://c.org/', '/staticext/', 'a.js')).toBe('https://c.org/staticext/a.js');
    expect(extensionUrl('https://c.org', 'catmaid/staticext', 'a.js')).toBe('https://c.org/catmaid/staticext/a.js');
    expect(extensionLocation('/staticext', '/srv/catmaid/django/staticext')).toContain(
      'location /staticext/ {\n    alias /srv/catmaid/django/staticext/;',
    );
  });
});
