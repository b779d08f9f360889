// Entry point.

import * as vscode from "vscode";
import { activateWith } from "./activation";
import { createLanguageClient } from "./client";
import { ServerController } from "./server";

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  controller = await activateWith(context, createLanguageClient);
}

export async function deactivate(): Promise<void> {
  const c = controller;
  controller = undefined;
  await c?.dispose();
}
