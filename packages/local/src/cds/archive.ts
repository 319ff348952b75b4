import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@tasktracker/core';
import { isAlive } from '../lock.ts';
import { copyJarWithoutClassPath } from './jar.ts';
import { type TrainingRun, trainEngineArchive } from './trainer.ts';

/**
 * Class-data sharing (AppCDS) for the embedded engine. The JVM spends most of DynamoDB Local's start
 * loading and verifying ~5,000 classes from ~150 jars; a dynamic archive of those classes, made once
 * under the data dir by a training run (trainer.ts) with -XX:ArchiveClassesAtExit, is mapped at the
 * next starts with -XX:SharedArchiveFile. The archive is keyed by the jar and the JVM (path, size,
 * modification time, version), so either changing makes a new one. Nothing here may fail a start: any
 * problem falls back to the plain `-jar` launch.
 *
 *   <dataDir>/cds/<key>/DynamoDBLocal.jar   the jar without its manifest Class-Path (see jar.ts)
 *   <dataDir>/cds/<key>/classpath.json      the class path to launch with
 *   <dataDir>/cds/<key>/engine.jsa          the archive, once a training run has made it
 *   <dataDir>/cds/<key>/build.lock          a training run in progress (its pid)
 *   <dataDir>/cds/<key>/failures            starts that failed with the archive; at 2, no more archives
 */

export const ENGINE_MAIN_CLASS = 'com.amazonaws.services.dynamodbv2.local.main.ServerRunner';
/** Two failed starts with a fresh archive mean this JVM cannot use one: stop building them. */
const MAX_FAILURES = 2;
/** Bumped when the layout or the training changes, so old archives are rebuilt. */
const LAYOUT_VERSION = 1;

export interface JvmIdentity {
  /** The java executable, symlinks resolved. */
  executable: string;
  /** `java -version` output. */
  versionText: string;
}

export interface EngineLaunch {
  /** JVM options and class path: everything before DynamoDB Local's own arguments. */
  prefix: string[];
  /** 'used': the archive is mapped; 'absent': none yet (a build may be scheduled); 'off': plain -jar. */
  archive: 'used' | 'absent' | 'off';
  /** The archive directory (cds/<key>) when class-data sharing is set up. */
  dir?: string;
}

export interface PlanOptions {
  dataDir: string;
  engineDir: string;
  jvm: JvmIdentity;
  /** Flags for a quick start, given to every launch (see engine.ts). */
  jvmOptions: string[];
  logger?: Logger;
}

export const archiveRoot = (dataDir: string) => path.join(dataDir, 'cds');
const archiveFile = (dir: string) => path.join(dir, 'engine.jsa');
const lockFile = (dir: string) => path.join(dir, 'build.lock');
const failuresFile = (dir: string) => path.join(dir, 'failures');

