export { defaultArtifactBucket, ensureArtifactBucket } from './artifacts/bucket.ts';
export { type DeploymentRecord, lastDeployment } from './artifacts/store.ts';
export { AwsClients, type AwsConfig, CallCounter } from './aws/clients.ts';
export { type DeployOptions, type DeployOutcome, type DeployReporter, deployStack } from './deploy.ts';
export { type DestroyOptions, type DestroyOutcome, destroyStack } from './destroy.ts';
export { type StackInfo, stackInfo } from './info.ts';
export {
  functionNameOf,
  type LogLine,
  logEventKey,
  logFunctionName,
  parseDuration,
  parseLogLine,
  readLogs,
} from './logs.ts';
export { BUNDLE_OPTIONS, buildBundle, bundleHandlers, loadEsbuild } from './package/bundle.ts';
export { embedInfrastructure } from './package/embed.ts';
export { EMBEDDED_MANIFEST, type EmbeddedManifest } from './package/embedded.ts';
export {
  ARTIFACT_PREFIX,
  type PackagedArtifact,
  type PackageManifest,
  type PackageResult,
  packageStack,
} from './package/package.ts';
export { resolveTemplate } from './package/resolve.ts';
export { zipFiles } from './package/zip.ts';
export {
  type CheckoutProject,
  type EmbeddedProject,
  embeddedAt,
  findCheckout,
  findProject,
  type Project,
  requireCheckout,
} from './project.ts';
export { destructiveChanges, type StackChange } from './stack/change-set.ts';
export { firstFailure, newStackEvents, type StackEventLine, watchStackOperation } from './stack/events.ts';
export { stackOwners, tableNamesOf } from './stack/ownership.ts';
export {
  listStackResources,
  type StackResource,
  type StackSummary,
  summarizeStack,
} from './stack/resources.ts';
export { describeStack, requireStack, stackNameOf, stageOfStack } from './stack/status.ts';
export {
  checkIam,
  checkRoutes,
  checkTables,
  checkTemplate,
  handlerOfFunction,
  type TemplateProblem,
} from './template/checks.ts';
export {
  type CfnTemplate,
  parseTemplate,
  refOf,
  resourcesOfType,
  subText,
  type TemplateNode,
  type TemplateResource,
} from './template/parse.ts';
export { type ValidationReport, validateProject } from './validate.ts';
