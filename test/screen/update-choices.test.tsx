import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, press, pressAndWait, waitForFrame, waitForText } from './helpers.js';
import { fakeServices, killedUpdate, renderUpdate } from './update-fakes.js';

afterEach(() => cleanup());

const screen = renderUpdate;

describe('choosing what the update does', () => {
  it('t lists the tracked branch and every newer release; picking one reads the pre-flight and its notes for it', async () => {
    const services = fakeServices();
    const app = screen(services);
    let frame = await waitForText(app, 'Release notes to read (3)');
    expect(frame).toContain('(t: choose the target)');
    await press(app, 't');
    frame = await waitForText(app, 'Update to …');
    expect(frame).toMatch(/master: 2022\.06\.15-3-g0a1b2c3 \(tracked branch\) +newest commits/);
    expect(frame).toMatch(/› 2022\.06\.15 +✓ shown now/);
    expect(frame).toMatch(/ {2}2021\.12\.21 +release/);
    await press(app, KEY.up);
    frame = await waitForFrame(app, (f) => /› 2022\.03\.01/.test(f));
    await press(app, KEY.enter);
    frame = await waitForText(app, 'Release notes to read (2)');
    expect(services.calls.preflight.at(-1)?.to).toBe('2022.03.01');
    expect(frame).toContain('Update · 2021.12.20 → 2022.03.01');
    expect(frame).not.toContain('2022.06.15 ');
    // Esc in the list keeps the target as it was.
    await press(app, 't');
    await waitForText(app, 'Update to …');
    await press(app, KEY.esc);
    frame = await waitForFrame(app, (f) => !f.includes('Update to …'));
    expect(services.calls.preflight).toHaveLength(2);
  });

  it('P updates PostGIS where it is behind, after asking, then checks again', async () => {
    const services = fakeServices({ postgisBehind: ['catmaid', 'template1'] });
    const app = screen(services);
    let frame = await waitForText(app, '✗ PostGIS library 3.3.2, extension');
    expect(frame).toContain('3.3.2next in catmaid, template1');
    expect(frame).toContain('refused: PostGIS library');
    await press(app, 'P');
    frame = await waitForText(app, 'Run ALTER EXTENSION postgis UPDATE; in catmaid, template1, as the database superuser?');
    expect(frame).toContain('› No');
    await press(app, 'y');
    frame = await waitForText(app, '✓ ran ALTER EXTENSION postgis UPDATE; in template1 as postgres');
    expect(services.calls.postgis).toEqual([['catmaid', 'template1']]);
    frame = await waitForFrame(app, (f) => !f.includes('✗ PostGIS'));
    expect(services.calls.preflight).toHaveLength(2);
  });

  it('an unfinished update: the pre-flight refuses a new one; S resumes it from its first step not done', async () => {
    const unfinished = killedUpdate();
    const services = fakeServices({ unfinished });
    const app = screen(services);
    let frame = await waitForText(app, '✗ the update to 2022.06.15 of');
    expect(frame).toMatch(/2026-11-30T05:00:00\.000Z is unfinished/);
    expect(frame).not.toContain('(t: choose the target)');
    expect(await pressAndWait(app, 'G', 'r', 'u')).not.toContain('Yes, update');
    await press(app, 'S');
    frame = await waitForText(app, 'Resume the update to 2022.06.15 of 2026-11-30T05:00:00.000Z');
    await press(app, 'y');
    frame = await waitForText(app, 'Updated 2021.12.20 → 2022.06.15');
    expect(services.calls.run).toHaveLength(1);
    expect(services.calls.run[0].fromStep).toBe(4);
    expect(services.calls.run[0].journal).toBe(unfinished.journal);
    expect(frame).toMatch(/✓ manage\.py migrate --plan/);
    expect(frame).toMatch(/✓ manage\.py migrate +0\.2 s/);
  });

  it('an unfinished update: B rolls it back after the database name is typed', async () => {
    const services = fakeServices({ unfinished: killedUpdate() });
    const app = screen(services);
    await waitForText(app, 'is unfinished');
    await press(app, 'B');
    const frame = await waitForText(app, 'Roll back: commit 3f2a9c1');
    expect(frame).toContain('catmaid_202611300500_3f2a9c1.sql over database catmaid');
    for (const ch of 'catmaid') await press(app, ch);
    await press(app, KEY.enter);
    await waitForText(app, 'rolled back');
    expect(services.calls.rollback).toHaveLength(1);
  });
});
