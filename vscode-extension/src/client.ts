// The real language client: `exchange-auth-lint server` over stdio
// (vscode-languageclient appends `--stdio`, which the server accepts).

import * as vscode from "vscode";
import {
  ClientCapabilities,
  DidChangeConfigurationNotification,
  FeatureState,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import { ResolvedBinary } from "./binary";
import { combinedGlob, documentSelector } from "./selector";
import { configurationAnswers, SECTION, ServerSettings } from "./settings";
import { Client, ClientFactory } from "./server";

export const CLIENT_ID = SECTION; // also the prefix of `exchangeAuthLint.trace.server`
export const CLIENT_NAME = "Exchange Auth Lint";
export const DIAGNOSTIC_COLLECTION = "exchange-auth-lint";
/** `Diagnostic.source` of the server's diagnostics (pushed or pulled). */
export const DIAGNOSTIC_SOURCE = "exchange-auth-lint";

/** The server's command that shows what a fix leaves to do in Setup. */
export const SHOW_FIX_NOTE = "exchangeAuthLint.showFixNote";
/** A client command without arguments standing in for it (see `resolveCodeAction` below). */
export const SHOW_LAST_FIX_NOTE = "exchangeAuthLint.showLastFixNote";

/** The extension's commands the server may put in hovers and code actions. */
export const CLIENT_COMMANDS = ["exchangeAuthLint.explainRule"];

/**
 * Tells the server which of the extension's commands it may link to
 * (`experimental.commands.commands`, as rust-analyzer has it): the hover's
 * "Full documentation" link and the "Show documentation for …" action then
 * open `explain` in VS Code instead of the web page.
 */
export const clientCommandsFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    const experimental = (capabilities.experimental ?? {}) as Record<string, unknown>;
    capabilities.experimental = { ...experimental, commands: { commands: CLIENT_COMMANDS } };
  },
  initialize(): void {},
  getState(): FeatureState {
    return { kind: "static" };
  },
  clear(): void {},
};

export function clientOptions(
  log: vscode.LogOutputChannel,
  watchers: vscode.Disposable[],
  rememberNote: (note: string) => void = () => undefined,
): LanguageClientOptions {
  // Project facts span files, so the server also hears about files changed
  // on disk (git checkout, sf project retrieve) that are not open.
  const metadataWatcher = vscode.workspace.createFileSystemWatcher(combinedGlob());
  const forceignoreWatcher = vscode.workspace.createFileSystemWatcher("**/.forceignore");
  watchers.push(metadataWatcher, forceignoreWatcher);
  return {
    documentSelector: documentSelector(),
    diagnosticCollectionName: DIAGNOSTIC_COLLECTION,
    outputChannel: log,
    synchronize: { fileEvents: [metadataWatcher, forceignoreWatcher] },
    markdown: { isTrusted: { enabledCommands: CLIENT_COMMANDS } },
    middleware: {
      // VS Code keeps a resolved code action's command arguments only while
      // the quick-fix list lives, so a command with arguments added by
      // `codeAction/resolve` can be gone ("Actual command not found") by the
      // time it runs after the edit. Run an argument-free client command
      // instead, which forwards the remembered note to the server.
      resolveCodeAction: async (item, token, next) => {
        const resolved = await next(item, token);
        const command = resolved?.command;
        if (resolved && command?.command === SHOW_FIX_NOTE && typeof command.arguments?.[0] === "string") {
          rememberNote(command.arguments[0]);
          resolved.command = { title: command.title, command: SHOW_LAST_FIX_NOTE };
        }
        return resolved;
      },
      workspace: {
        // The server pulls `exchangeAuthLint` and gets validated values.
        configuration: async (params, token, next) => {
          const defaults = await next(params, token);
          if (defaults instanceof ResponseError) {
            return defaults;
          }
          const answers = configurationAnswers(params.items, defaults, (scopeUri) =>
            scopeUri ? vscode.Uri.parse(scopeUri) : null,
          );
          if (params.items.some((item) => item.section?.startsWith(SECTION))) {
            log.info(`The server asked for its settings: ${JSON.stringify(answers)}`);
          }
          return answers;
        },
      },
    },
  };
}

export const createLanguageClient: ClientFactory = (binary: ResolvedBinary, log: vscode.LogOutputChannel): Client => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const serverOptions: ServerOptions = {
    command: binary.path,
    args: ["server"],
    transport: TransportKind.stdio,
    options: folder ? { cwd: folder } : {},
  };
  const watchers: vscode.Disposable[] = [];
  let lastNote: string | undefined;
  const client = new LanguageClient(
    CLIENT_ID,
    CLIENT_NAME,
    serverOptions,
    clientOptions(log, watchers, (note) => (lastNote = note)),
  );
  client.registerFeature(clientCommandsFeature);
  watchers.push(
    vscode.commands.registerCommand(SHOW_LAST_FIX_NOTE, async () => {
      const note = lastNote;
      lastNote = undefined;
      if (note !== undefined) {
        await client.sendRequest(ExecuteCommandRequest.type, { command: SHOW_FIX_NOTE, arguments: [note] });
      }
    }),
  );
  const disposeWatchers = () => {
    for (const w of watchers.splice(0)) {
      w.dispose();
    }
  };
  return {
    start: () => client.start(),
    stop: (timeout) => (client.needsStop() ? client.stop(timeout) : Promise.resolve()),
    sendSettings: (settings: ServerSettings) =>
      client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } }),
    onRunningChange: (listener) =>
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) {
          listener(true);
        } else if (e.newState === State.Stopped) {
          listener(false);
        }
      }),
    serverVersion: () => client.initializeResult?.serverInfo?.version,
    diagnosedUris: () => {
      // Pushed diagnostics live in the client's collection; pulled ones
      // (document and workspace pull) in collections VS Code owns.
      const uris = new Map<string, vscode.Uri>();
      client.diagnostics?.forEach((uri, diagnostics) => {
        if (diagnostics.length > 0) {
          uris.set(uri.toString(), uri);
        }
      });
      for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
        if (diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)) {
          uris.set(uri.toString(), uri);
        }
      }
      return [...uris.values()];
    },
    dispose: async () => {
      disposeWatchers();
      try {
        await client.dispose(2000);
      } catch {
        // the server is gone already
      }
    },
  };
};
