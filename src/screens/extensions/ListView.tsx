import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { formatBytes } from '../../tasks/bytes.js';
import { Table, type Column } from '../../components/Table.js';
import { truncate } from '../../components/theme.js';
import type { ExtensionEntry, ExtensionListing } from '../../tasks/extensions/list.js';

const LABEL = 24;

function Setting({ label, value, width }: { label: string; value: string; width: number }) {
  return (
    <Text>
      <Text dimColor>{label.padEnd(LABEL)}</Text>
      {truncate(value, Math.max(4, width - LABEL), 'start')}
    </Text>
  );
}

const columns: Column<ExtensionEntry>[] = [
  { header: ' ', width: 1, value: (f) => (f.present ? '✓' : '✗') },
  { header: 'FILE', value: (f) => f.name },
  { header: 'IN THE FOLDER', width: 24, value: (f) => (f.present ? 'present' : 'missing from the folder') },
  { header: 'SIZE', width: 8, align: 'right', value: (f) => (f.size === null ? '-' : formatBytes(f.size)) },
  { header: 'SERVED', width: 14, value: (f) => (f.served ? `${f.served.ok ? '✓' : '✗'} ${f.served.status ?? 'no answer'}` : '-') },
];

/** The three settings and the files: what CATMAID will load, and what is wrong with it. */
export function ListView({ listing, selected, width, height }: { listing: ExtensionListing; selected: number; width: number; height: number }) {
  const tableHeight = Math.max(2, height - 5 - (listing.unlisted.length > 0 ? 1 : 0));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Setting label="STATIC_EXTENSION_URL" value={listing.url ?? '(not set)'} width={width} />
      <Setting label="STATIC_EXTENSION_ROOT" value={listing.root ?? '(not set)'} width={width} />
      <Box>
        <Box width={LABEL} flexShrink={0}>
          <Text dimColor>STATIC_EXTENSION_FILES</Text>
        </Box>
        {listing.isList ? (
          <Badge kind="ok">{`a list · ${listing.files.length} file(s)`}</Badge>
        ) : (
          <Badge kind="fail">NOT A LIST: CATMAID refuses to start; an add or remove makes it a list</Badge>
        )}
      </Box>
      <Text> </Text>
      {listing.files.length === 0 ? (
        <Text dimColor>No front-end extensions are listed. a adds a .js or .css file.</Text>
      ) : (
        <Table columns={columns} rows={listing.files} width={width} height={tableHeight} selected={selected} rowKey={(f) => f.name} />
      )}
      {listing.unlisted.length > 0 && (
        <Text dimColor wrap="truncate">{`· in the folder but not listed: ${listing.unlisted.join(', ')}`}</Text>
      )}
    </Box>
  );
}
