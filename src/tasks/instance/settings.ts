import { CliError, EXIT, oneLine } from '../errors.js';
import { readSettingsFromDjango } from './settings-django.js';
import { readSettingsStatically } from './settings-static.js';
import type { InstanceLayout, SettingsReading } from './types.js';

/** Why Django could not read the settings, in the words of SettingsReading.fallbackReason. */
export const djangoFailure = (err: unknown): string => `Django import failed: ${oneLine(err)}`;

/**
 * Effective settings: from Django itself when the instance's python can import them, else from the static
 * reader, saying why. A settings.py that neither can read is an error naming both reasons.
 */
export async function readSettings(layout: InstanceLayout): Promise<SettingsReading> {
  let djangoError: unknown;
  try {
    return { settings: await readSettingsFromDjango(layout), source: 'django' };
  } catch (err) {
    djangoError = err;
  }
  try {
    const settings = readSettingsStatically(layout);
    return { settings, source: 'static', fallbackReason: djangoFailure(djangoError) };
  } catch (err) {
    throw new CliError(
      `cannot read the settings: Django import failed (${oneLine(djangoError)}); static reader: ${oneLine(err)}`,
      err instanceof CliError ? err.exitCode : EXIT.failed,
      `check ${layout.settingsPy}`,
    );
  }
}
