/**
 * The language server: vscode-languageserver glue only. Each handler is a few lines that forward to the
 * service (service.ts) or the scheduler (scheduler.ts). The engine and service load in the background after
 * `initialize` (see runtime.ts), so the editor gets its answer at once.
 */
import type { CancellationToken, Connection, InitializeParams, InitializeResult, WorkspaceFolder } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Cancel } from '../engine/index.js';
import type { ClientFeatures, LspClient } from './client.js';
import { Commands } from './commands.js';
import * as check from './params.js';
import { lsp } from './protocol.js';
import { DiagnosticScheduler } from './scheduler.js';
import { uriToPath } from './uri.js';

type Runtime = typeof import('./runtime.js');
type Service = import('./runtime.js').ShippiService;

/** Either token cancels. */
function anyOf(a: Cancel, b: Cancel | undefined): Cancel {
  return { get isCancellationRequested() { return a.isCancellationRequested || b?.isCancellationRequested === true; } };
}

/** Run a request's work; the engine's CancelledError becomes LSP's RequestCancelled error. */
function answer<T>(rt: Runtime, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof rt.CancelledError) throw new lsp.ResponseError(lsp.LSPErrorCodes.RequestCancelled, 'request cancelled');
    throw err;
  }
}

/** Settings that say nothing: null, an empty object, or a Lua client's empty table (`[]`). */
function isBlank(settings: unknown): boolean {
  if (settings === null || settings === undefined) return true;
  if (Array.isArray(settings)) return settings.length === 0;
  return typeof settings === 'object' && Object.keys(settings).length === 0;
}

/** Workspace roots from initialize params (folders, else rootUri, else rootPath). */
function rootsOf(params: InitializeParams): string[] {
  const folders: readonly WorkspaceFolder[] = Array.isArray(params?.workspaceFolders) ? params.workspaceFolders : [];
  const fromFolders = folders.map((f) => uriToPath(String(f?.uri))).filter((p): p is string => p !== undefined);
  if (fromFolders.length) return fromFolders;
  const root = typeof params?.rootUri === 'string' ? uriToPath(params.rootUri) : typeof params?.rootPath === 'string' ? params.rootPath : undefined;
  return root ? [root] : [];
}

/** An LspClient speaking over the connection. */
function connectionClient(connection: Connection, pull: boolean): LspClient {
  return {
    publishDiagnostics: (p) => void connection.sendDiagnostics(p),
    showMessage: (type, message) => void connection.sendNotification('window/showMessage', { type, message }),
    log: (message) => connection.console.log(message),
    showDocument: async (uri) => {
      try {
        return (await connection.window.showDocument({ uri, external: true })).success;
      } catch {
        return false;
      }
    },
    refreshDiagnostics: () => {
      if (pull) void connection.languages.diagnostics.refresh().catch(() => undefined);
    },
  };
}

