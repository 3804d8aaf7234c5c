import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { truncate } from '../../components/theme.js';
import { FIELD_LABEL, fieldValue, visibleFields, type FormState } from './form-state.js';
import { hstsLine } from './report-lines.js';

const LABEL = 18;

/** The form: one field a line, the focused one marked with › (not only by colour), the HSTS risk spelled out. */
export function SslFormView({ form, nginxProblem, width }: { form: FormState; nginxProblem?: string; width: number }) {
  const room = Math.max(10, width - LABEL - 4);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>HTTPS for CATMAID: nginx TLS server block, http → https redirect, Django secure settings</Text>
      <Text dimColor>Nothing is written until you have seen the plan and confirmed it.</Text>
      <Text> </Text>
      {visibleFields(form.values).map((id) => {
        const focused = form.focus === id;
        const editing = focused && form.draft !== undefined;
        const value = editing ? `${truncate(form.draft ?? '', room - 1, 'start')}▏` : truncate(fieldValue(form.values, id), room, 'start');
        return (
          <Text key={id} inverse={focused && !editing} bold={focused}>
            {focused ? '› ' : '  '}
            {FIELD_LABEL[id].padEnd(LABEL)}
            {value}
          </Text>
        );
      })}
      <Text> </Text>
      <Text wrap="wrap">{hstsLine(form.values.hsts)}</Text>
      <Text dimColor wrap="wrap">
        {form.values.django
          ? 'Django: settings.py gets secure cookies, SECURE_PROXY_SSL_HEADER and (Django 4+) CSRF_TRUSTED_ORIGINS in a managed block.'
          : 'Django: settings.py is left alone.'}
      </Text>
      {nginxProblem && <Badge kind="fail">{nginxProblem}</Badge>}
      {form.error && <Badge kind="fail">{form.error}</Badge>}
    </Box>
  );
}
