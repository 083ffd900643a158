// Public entry of `@palbase/backend`. Everything a backend file imports comes
// from here; `z` is re-exported so projects need no direct zod dependency.

export { z } from "zod";

export { HttpError, buildDeclaredErrors } from "./errors.js";
export type { DeclaredError, DeclaredErrorThrowers, ErrorsConfig } from "./errors.js";

export { defineEndpoint } from "./endpoint.js";
export type {
  AnyEndpoint,
  AuthConfig,
  AuthUser,
  EmptyInput,
  Endpoint,
  EndpointConfig,
  ErrorsField,
  HandlerResult,
  InputOf,
  PBRequest,
  PBRequestBase,
  RateLimit,
} from "./endpoint.js";

export { defineMiddleware } from "./middleware.js";
export type { Middleware, MiddlewareContext, MiddlewareHandler, Next } from "./middleware.js";

export { defineSchema, table, uuid, text, integer, boolean, timestamp, jsonb, enumType, ColumnBuilder } from "./schema.js";
export type {
  AnyColumnBuilder,
  ColumnDef,
  ColumnMeta,
  ColumnType,
  ColumnsOf,
  JsonValue,
  MetaOf,
  OnDeleteAction,
  Schema,
  Table,
  WithMeta,
} from "./schema.js";

export { Database, typedDatabase } from "./database.js";
export type {
  ColumnValue,
  DatabaseApi,
  DatabaseOperations,
  FilterOf,
  IdOf,
  InsertOf,
  Row,
  RowId,
  RowOf,
  Transaction,
  TypedDatabase,
  TypedTable,
  TypedTables,
  TypedTransaction,
  UpdateOf,
} from "./database.js";

export { Cache, Queue, Log } from "./services.js";
export { Flags } from "./flags.js";
export type { FlagAttribute, FlagContext, FlagEvaluation, FlagName, FlagReason, FlagsApi, FlagVariant, PalbaseFlags } from "./flags.js";
export { Notifications } from "./notifications.js";
export { Storage } from "./storage.js";
export { Documents } from "./documents.js";
export type {
  CacheApi,
  QueueApi,
} from "./services.js";
export type {
  NotificationChannel,
  NotificationSendResult,
  NotificationStatus,
  NotificationsApi,
  PalbaseEmailAttachment,
  PalbaseEmailSendParams,
  PalbasePushSendParams,
  PalbaseSmsSendParams,
} from "./notifications.js";
export type {
  BlobLike,
  ListOptions,
  ListPage,
  ReadableStreamLike,
  SignedUrlOptions,
  StorageApi,
  StorageBucket,
  StorageObject,
  UploadBody,
  UploadOptions,
} from "./storage.js";
export type {
  CollectionRef,
  CursorArg,
  DocumentData,
  DocumentHandle,
  DocumentQuery,
  DocumentRef,
  DocumentSnapshot,
  DocumentsApi,
  OrderDirection,
  SetOptions,
  WhereOp,
  WriteBatch,
} from "./documents.js";

export { defineWorker, defineJob } from "./background.js";
export type { Backoff, Ctx, Job, JobConfig, Worker, WorkerConfig } from "./background.js";

export { auth, storage, documents, defineWebhook } from "./events.js";
export type {
  AuthPasswordResetEvent,
  AuthSignInEvent,
  AuthSignOutEvent,
  AuthUserCreatedEvent,
  DocumentCreatedEvent,
  DocumentDeletedEvent,
  DocumentUpdatedEvent,
  FileDeletedEvent,
  FileUploadedEvent,
  Hook,
  HookBuilder,
  HookHandler,
  Webhook,
  WebhookConfig,
  StripeEvent,
  WebhookEvent,
  WebhookEventOf,
  WebhookHandler,
  WebhookProvider,
} from "./events.js";

export type {
  ClientInfo,
  FileContext,
  HttpMethod,
  Logger,
  MaybePromise,
  PalbaseResult,
  ServiceError,
  User,
} from "./types.js";
