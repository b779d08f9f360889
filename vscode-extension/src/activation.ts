// Wires the server controller, the commands and the language status item,
// and starts the server once the workspace has something to check. Kept free
// of vscode-languageclient (the client factory is passed in) so it can be
// tested without VS Code.

import * as vscode from "vscode";
import { explainRuleCommand, fixAllCommand, RULE_DOC_SCHEME, RuleDocProvider } from "./commands";
import { combinedGlob, documentSelector, isWatchedPath } from "./selector";
import { ClientFactory, ServerController, SHOW_LOGS_COMMAND } from "./server";
import { welcomeOnce } from "./welcome";

/** Whether an open document or a workspace file is one the server checks. */
async function workspaceHasWatchedFiles(): Promise<boolean> {
  if (vscode.workspace.textDocuments.some((d) => d.uri.scheme === "file" && isWatchedPath(d.uri.fsPath))) {
    return true;
  }
  const found = await vscode.workspace.findFiles(combinedGlob(), "**/node_modules/**", 1);
  return found.length > 0;
}

export const COMMANDS = [
  "exchangeAuthLint.restartServer",
  SHOW_LOGS_COMMAND,
  "exchangeAuthLint.fixAll",
  "exchangeAuthLint.explainRule",
] as const;

export async function activateWith(
  context: Pick<vscode.ExtensionContext, "subscriptions" | "extensionPath"> &
    Partial<Pick<vscode.ExtensionContext, "globalState">>,
  createClient: ClientFactory,
): Promise<ServerController> {
  const log = vscode.window.createOutputChannel("Exchange Auth Lint", { log: true });
  const status = vscode.languages.createLanguageStatusItem("exchangeAuthLint.server", documentSelector());
  const server = new ServerController({
    extensionPath: context.extensionPath,
    log,
    status,
    createClient,
  });
  const docs = new RuleDocProvider();

  context.subscriptions.push(
    log,
    status,
    docs,
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOC_SCHEME, docs),
    vscode.commands.registerCommand("exchangeAuthLint.restartServer", () => server.restart()),
    vscode.commands.registerCommand(SHOW_LOGS_COMMAND, () => log.show()),
    vscode.commands.registerCommand("exchangeAuthLint.fixAll", () => fixAllCommand(server, log)),
    vscode.commands.registerCommand("exchangeAuthLint.explainRule", (id?: unknown) =>
      explainRuleCommand(server, docs, log, id),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => void server.onConfigurationChanged(e)),
  );

  // Activation also happens on any XML file; start the server only when
  // there is something for it to check.
  // Not awaited: the notification waits for the user.
  void welcomeOnce(context.globalState);
  if (await workspaceHasWatchedFiles()) {
    await server.start();
  } else {
    const waiting = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.uri.scheme === "file" && isWatchedPath(doc.uri.fsPath)) {
        waiting.dispose();
        void server.start();
      }
    });
    context.subscriptions.push(waiting);
  }
  return server;
}