/** Wire a connection to a new Shippi service and start listening. */
export function startServer(connection: Connection): void {
  const documents = new lsp.TextDocuments(TextDocument);
  let loading: Promise<{ rt: Runtime; service: Service }> | undefined;
  let shuttingDown = false;
  let dynamicWatch = false;
  let dynamicConfig = false;
  let configPull = false;
  let folderChanges = false;
  const justOpened = new Set<string>();
  const scanned = new Set<string>();

  /** The runtime and service, or the error LSP prescribes for a request before `initialize` or after `shutdown`. */
  const need = (): Promise<{ rt: Runtime; service: Service }> => {
    if (!loading) throw new lsp.ResponseError(lsp.ErrorCodes.ServerNotInitialized, 'the server has not been initialized');
    if (shuttingDown) throw new lsp.ResponseError(lsp.ErrorCodes.InvalidRequest, 'the server is shutting down');
    return loading;
  };
  let ready: Service | undefined;
  /** For notifications: LSP drops them before `initialize` (and we do after `shutdown`) instead of failing. */
  const loadedOrDrop = (): Promise<{ rt: Runtime; service: Service }> | undefined => (loading && !shuttingDown ? loading : undefined);

  const scheduler = new DiagnosticScheduler({
    document: (uri) => documents.get(uri),
    delayFor: (doc) => ready?.debounceFor(doc) ?? 0,
    onError: (err) => connection.console.error(`analysis failed: ${err instanceof Error ? err.message : String(err)}`),
    run: async (doc, token) => {
      const loaded = loadedOrDrop();
      if (!loaded) return;
      const { rt, service } = await loaded;
      const current = (): boolean => !token.isCancellationRequested && documents.get(doc.uri)?.version === doc.version;
      if (!current()) return;
      try {
        const report = service.report(doc, token);
        // Never publish for a version the editor has already moved past.
        if (current() && service.effective.pushDiagnostics !== false) {
          service.client.publishDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: report.diagnostics });
        }
      } catch (err) {
        if (!(err instanceof rt.CancelledError)) service.client.log(`analysis of ${doc.uri} failed: ${(err as Error).message}`);
      }
    },
  });
  const rescanAll = (service: Service): void => {
    for (const doc of documents.all()) scheduler.schedule(doc.uri, true);
    service.client.refreshDiagnostics();
  };

  connection.onInitialize((params): InitializeResult => {
    // Tolerate a sparse or sloppy initialize: missing capabilities mean "supports nothing optional".
    const caps = params?.capabilities ?? {};
    const features: ClientFeatures = {
      versionedEdits: caps.workspace?.workspaceEdit?.documentChanges === true,
      pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
    };
    dynamicWatch = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    dynamicConfig = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    configPull = caps.workspace?.configuration === true;
    folderChanges = caps.workspace?.workspaceFolders === true;
    const roots = rootsOf(params);
    loading = import('./runtime.js').then(async (rt) => {
      const client = connectionClient(connection, features.pullDiagnostics);
      const service = rt.createService({ client, features, roots, trace: Boolean(process.env.SHIPPI_DEBUG) });
      service.updateSettings(params?.initializationOptions);
      await service.reloadProjects();
      ready = service;
      return { rt, service };
    });
    // Documents the client opened before initializing (a protocol error we tolerate) get analysed now.
    void loading.then(({ service }) => rescanAll(service));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: lsp.TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [lsp.CodeActionKind.QuickFix], resolveProvider: false },
        hoverProvider: true,
        executeCommandProvider: { commands: Object.values(Commands) },
        ...(features.pullDiagnostics ? { diagnosticProvider: { identifier: 'shippi', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        ...(folderChanges ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'shippi' },
    };
  });

  connection.onInitialized(async () => {
    const loaded = loadedOrDrop();
    if (!loaded) return;
    const { service } = await loaded;
    if (dynamicWatch) {
      const baselines = service.allProjects.map((p) => ({ globPattern: p.baselinePath }));
      void connection.client.register(lsp.DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.shippi.json' }, ...baselines] }).catch(() => undefined);
    }
    if (dynamicConfig) void connection.client.register(lsp.DidChangeConfigurationNotification.type, { section: 'shippi' }).catch(() => undefined);
    if (folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
        const paths = (list: readonly WorkspaceFolder[] | undefined) => (list ?? []).map((f) => uriToPath(String(f?.uri))).filter((x): x is string => x !== undefined);
        await service.changeFolders(paths(e?.added), paths(e?.removed));
        rescanAll(service);
      });
    }
  });

  documents.onDidOpen((e) => justOpened.add(e.document.uri));
  documents.onDidChangeContent((e) => scheduler.schedule(e.document.uri, justOpened.delete(e.document.uri)));
  documents.onDidClose((e) => {
    scheduler.cancel(e.document.uri);
    ready?.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  documents.onDidSave(async (e) => {
    const loaded = loadedOrDrop();
    if (!loaded) return;
    const { service } = await loaded;
    const path = uriToPath(e.document.uri);
    if (path !== undefined && service.isProjectFile(path)) {
      await service.reloadProjects(path);
      rescanAll(service);
    }
  });

  connection.onDidChangeWatchedFiles(async (p) => {
    const loaded = loadedOrDrop();
    if (!loaded) return;
    const { service } = await loaded;
    const paths = (Array.isArray(p?.changes) ? p.changes : []).map((c) => uriToPath(String(c?.uri))).filter((x): x is string => x !== undefined);
    const relevant = paths.filter((x) => service.isProjectFile(x) || x.endsWith('/.shippi.json'));
    if (relevant.length === 0) return;
    for (const path of relevant) await service.reloadProjects(path);
    rescanAll(service);
  });

  connection.onDidChangeConfiguration(async (p) => {
    const loaded = loadedOrDrop();
    if (!loaded) return;
    const { service } = await loaded;
    let settings: unknown = p?.settings;
    if (isBlank(settings) && configPull) {
      settings = await connection.workspace.getConfiguration('shippi').catch(() => undefined);
    }
    // Clients send a blank notification just to say "something may have changed" (eglot does so right after
    // initialize); it carries no settings, so it must not wipe the initializationOptions.
    if (isBlank(settings)) return;
    if (service.updateSettings(settings)) rescanAll(service);
  });

  connection.onCodeAction(async (p, token) => {
    const loaded = need();
    const uri = check.documentUri(p);
    const range = check.range(p);
    check.contextDiagnostics(p);
    const { rt, service } = await loaded;
    const doc = documents.get(uri);
    return doc ? answer(rt, () => service.codeActions(doc, range, p.context, token)) : [];
  });

  connection.onHover(async (p, token) => {
    const loaded = need();
    const uri = check.documentUri(p);
    const position = check.position(p);
    const { rt, service } = await loaded;
    const doc = documents.get(uri);
    return doc ? answer(rt, () => service.hover(doc, position, token)) : null;
  });

  connection.languages.diagnostics.on(async (p, token) => {
    const loaded = need();
    const uri = check.documentUri(p);
    const { rt, service } = await loaded;
    const doc = documents.get(uri);
    if (!doc) return { kind: lsp.DocumentDiagnosticReportKind.Full, items: [] };
    const resultId = service.resultId(doc);
    if (p.previousResultId === resultId) return { kind: lsp.DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: lsp.DocumentDiagnosticReportKind.Full, resultId, items: answer(rt, () => service.report(doc, token).diagnostics) };
  });

  connection.onExecuteCommand(async (p, token, workDone) => {
    const { rt, service } = await need();
    switch (p.command) {
      case Commands.AddToBaseline: {
        const args = check.stringArgs(p.arguments, p.command, ['uri', 'ruleId', 'fingerprint']);
        try {
          await service.addToBaseline(args);
        } catch (err) {
          throw new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, (err as Error).message);
        }
        rescanAll(service);
        return null;
      }
      case Commands.ClearResults: {
        for (const uri of [...scanned, ...documents.keys()]) void connection.sendDiagnostics({ uri, diagnostics: [] });
        scanned.clear();
        service.forgetAll();
        return null;
      }
      case Commands.ShowRuleDocs: {
        const { ruleId } = check.stringArgs(p.arguments, p.command, ['ruleId']);
        const rule = rt.ruleById(ruleId);
        if (!rule) throw new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, `${p.command}: unknown rule ${ruleId}`);
        void service.client.showDocument(rt.ruleDocsUrl(ruleId));
        return { ruleId, url: rt.ruleDocsUrl(ruleId), markdown: rt.ruleMarkdown(rule) };
      }
      case Commands.ScanWorkspace: {
        // Progress on the client's token if it sent one, else one we create (cancellable from the editor's UI).
        const own = p.workDoneToken === undefined ? await connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
        const progress = own ?? workDone;
        const cancel = anyOf(token, own?.token as CancellationToken | undefined);
        progress.begin('Shippi: scanning workspace', undefined, 'starting', true);
        try {
          const summary = await rt.scanWorkspace(service, (uri) => documents.get(uri) !== undefined, { report: (_pct, message) => progress.report(message) }, cancel);
          for (const uri of summary.uris) scanned.add(uri);
          return { files: summary.files, findings: summary.findings };
        } catch (err) {
          if (err instanceof rt.CancelledError) throw new lsp.ResponseError(lsp.LSPErrorCodes.RequestCancelled, 'workspace scan cancelled');
          throw err;
        } finally {
          progress.done();
        }
      }
      default:
        throw new lsp.ResponseError(lsp.ErrorCodes.InvalidParams, `unknown command ${p.command}`);
    }
  });

  connection.onShutdown(async () => {
    await need();
    shuttingDown = true;
    scheduler.dispose();
  });
  // Methods we do not implement: MethodNotFound, but the lifecycle errors take precedence.
  connection.onRequest((method) => {
    void need();
    throw new lsp.ResponseError(lsp.ErrorCodes.MethodNotFound, `unhandled method ${method}`);
  });
  documents.listen(connection);
  connection.listen();
}
