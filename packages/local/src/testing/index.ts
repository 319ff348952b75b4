export { findMinistack, type Ministack, startMinistack } from './ministack.ts';
export { findMotoServer, type MotoServer, startMotoServer } from './moto.ts';
export { pythonTool, REPO_ROOT } from './python-tools.ts';
export { createTestTables, type TestTables } from './tables.ts';
