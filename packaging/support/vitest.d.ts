// Makes this file a module, so the block below augments vitest instead of replacing it.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A project outside the repository with the packed tarballs installed by npm. */
    installedProject: string;
    /** Package name -> its packed tarball. */
    tarballs: Record<string, string>;
  }
}
