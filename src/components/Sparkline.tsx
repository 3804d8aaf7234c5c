import { Text } from 'ink';

const BARS = '▁▂▃▄▅▆▇█';

/** The newest `width` values as bars scaled between min and max (min 0 unless given). */
export function sparkline(values: readonly number[], width: number, scale: { min?: number; max?: number } = {}): string {
  const shown = values.slice(-Math.max(0, width));
  if (shown.length === 0) return '';
  const min = scale.min ?? Math.min(0, ...shown);
  const max = scale.max ?? Math.max(...shown);
  const span = max - min;
  return shown
    .map((value) => {
      if (span <= 0) return BARS[0];
      const level = Math.round(((Math.min(max, Math.max(min, value)) - min) / span) * (BARS.length - 1));
      return BARS[level];
    })
    .join('');
}

export function Sparkline({
  values,
  width,
  min,
  max,
  color,
}: {
  values: readonly number[];
  width: number;
  min?: number;
  max?: number;
  color?: string;
}) {
  return <Text color={color}>{sparkline(values, width, { min, max }).padEnd(width, ' ')}</Text>;
}
