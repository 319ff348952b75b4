export { CHROMIUM, CHROMIUM_FLAGS, chromiumPath } from './browser.ts';
export { findMinistack, type Ministack, startMinistack } from './ministack.ts';
export { findMotoServer, type MotoServer, startMotoServer } from './moto.ts';
export { npmTool } from './npm-tools.ts';
export { type PythonToolSet, pythonTool, REPO_ROOT } from './python-tools.ts';
export { createTestTables, type TestTables } from './tables.ts';
