/**
 * Package entry: the construct, the stack, their parts and props.
 */
export { BedrockServiceRole, type BedrockServiceRoleProps } from './bedrock-service-role';
export { PipelineFunctions, type PipelineFunctionsProps } from './functions';
export { HANDLER_NAMES, type HandlerName } from './handler-names';
export { BatchJobLifecycle, type BatchJobLifecycleProps } from './job-lifecycle';
export {
  DEFAULT_INFERENCE_PROFILE_REGIONS,
  type ModelAccess,
  modelAccess,
  modelAccessArns,
  modelArns,
  modelStatements,
  type RoutedModels,
} from './model-arns';
export {
  DEFAULT_ALARM_JOB_HOURS,
  type PipelineAlarms,
  PipelineMonitoring,
  type PipelineMonitoringProps,
} from './monitoring';
export { PipelineNotifications, type PipelineNotificationsProps } from './notifications';
export { BedrockBatchPipeline } from './pipeline';
export { JOB_TIMEOUT_HOURS } from './pipeline-checks';
export type { BedrockBatchPipelineProps } from './pipeline-props';
export { BedrockBatchPipelineStack, type BedrockBatchPipelineStackProps } from './stack';
export { StopJobsFailures, type StopJobsFailuresProps } from './stop-jobs-failures';
export {
  type BucketChoice,
  DEFAULT_NONCURRENT_VERSION_DAYS,
  PipelineStorage,
  type PipelineStorageProps,
} from './storage';
export { INBOX_KEY_SUFFIXES, InboxTrigger, type InboxTriggerProps } from './trigger';
export { PipelineWorkflow, type PipelineWorkflowProps } from './workflow';