async function fileIdentity(file: string) {
  const info = await stat(file);
  return { file, size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}

/** What the archive depends on: the jar, the JVM binary and its libjvm, its version, our layout. */
export async function archiveKey(engineDir: string, jvm: JvmIdentity): Promise<string> {
  const javaHome = path.dirname(path.dirname(jvm.executable));
  const libjvm = await fileIdentity(path.join(javaHome, 'lib', 'server', 'libjvm.so')).catch(() => null);
  const parts = {
    layout: LAYOUT_VERSION,
    jar: await fileIdentity(path.join(engineDir, 'DynamoDBLocal.jar')),
    java: await fileIdentity(jvm.executable),
    libjvm,
    version: jvm.versionText.trim(),
  };
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export function plainLaunch(engineDir: string, jvmOptions: string[]): string[] {
  return [
    ...jvmOptions,
    `-Djava.library.path=${path.join(engineDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(engineDir, 'DynamoDBLocal.jar'),
  ];
}

/** The copied jar and the class path for this key, made once (written aside, then renamed). */
async function ensureClassPath(dir: string, engineDir: string): Promise<string[]> {
  const recorded = path.join(dir, 'classpath.json');
  const existing = await readFile(recorded, 'utf8').then(
    (text) => JSON.parse(text) as unknown,
    () => undefined,
  );
  if (Array.isArray(existing) && existing.every((entry) => typeof entry === 'string')) return existing;
  await mkdir(dir, { recursive: true });
  const jar = path.join(dir, 'DynamoDBLocal.jar');
  const temporary = `${jar}.${process.pid}.tmp`;
  const manifestEntries = await copyJarWithoutClassPath(path.join(engineDir, 'DynamoDBLocal.jar'), temporary);
  await rename(temporary, jar);
  // Only the jars: `.` and the native libraries are what the archive cannot have (see jar.ts).
  const classPath = [
    jar,
    ...manifestEntries.filter((entry) => entry.endsWith('.jar')).map((entry) => path.join(engineDir, entry)),
  ];
  await writeFile(`${recorded}.${process.pid}.tmp`, JSON.stringify(classPath));
  await rename(`${recorded}.${process.pid}.tmp`, recorded);
  return classPath;
}

/** Does the file start as a dynamic CDS archive does? A torn or foreign file is not used. */
async function looksLikeArchive(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const header = Buffer.alloc(4);
    const { bytesRead } = await handle.read(header, 0, 4, 0);
    return bytesRead === 4 && header.readUInt32LE(0) === 0xf00baba8;
  } finally {
    await handle.close();
  }
}

const failureCount = (dir: string) =>
  readFile(failuresFile(dir), 'utf8').then(
    (text) => Number.parseInt(text, 10) || 0,
    () => 0,
  );

/** Archives of other keys (an older jar or JVM) are deleted: they can never be used again. */
async function removeOtherKeys(root: string, key: string): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => name !== key)
      .map((name) => rm(path.join(root, name), { recursive: true, force: true })),
  );
}

/** How to launch the engine: with the archive when there is a usable one, else without. */
export async function planEngineLaunch(options: PlanOptions): Promise<EngineLaunch> {
  const plain: EngineLaunch = { prefix: plainLaunch(options.engineDir, options.jvmOptions), archive: 'off' };
  if (process.env.TASKTRACKER_ENGINE_CDS === 'off' || process.platform === 'win32') return plain;
  try {
    const key = await archiveKey(options.engineDir, options.jvm);
    const root = archiveRoot(options.dataDir);
    const dir = path.join(root, key);
    await removeOtherKeys(root, key);
    if ((await failureCount(dir)) >= MAX_FAILURES) return plain;
    const classPath = await ensureClassPath(dir, options.engineDir);
    const base = [
      ...options.jvmOptions,
      // A JVM that crashes on a damaged archive writes its report here, not into the user's directory.
      `-XX:ErrorFile=${path.join(dir, 'hs_err_pid%p.log')}`,
      `-Djava.library.path=${path.join(options.engineDir, 'DynamoDBLocal_lib')}`,
      '-cp',
      classPath.join(path.delimiter),
      ENGINE_MAIN_CLASS,
    ];
    const archive = archiveFile(dir);
    if (await looksLikeArchive(archive)) {
      // -Xshare:on: a JVM that cannot map the archive fails at once (and we start it again without)
      // rather than running on silently without it.
      return { prefix: [`-XX:SharedArchiveFile=${archive}`, '-Xshare:on', ...base], archive: 'used', dir };
    }
    await rm(archive, { force: true });
    return { prefix: base, archive: 'absent', dir };
  } catch (error) {
    options.logger?.debug({ err: error }, 'engine class-data sharing unavailable; plain launch');
    return plain;
  }
}

/** A start with the archive failed: drop it (a later run builds another) and count the failure. */
export async function discardArchive(launch: EngineLaunch): Promise<void> {
  if (!launch.dir) return;
  await rm(archiveFile(launch.dir), { force: true });
  await writeFile(failuresFile(launch.dir), String((await failureCount(launch.dir)) + 1)).catch(
    () => undefined,
  );
}

/** The launch without the archive (same class path), for the retry after a failed start. */
export function withoutArchive(launch: EngineLaunch): EngineLaunch {
  return {
    ...launch,
    prefix: launch.prefix.filter((arg) => !arg.startsWith('-XX:SharedArchiveFile=') && arg !== '-Xshare:on'),
    archive: 'absent',
  };
}

function trainingRun(java: string, launch: EngineLaunch, dir: string): TrainingRun {
  return {
    java,
    launch: launch.prefix,
    archive: archiveFile(dir),
    scratch: path.join(dir, `training-db-${process.pid}`),
    lock: lockFile(dir),
  };
}

/** Is a training run for this key already under way (its lock names a live process)? */
async function buildInProgress(dir: string): Promise<boolean> {
  const pid = Number.parseInt(await readFile(lockFile(dir), 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

/**
 * Starts the training run in a detached, low-priority Node process and returns at once: the command
 * that started the engine does not wait, and the next cold start maps the archive.
 */
export async function scheduleArchiveBuild(
  java: string,
  launch: EngineLaunch,
  options: { lowPriority?: boolean; logger?: Logger } = {},
): Promise<boolean> {
  const logger = options.logger;
  if (launch.archive !== 'absent' || !launch.dir) return false;
  try {
    if (await buildInProgress(launch.dir)) return false;
    const run = { ...trainingRun(java, launch, launch.dir), background: options.lowPriority ?? true };
    // The function's own text: a transpiler may have wrapped its inner functions in a naming helper
    // (esbuild's keepNames), which the stand-alone script defines as a no-op.
    const script = `const __name = (target) => target;\nawait (${trainEngineArchive.toString()})(JSON.parse(process.argv[1]));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(run)], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    if (child.pid) await writeFile(lockFile(launch.dir), String(child.pid));
    logger?.debug({ pid: child.pid, dir: launch.dir }, 'building the engine class-data archive');
    return true;
  } catch (error) {
    logger?.debug({ err: error }, 'could not schedule the engine class-data archive');
    return false;
  }
}

/** The same training run, awaited in this process (tests, and `tt local start --wait` style callers). */
export function buildArchiveNow(java: string, launch: EngineLaunch): Promise<boolean> {
  if (!launch.dir) return Promise.resolve(false);
  return trainEngineArchive(trainingRun(java, launch, launch.dir));
}
