// pnpm hooks for this workspace.
module.exports = {
  hooks: {
    // What users install is the packed package.json: it keeps only what an install needs. Our
    // workspace-only devDependencies would name private packages no registry has, and the build
    // scripts refer to files that are not in the tarball.
    beforePacking(pkg) {
      delete pkg.devDependencies;
      delete pkg.scripts;
      return pkg;
    },
  },
};
