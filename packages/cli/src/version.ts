/** Kept in step with package.json by the release; read here so --version costs no file read. */
export const VERSION = '0.1.0';
