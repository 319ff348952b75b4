export { defaultArtifactBucket, ensureArtifactBucket } from './artifacts/bucket.ts';
export { type PublishOutcome, publishArtifacts, publishedRecordKey } from './artifacts/publish.ts';
export { type DeploymentRecord, lastDeployment } from './artifacts/store.ts';
export { AwsClients, type AwsConfig, CallCounter } from './aws/clients.ts';
export { type DeployOptions, type DeployOutcome, type DeployReporter, deployStack } from './deploy.ts';
export { type DestroyOptions, type DestroyOutcome, destroyStack } from './destroy.ts';
export {
  CAPABILITIES,
  type CommandTarget,
  type DeployCommand,
  oslsDeployCommand,
  SAM_PREFIX,
  samDeployCommand,
  templateDeployCommands,
} from './formats/commands.ts';
export {
  type EvaluatedTemplate,
  evaluateTemplate,
  referencesOf,
  renameReferences,
} from './formats/evaluate.ts';
export {
  OSLS_FRAMEWORK_VERSION,
  type OslsProject,
  type OslsService,
  oslsService,
  oslsYaml,
  writeOslsProject,
} from './formats/osls.ts';
export { oslsMethodId } from './formats/osls-api.ts';
export { functionKeyOf } from './formats/osls-functions.ts';
export { OSLS_PLUGIN_FILE } from './formats/osls-plugin.ts';
export { type SamProject, samTemplate, writeSamProject } from './formats/sam.ts';
export { type StackInfo, type StackInfoOptions, stackInfo } from './info.ts';
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
export { unzipFiles, type ZipEntry } from './package/unzip.ts';
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
  type DeclaredMethod,
  declaredMethods,
  handlerOfFunction,
  type TemplateProblem,
} from './template/checks.ts';
export { checkModels, MODELS_BEGIN, MODELS_END, modelsBlock, withCurrentModels } from './template/models.ts';
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
