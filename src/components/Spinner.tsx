import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { tone } from './theme.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Something is happening: a turning frame, the label, and for long work the seconds it has taken. */
export function Spinner({ label, startedAt }: { label: string; startedAt?: number }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((n) => (n + 1) % SPINNER_FRAMES.length), 100);
    return () => clearInterval(timer);
  }, []);
  const elapsed = startedAt === undefined ? '' : `  ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  return (
    <Text>
      <Text color={tone('info')}>{SPINNER_FRAMES[frame]}</Text> {label}
      <Text dimColor>{elapsed}</Text>
    </Text>
  );
}
