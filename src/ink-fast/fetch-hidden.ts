/**
 * Evaluated just before yoga-layout (see yoga-layout.ts): takes Node's `fetch` off the global object until
 * yoga-layout.ts puts it back, so that yoga's loader decodes its wasm itself instead of fetch()ing its own data: URL.
 * Node defines `fetch` as a getter that loads undici when first read: its descriptor is kept, never its value.
 */
const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });

/** Put Node's `fetch` back as it was (still not loaded). */
export function restoreFetch(): void {
  if (descriptor) Object.defineProperty(globalThis, 'fetch', descriptor);
  else delete (globalThis as { fetch?: unknown }).fetch;
}
