import { Text } from 'ink';
import { tone } from './theme.js';

/** '████████░░░░  63%': the bar for work whose total is known (the percentage says it without colour). */
export function progressBar(fraction: number, width: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * width);
  return `${'█'.repeat(filled)}${'░'.repeat(Math.max(0, width - filled))} ${String(Math.round(clamped * 100)).padStart(3)}%`;
}

export function ProgressBar({ fraction, width, label }: { fraction: number; width: number; label?: string }) {
  return (
    <Text>
      <Text color={tone('info')}>{progressBar(fraction, width)}</Text>
      {label ? `  ${label}` : ''}
    </Text>
  );
}
