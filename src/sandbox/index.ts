/** The sandbox: a real, throwaway, CATMAID-shaped instance (issue 2 §4). */
export type { SandboxInfo, SandboxSize, CreateOptions, ServicesInfo } from './types.js';
export { createSandbox } from './create.js';
export { startSandbox, stopSandbox, sandboxStatus, destroySandbox, sandboxSql, startSandboxServices, stopSandboxServices } from './lifecycle.js';
export { sandboxServicesStatus, type ServicesStatus, type ProgramState } from './services/index.js';
export { copySandbox } from './copy.js';
export { addRelease, addCommit, OriginWriter } from './origin-writer.js';
export type { CommitSpec, ReleaseSpec, MigrationSpec } from './origin-writer.js';
export { CHECKOUT_RELEASE, DEV_RELEASE, RELEASES, INITIAL_RELEASES } from './history.js';
export { checkoutPaths, managePy } from './checkout.js';
