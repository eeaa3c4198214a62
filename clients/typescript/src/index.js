// tenantdb's JavaScript/TypeScript client (ESM, no runtime dependencies; types in
// index.d.ts). One TenantdbClient per user session:
//   - login(user, password): a token pair from POST /v1/api/auth/login; the access token
//     is refreshed (POST /v1/api/auth/refresh) when the server says it expired;
//   - query(sql, params): POST /v1/api/sql, the results with rows as arrays;
//   - subscribe(sql, {params, onChange, onError}): a live query over one WebSocket
//     (GET /v1/ws) shared by the client's subscriptions. After a dropped connection or a
//     server restart the client reconnects with exponential backoff and resubscribes
//     with `from` = the last sequence number it delivered, so every change arrives once
//     and in order; when the server no longer has those changes (resync_required) the
//     subscription starts over with a fresh snapshot and onChange sees {type:'resync'};
//     so it does after ALTER TABLE (schema_changed: `schema` then has the new columns).
//     A dropped table (table_dropped), or the user dropped or its password or role
//     changed (user_dropped, credentials_changed, role_changed), ends it via onError.
//
// The WebSocket implementation is the platform's (browsers, Node >= 22) unless one is
// passed (Node 18/20: `import WebSocket from 'ws'`).

export class TenantdbError extends Error {
  constructor(code, message, { sqlstate, position, status, subscriptionId } = {}) {
    super(message);
    this.name = 'TenantdbError';
    this.code = code;
    if (sqlstate !== undefined) this.sqlstate = sqlstate;
    if (position !== undefined) this.position = position;
    if (status !== undefined) this.status = status;
    if (subscriptionId !== undefined) this.subscriptionId = subscriptionId;
  }
}

const WS_OPEN = 1;

