/**
 * Package entry: the construct, the stack, their parts and props.
 */
export { BedrockServiceRole, type BedrockServiceRoleProps } from './bedrock-service-role';
export { HANDLER_NAMES, type HandlerName, PipelineFunctions, type PipelineFunctionsProps } from './functions';
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
  PipelineNotifications,
  type PipelineNotificationsProps,
} from './monitoring';
export { BedrockBatchPipeline, type BedrockBatchPipelineProps, JOB_TIMEOUT_HOURS } from './pipeline';
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
