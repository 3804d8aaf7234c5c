import { restoreFetch } from './fetch-hidden.js';
import Yoga from 'yoga-layout';

/**
 * ink's modules get yoga-layout through this module (tsup.config.ts). yoga-layout 3.2's Emscripten loader
 * fetch()es its own base64 data: URL whenever `fetch` exists; in Node that first loads undici, Node's whole fetch
 * implementation (770 kB of source; about 6 MB more resident in the monitor), only to decode those bytes. With
 * `fetch` hidden while yoga-layout is evaluated (fetch-hidden.ts is evaluated just before it), the loader decodes
 * them itself. Upstream path: yoga-layout's loader given its bytes (Emscripten's `wasmBinary`) or no longer
 * fetching its own data: URL in Node (to be reported to facebook/yoga); then this module and fetch-hidden.ts go.
 */
restoreFetch();

export default Yoga;