function wsUrl(httpUrl) {
  const u = new URL('/v1/ws', httpUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.toString();
}

export class TenantdbClient {
  #url;
  #fetch;
  #WebSocket;
  #reconnect;
  #accessToken = null;
  #refreshToken = null;
  #user = null;
  #socket = null;
  #socketReady = null; // a promise while connecting/authenticating
  #subscriptions = new Map();
  #nextId = 1;
  #attempt = 0;
  #reconnectTimer = null;
  #closed = false;

  /**
   * @param {string} url the server, e.g. "http://127.0.0.1:8080"
   */
  constructor(url, { WebSocket = globalThis.WebSocket, fetch = globalThis.fetch, reconnect = {} } = {}) {
    this.#url = url.replace(/\/+$/, '');
    this.#fetch = fetch;
    this.#WebSocket = WebSocket;
    this.#reconnect = { initialDelayMs: 100, maxDelayMs: 5000, ...reconnect };
  }

  get user() {
    return this.#user;
  }

  async login(username, password) {
    const body = await this.#post('/v1/api/auth/login', { username, password }, null);
    this.#takeTokens(body);
    return this.#user;
  }

  /** Uses an access token obtained elsewhere (no refresh). */
  useToken(accessToken) {
    this.#accessToken = accessToken;
    this.#refreshToken = null;
  }

  async refresh() {
    if (this.#refreshToken === null) {
      throw new TenantdbError('invalid_authorization_specification', 'no refresh token: log in again');
    }
    const body = await this.#post('/v1/api/auth/refresh', { refresh_token: this.#refreshToken }, null);
    this.#takeTokens(body);
  }

  async query(sql, params, { namespace } = {}) {
    const request = { sql };
    if (params !== undefined && params.length > 0) request.params = params;
    if (namespace !== undefined) request.namespace_id = namespace;
    const body = await this.#authorized(() => this.#post('/v1/api/sql', request, this.#accessToken));
    return body.results.map((r) => ({
      schema: r.schema ?? [],
      rows: r.rows ?? [],
      rowCount: r.row_count ?? 0,
      message: r.message ?? '',
    }));
  }

  subscribe(sql, options = {}) {
    const id = `s${this.#nextId++}`;
    const subscription = new Subscription(this, id, sql, options);
    this.#subscriptions.set(id, subscription);
    this.#ensureSocket()
      .then(() => subscription._send())
      .catch((error) => subscription._fail(error));
    return subscription;
  }

  /** Ends every subscription and the WebSocket. */
  close() {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    for (const s of this.#subscriptions.values()) s._closed = true;
    this.#subscriptions.clear();
    if (this.#socket !== null) this.#socket.close();
    this.#socket = null;
  }

  /** For tests: drops the connection as a network failure would. */
  dropConnection() {
    if (this.#socket === null) return;
    if (typeof this.#socket.terminate === 'function') this.#socket.terminate();
    else this.#socket.close();
  }

  // ---- internals used by Subscription ------------------------------------------------

  _sendMessage(message) {
    if (this.#socket !== null && this.#socket.readyState === WS_OPEN) {
      this.#socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  _forget(id) {
    this.#subscriptions.delete(id);
  }

  // ---- HTTP --------------------------------------------------------------------------

  #takeTokens(body) {
    this.#accessToken = body.access_token;
    this.#refreshToken = body.refresh_token ?? null;
    this.#user = body.user ?? null;
  }

  async #post(path, payload, token) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await this.#fetch(this.#url + path, {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
    });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new TenantdbError('invalid_response', `HTTP ${response.status}: ${text.slice(0, 200)}`, {
        status: response.status,
      });
    }
    if (!response.ok || body.status === 'error') {
      const e = body.error ?? {};
      throw new TenantdbError(e.code ?? 'http_error', e.message ?? `HTTP ${response.status}`, {
        sqlstate: e.sqlstate,
        position: e.position,
        status: response.status,
      });
    }
    return body;
  }

  // Runs `call`; when the access token has expired or was revoked, refreshes once and
  // runs it again.
  async #authorized(call) {
    if (this.#accessToken === null) {
      throw new TenantdbError('invalid_authorization_specification', 'not logged in: call login() first');
    }
    try {
      return await call();
    } catch (error) {
      if (error instanceof TenantdbError && error.status === 401 && this.#refreshToken !== null) {
        await this.refresh();
        return call();
      }
      throw error;
    }
  }

  // ---- WebSocket ---------------------------------------------------------------------

  #ensureSocket() {
    if (this.#closed) return Promise.reject(new TenantdbError('closed', 'the client was closed'));
    if (this.#socketReady !== null) return this.#socketReady;
    if (this.#WebSocket === undefined) {
      return Promise.reject(
        new TenantdbError('no_websocket', 'no WebSocket implementation: pass {WebSocket} (npm ws on Node < 22)'),
      );
    }
    this.#socketReady = new Promise((resolve, reject) => {
      const socket = new this.#WebSocket(wsUrl(this.#url));
      this.#socket = socket;
      let authenticated = false;
      socket.onopen = () => {
        socket.send(JSON.stringify({ type: 'authenticate', method: 'jwt', token: this.#accessToken }));
      };
      socket.onmessage = (event) => {
        let message;
        try {
          message = JSON.parse(typeof event.data === 'string' ? event.data : event.data.toString());
        } catch {
          return;
        }
        if (!authenticated) {
          if (message.type === 'auth_success') {
            authenticated = true;
            this.#attempt = 0;
            resolve();
          } else if (message.type === 'auth_error') {
            this.#authFailed(socket, message, reject);
          }
          return;
        }
        this.#dispatch(message);
      };
      socket.onclose = () => {
        if (this.#socket === socket) {
          this.#socket = null;
          this.#socketReady = null;
        }
        if (!authenticated) reject(new TenantdbError('connection_failed', 'could not open the live-query connection'));
        this.#scheduleReconnect();
      };
      socket.onerror = () => {}; // onclose follows and handles it
    });
    // A caller that never awaits must not see an unhandled rejection.
    this.#socketReady.catch(() => {});
    return this.#socketReady;
  }

  // An expired or revoked access token: refresh it, then reconnect.
  #authFailed(socket, message, reject) {
    reject(new TenantdbError('auth_error', message.message ?? 'authentication failed'));
    socket.onclose = () => {
      if (this.#socket === socket) {
        this.#socket = null;
        this.#socketReady = null;
      }
      if (this.#refreshToken === null) {
        this.#failAll(new TenantdbError('auth_error', message.message ?? 'authentication failed'));
        return;
      }
      this.refresh().then(
        () => this.#scheduleReconnect(),
        (error) => this.#failAll(error),
      );
    };
    socket.close();
  }

  #failAll(error) {
    for (const s of this.#subscriptions.values()) s._fail(error);
  }

  #scheduleReconnect() {
    if (this.#closed || this.#subscriptions.size === 0 || this.#reconnectTimer !== null) return;
    const { initialDelayMs, maxDelayMs } = this.#reconnect;
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#ensureSocket().then(
        () => {
          for (const s of this.#subscriptions.values()) s._send();
        },
        () => {}, // onclose scheduled the next attempt
      );
    }, delay);
  }

  #dispatch(message) {
    const id = message.subscription_id;
    if (id === undefined) return;
    const subscription = this.#subscriptions.get(id);
    if (subscription !== undefined) subscription._receive(message);
  }
}

