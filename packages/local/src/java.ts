import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, constants, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** DynamoDB Local 2.x is compiled for Java 17; older runtimes fail with an unreadable class-version error. */
export const MIN_JAVA_VERSION = 17;

const INSTALL_HINT =
  'install a JDK (apt-get install openjdk-17-jre-headless), or point tasktracker at another engine with ' +
  '--endpoint <url> / AWS_ENDPOINT_URL, --target localstack, or --target aws';

/** One line on purpose: the CLI prints it as is, and the test setup prints it as the reason for skipping. */
export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';

  constructor(readonly detail: string) {
    super(
      `Java ${MIN_JAVA_VERSION}+ is needed to run the embedded DynamoDB Local engine (${detail}); ${INSTALL_HINT}`,
    );
  }
}

export interface JavaRuntime {
  path: string;
  version: number;
  /** The executable with symlinks resolved (what the engine's class-data archive is keyed by). */
  executable: string;
  /** `java -version` as printed. */
  versionText: string;
}

/** JAVA_HOME wins over PATH, as in every Java launcher script, so users can pick a JDK without editing PATH. */
function javaCandidate(): string {
  const home = process.env.JAVA_HOME;
  if (home) {
    const candidate = path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

/** `java -version` prints `openjdk version "17.0.15"` or, before Java 9, `java version "1.8.0_402"`. */
export function parseJavaVersion(output: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

function runVersion(java: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(java, ['-version'], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(error);
      else resolve(`${stderr}${stdout}`);
    });
  });
}

/** `java` as the OS would find it on PATH (or the JAVA_HOME candidate), symlinks resolved. */
async function resolveExecutable(java: string): Promise<string | undefined> {
  const candidates = path.isAbsolute(java)
    ? [java]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, java));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return await realpath(candidate);
    } catch {
      // Not here: the next PATH entry.
    }
  }
  return undefined;
}

interface CachedJava extends JavaRuntime {
  size: number;
  mtimeMs: number;
}

/**
 * Finds Java 17+. With a cache file, `java -version` (a JVM start of its own, 0.1-0.3 s) runs only
 * when the executable changed since the last look (path, size or modification time).
 */
export async function findJava(options: { cacheFile?: string } = {}): Promise<JavaRuntime> {
  const java = javaCandidate();
  const executable = await resolveExecutable(java);
  const identity = executable ? await stat(executable).catch(() => undefined) : undefined;
  if (options.cacheFile && executable && identity) {
    const cached = await readFile(options.cacheFile, 'utf8').then(
      (text) => JSON.parse(text) as Partial<CachedJava>,
      () => undefined,
    );
    if (
      cached?.path === java &&
      cached.executable === executable &&
      cached.size === identity.size &&
      cached.mtimeMs === identity.mtimeMs &&
      typeof cached.version === 'number' &&
      cached.version >= MIN_JAVA_VERSION &&
      typeof cached.versionText === 'string'
    ) {
      return { path: java, version: cached.version, executable, versionText: cached.versionText };
    }
  }
  const found = await runJava(java, executable ?? java);
  if (options.cacheFile && executable && identity) {
    const record: CachedJava = { ...found, size: identity.size, mtimeMs: identity.mtimeMs };
    const temporary = `${options.cacheFile}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(record))
      .then(() => rename(temporary, options.cacheFile as string))
      .catch(() => undefined);
  }
  return found;
}

async function runJava(java: string, executable: string): Promise<JavaRuntime> {
  let output: string;
  try {
    output = await runVersion(java);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new JavaMissingError(code === 'ENOENT' ? 'no java found' : `${java} -version failed`);
  }
  const version = parseJavaVersion(output);
  if (version === undefined) throw new JavaMissingError(`could not read the version of ${java}`);
  if (version < MIN_JAVA_VERSION) throw new JavaMissingError(`found Java ${version}`);
  return { path: java, version, executable, versionText: output.trim() };
}
