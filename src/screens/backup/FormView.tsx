import { Box, Text } from 'ink';
import { truncate } from '../../components/theme.js';
import type { FieldSpec, FormState } from './form-state.js';

const LABEL = 18;

/** How a field's value reads: choices as ‹ value ›, the action as a button, empty text as its placeholder. */
export function fieldText(field: FieldSpec, value: string): string {
  if (field.kind === 'choice') return `‹ ${value} ›`;
  if (field.kind === 'action') return `[ ${field.label} ]`;
  return value || field.placeholder || '(empty)';
}

/** The fields, one a line; the focused one marked with › and inverse (not only by colour), a cursor while typing. */
export function FormView({ form, fields, width, notes = {} }: { form: FormState; fields: readonly FieldSpec[]; width: number; notes?: Record<string, string> }) {
  const room = Math.max(10, width - LABEL - 4);
  return (
    <Box flexDirection="column" width={width}>
      {fields.map((field) => {
        const focused = form.focus === field.id;
        const editing = focused && form.draft !== undefined;
        const value = editing
          ? `${truncate(form.draft ?? '', room - 1, 'start')}▏`
          : truncate(fieldText(field, form.values[field.id] ?? ''), room, 'start');
        // A note beside a long value would squeeze it onto two lines: the value wins.
        const note = notes[field.id] && LABEL + 2 + value.length + notes[field.id].length + 4 <= width ? notes[field.id] : undefined;
        return (
          <Box key={field.id}>
            <Text inverse={focused && !editing} bold={focused}>
              {focused ? '› ' : '  '}
              {(field.kind === 'action' ? '' : field.label).padEnd(LABEL)}
              {value}
            </Text>
            {note && <Text dimColor wrap="truncate">{`  ${note}`}</Text>}
          </Box>
        );
      })}
    </Box>
  );
}