export class Subscription {
  #client;
  #sql;
  #params;
  #options;
  #onChange;
  #onError;
  #lastSeq = null;
  #ready = false;
  #resuming = false;
  #subscribedBefore = false;
  #windowed;
  #schema = null;

  constructor(client, id, sql, { params, onChange, onError, batchSize, lastRows } = {}) {
    this.#client = client;
    this.id = id;
    this.#sql = sql;
    this.#params = params;
    this.#options = {};
    if (batchSize !== undefined) this.#options.batch_size = batchSize;
    if (lastRows !== undefined) this.#options.last_rows = lastRows;
    this.#onChange = onChange ?? (() => {});
    this.#onError = onError ?? (() => {});
    // A live window (ORDER BY ... LIMIT) is computed from its snapshot: it cannot resume
    // from a sequence number, so after a reconnect it starts over.
    this.#windowed = /\border\s+by\b/i.test(sql);
    this._closed = false;
  }

  /** The sequence number of the last change delivered (null before the snapshot ends). */
  get lastSeq() {
    return this.#lastSeq;
  }

  get schema() {
    return this.#schema;
  }

  unsubscribe() {
    if (this._closed) return;
    this._closed = true;
    this.#client._sendMessage({ type: 'unsubscribe', subscription_id: this.id });
    this.#client._forget(this.id);
  }

  // Subscribes (again): from the last delivered change once the snapshot was complete,
  // else afresh.
  _send() {
    if (this._closed) return;
    const options = { ...this.#options };
    this.#resuming = this.#ready && this.#lastSeq !== null && !this.#windowed;
    if (this.#resuming) {
      options.from = this.#lastSeq;
      delete options.last_rows;
    } else {
      // Starting over after an earlier subscribe: what was delivered is to be dropped.
      if (this.#subscribedBefore) this.#onChange({ type: 'resync' });
      this.#ready = false;
      this.#lastSeq = null;
    }
    this.#subscribedBefore = true;
    const subscription = { id: this.id, sql: this.#sql, options };
    if (this.#params !== undefined) subscription.params = this.#params;
    this.#client._sendMessage({ type: 'subscribe', subscription });
  }

  _fail(error) {
    if (this._closed) return;
    this.#onError(error);
  }

  _receive(message) {
    if (this._closed) return;
    switch (message.type) {
      case 'subscription_ack':
        this.#schema = message.schema ?? this.#schema;
        break;
      case 'initial_data_batch': {
        const control = message.batch_control ?? {};
        // A resumed subscription gets no rows, only the changes after lastSeq.
        if (this.#resuming) break;
        this.#onChange({ type: 'initial', rows: message.rows ?? [], hasMore: !!control.has_more });
        if (control.has_more) {
          this.#client._sendMessage({ type: 'next_batch', subscription_id: this.id });
        } else {
          if (control.last_seq !== undefined && control.last_seq !== null) {
            this.#lastSeq = Math.max(this.#lastSeq ?? 0, control.last_seq);
          }
          this.#ready = true;
          this.#onChange({ type: 'ready', seq: this.#lastSeq });
        }
        break;
      }
      case 'change': {
        // A resumed subscription never sees a change twice; this guards a server bug.
        if (this.#lastSeq !== null && message.seq <= this.#lastSeq) break;
        this.#lastSeq = message.seq;
        this.#ready = true;
        const change = { type: message.change_type, rows: message.rows ?? [], seq: message.seq };
        if (message.old_values !== undefined) change.oldValues = message.old_values;
        this.#onChange(change);
        break;
      }
      case 'error':
        if (message.code === 'resync_required' || message.code === 'schema_changed') {
          // The server no longer has the changes after lastSeq, or the table was altered
          // (the new columns come with the next subscription_ack): start over.
          this.#lastSeq = null;
          this.#ready = false;
          this.#resuming = false;
          this._send();  // says 'resync' first
          break;
        }
        this._closed = true;
        this.#client._forget(this.id);
        this.#onError(new TenantdbError(message.code, message.message, { subscriptionId: this.id }));
        break;
      default:
        break;
    }
  }
}
