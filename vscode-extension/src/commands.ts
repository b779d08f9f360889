// The commands: restart, logs, fix all, explain rule.

import * as vscode from "vscode";
import { BinaryProblem } from "./binary";
import { explainRule, listRules } from "./cli";
import { ServerController } from "./server";

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("exchange-auth-lint");
export const RULE_DOC_SCHEME = "exchange-auth-lint-rule";

/**
 * Read-only documents `exchange-auth-lint-rule:/EXO001.md` holding the output
 * of `exchange-auth-lint explain EXO001` (no "save changes?" on close, unlike
 * an untitled document).
 */
export class RuleDocProvider implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  static uriFor(id: string): vscode.Uri {
    return vscode.Uri.from({ scheme: RULE_DOC_SCHEME, path: `/${id}.md` });
  }

  set(id: string, markdown: string): vscode.Uri {
    const uri = RuleDocProvider.uriFor(id);
    this.docs.set(uri.path, markdown);
    this.emitter.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.path) ?? `No documentation loaded for ${uri.path.slice(1)}.`;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function binaryOrReport(controller: ServerController): string | undefined {
  try {
    return controller.resolveBinary().path;
  } catch (e) {
    if (e instanceof BinaryProblem) {
      controller.reportBinaryProblem(e);
      return undefined;
    }
    throw e;
  }
}

/**
 * Exchange Auth Lint: Explain Rule. With a rule id argument (from a hover
 * link) it opens that rule; otherwise it offers a quick pick of all rules.
 */
export async function explainRuleCommand(
  controller: ServerController,
  docs: RuleDocProvider,
  log: vscode.LogOutputChannel,
  ruleId?: unknown,
): Promise<void> {
  const binary = binaryOrReport(controller);
  if (!binary) {
    return;
  }
  try {
    let id = typeof ruleId === "string" && ruleId.trim() !== "" ? ruleId.trim() : undefined;
    if (!id) {
      const rules = await listRules(binary);
      const picked = await vscode.window.showQuickPick(
        rules.map((r) => ({
          label: r.id,
          description: r.name,
          detail: [r.summary, r.fixable ? "fix available" : undefined].filter(Boolean).join(" — "),
        })),
        { title: "Explain an exchange-auth-lint rule", placeHolder: "Rule id or name", matchOnDescription: true, matchOnDetail: true },
      );
      if (!picked) {
        return;
      }
      id = picked.label;
    }
    const uri = docs.set(id, await explainRule(binary, id));
    try {
      await vscode.commands.executeCommand("markdown.showPreview", uri);
    } catch {
      // Without the built-in Markdown extension: show the source.
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(message);
    void vscode.window.showErrorMessage(`Exchange Auth Lint: ${message}`);
  }
}

export interface FixAllResult {
  files: number;
  actions: number;
}

/**
 * Exchange Auth Lint: Fix All Auto-fixable Problems. For every file the
 * server has reported problems in (the whole project, open or not), asks the
 * server for its `source.fixAll.exchange-auth-lint` action and applies it as a
 * workspace edit: changes land in editor buffers (undoable, unsaved) so they
 * can be reviewed before saving.
 */
export async function fixAllCommand(controller: ServerController, log: vscode.LogOutputChannel): Promise<FixAllResult> {
  const client = controller.runningClient;
  if (!client) {
    void vscode.window.showWarningMessage(
      "Exchange Auth Lint: the server is not running. Run “Exchange Auth Lint: Restart Server” or see the logs.",
    );
    return { files: 0, actions: 0 };
  }
  const uris = client.diagnosedUris();
  const result: FixAllResult = { files: 0, actions: 0 };
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Exchange Auth Lint: fixing", cancellable: true },
    async (progress, token) => {
      for (const [i, uri] of uris.entries()) {
        if (token.isCancellationRequested) {
          break;
        }
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / Math.max(uris.length, 1) });
        const doc = await vscode.workspace.openTextDocument(uri);
        const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
        const actions =
          (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
            "vscode.executeCodeActionProvider",
            uri,
            whole,
            FIX_ALL_KIND.value,
          )) ?? [];
        let applied = 0;
        for (const action of actions) {
          if (!("kind" in action) || !action.kind || !FIX_ALL_KIND.contains(action.kind)) {
            continue;
          }
          if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) {
            log.warn(`Fix all: the edit for ${uri.toString()} could not be applied`);
            continue;
          }
          if (action.command) {
            await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
          }
          applied++;
        }
        if (applied > 0) {
          result.files++;
          result.actions += applied;
        }
        log.info(`Fix all: ${uri.fsPath}: ${applied} action(s) applied (${i + 1}/${uris.length})`);
      }
    },
  );
  const message =
    result.actions === 0
      ? "Exchange Auth Lint: no auto-fixable problems found."
      : `Exchange Auth Lint: fixed problems in ${result.files} file(s). Review the changes, then save (File > Save All).`;
  void vscode.window.showInformationMessage(message);
  return result;
}
