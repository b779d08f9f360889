// The first activation in a Salesforce DX project: one notification that
// says what the extension does, with a button to its walkthrough
// (contributes.walkthroughs in package.json). Shown once per machine.

import * as vscode from "vscode";

/** `publisher.name#walkthrough-id`, as `workbench.action.openWalkthrough` takes it. */
export const WALKTHROUGH = "exchange-auth-lint.exchange-auth-lint#exchangeAuthLint.gettingStarted";
export const WELCOMED_KEY = "exchangeAuthLint.welcomed";
export const GET_STARTED = "Get Started";

export async function welcomeOnce(state: vscode.Memento | undefined): Promise<void> {
  if (!state || state.get<boolean>(WELCOMED_KEY)) {
    return;
  }
  const projects = await vscode.workspace.findFiles("**/sfdx-project.json", "**/node_modules/**", 1);
  if (projects.length === 0) {
    return;
  }
  await state.update(WELCOMED_KEY, true);
  const pick = await vscode.window.showInformationMessage(
    "Exchange Auth Lint checks this Salesforce DX project for Exchange basic authentication, EWS and Lightning Sync set-ups, and fixes them.",
    GET_STARTED,
  );
  if (pick === GET_STARTED) {
    await vscode.commands.executeCommand("workbench.action.openWalkthrough", WALKTHROUGH, false);
  }
}
