// Types of @tenantdb/client (src/index.js).

/** A value as the SQL API encodes it: BIGINT beyond ±(2^53−1) as a string, JSON columns
 * as JSON, BYTEA as base64, DATE/TIMESTAMP/TIMESTAMPTZ as ISO 8601 strings. */
export type SqlValue = null | boolean | number | string | JsonValue;
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Row = SqlValue[];

export interface Column {
  name: string;
  data_type: string;
  index: number;
}

export interface QueryResult {
  schema: Column[];
  rows: Row[];
  rowCount: number;
  /** The command tag, e.g. "INSERT 0 1". */
  message: string;
}

export interface User {
  /** The user name. */
  id: string;
  role: 'user' | 'service' | 'dba' | 'system';
}

export type Change =
  | { type: 'initial'; rows: Row[]; hasMore: boolean }
  | { type: 'ready'; seq: number | null }
  | { type: 'insert' | 'delete'; rows: Row[]; seq: number }
  | { type: 'update'; rows: Row[]; oldValues?: Row[]; seq: number }
  /** Drop what this subscription delivered so far: a fresh snapshot follows. */
  | { type: 'resync' };

export interface SubscribeOptions {
  params?: SqlValue[];
  onChange?: (change: Change) => void;
  onError?: (error: TenantdbError) => void;
  /** Rows per initial batch (the client asks for the next batch itself). */
  batchSize?: number;
  /** Only the last n rows of the snapshot. */
  lastRows?: number;
}

export interface ClientOptions {
  /** A WebSocket constructor: the platform's by default (npm `ws` on Node < 22). */
  WebSocket?: unknown;
  fetch?: typeof globalThis.fetch;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

export class TenantdbError extends Error {
  /** A stable name, e.g. "undefined_table", "resync_required". */
  code: string;
  sqlstate?: string;
  position?: number;
  /** The HTTP status, for errors of HTTP requests. */
  status?: number;
  subscriptionId?: string;
}

export class Subscription {
  readonly id: string;
  /** The seq of the last change delivered; null before the snapshot ends. */
  readonly lastSeq: number | null;
  readonly schema: Column[] | null;
  unsubscribe(): void;
}

export class TenantdbClient {
  constructor(url: string, options?: ClientOptions);
  readonly user: User | null;
  login(username: string, password: string): Promise<User | null>;
  useToken(accessToken: string): void;
  refresh(): Promise<void>;
  query(sql: string, params?: SqlValue[], options?: { namespace?: string }): Promise<QueryResult[]>;
  subscribe(sql: string, options?: SubscribeOptions): Subscription;
  close(): void;
  /** For tests: drops the WebSocket as a network failure would. */
  dropConnection(): void;
}
