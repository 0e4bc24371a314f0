// Type declarations of the helpers of @thbsuite/client. The generated clients are dynamic
// (@grpc/proto-loader); their messages follow the loader options below: camelCase fields, int64
// as decimal strings, enums as their names.
import * as grpc from '@grpc/grpc-js';
import type { Options } from '@grpc/proto-loader';

export { grpc };

export interface IncludeDirs {
  protosDir: string;
  googleapisDir: string;
}

export function defaultIncludeDirs(): IncludeDirs;
export function loaderOptions(dirs?: IncludeDirs): Options;
export function loadContracts(dirs?: IncludeDirs): grpc.GrpcObject;
export function bearer(token?: string): grpc.Metadata;

export interface FieldViolation {
  field: string;
  description: string;
}
export interface PreconditionViolation {
  /** STATE, REFERENCE, IN_USE, CONTENT, WINDOW, CONFIGURATION or OTHER */
  type: string;
  /** the resource name the precondition is about */
  subject: string;
  description: string;
}
export interface ErrorInfo {
  /** stable, e.g. "INSTITUTION_NOT_REGISTERED" (protos/thb/type/v1/errors.proto) */
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}
export interface ResourceInfo {
  resourceType: string;
  resourceName: string;
  description: string;
}

export class ThbError extends Error {
  readonly code: grpc.status;
  readonly codeName: string;
  readonly details: string;
  readonly fieldViolations: FieldViolation[];
  readonly preconditionFailures: PreconditionViolation[];
  readonly errorInfo: ErrorInfo | null;
  readonly resourceInfo: ResourceInfo | null;
  /** the ErrorInfo reason, or "" */
  readonly reason: string;
  static fromServiceError(error: grpc.ServiceError): ThbError;
}

export interface CallOptions {
  metadata?: grpc.Metadata;
  deadline?: Date | number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = Record<string, any>;

export function call<Res = Message>(client: grpc.Client, method: string, request: Message, options?: CallOptions): Promise<Res>;

export function pages<Item = Message>(client: grpc.Client, method: string, request?: Message, options?: CallOptions & { items?: string }): AsyncGenerator<Item, void, undefined>;

export interface AuditEvent {
  /** int64 as a decimal string */
  sequence: string;
  method: string;
  resource: string;
  [field: string]: unknown;
}

export interface WatchOptions {
  /** int64 as a decimal string */
  afterSequence?: string;
  metadata?: grpc.Metadata;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onReconnect?: (error: grpc.ServiceError | null, delayMs: number) => void;
}

export function watchChanges(client: grpc.Client, options?: WatchOptions): AsyncGenerator<AuditEvent, never, undefined>;
