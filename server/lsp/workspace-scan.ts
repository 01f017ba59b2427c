/**
 * `shippi.scanWorkspace`: scan every workspace folder on disk and publish findings for files that are not
 * open (open documents keep their live results). Reports work-done progress and stops when cancelled.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scanTree } from '../workspace/scan-tree.js';
import { toDiagnostic } from './convert.js';
import type { ShippiService } from './service.js';
import { mergeEngineConfig } from './settings.js';
import type { Cancel } from '../engine/index.js';

/** Work-done progress as the scan reports it. */
export interface ScanProgress {
  report(percentage: number | undefined, message: string): void;
}

/** What a workspace scan found. */
export interface WorkspaceScanSummary {
  readonly files: number;
  readonly findings: number;
  /** URIs that received diagnostics (so `shippi.clearResults` can clear them). */
  readonly uris: string[];
}

/** Scan all workspace folders; `isOpen` tells which URIs the editor has open. Rejects with CancelledError. */
export async function scanWorkspace(
  service: ShippiService,
  isOpen: (uri: string) => boolean,
  progress: ScanProgress,
  cancel: Cancel,
): Promise<WorkspaceScanSummary> {
  let files = 0;
  let count = 0;
  const uris: string[] = [];
  const publishing: Promise<void>[] = [];
  for (const project of service.allProjects) {
    const config = project.config;
    await scanTree({
      paths: ['.'],
      cwd: project.root,
      engine: mergeEngineConfig(service.effective, config),
      ...(config?.ignore ? { ignore: config.ignore } : {}),
      ...(config?.maxFileBytes ? { maxFileBytes: config.maxFileBytes } : {}),
      cancel,
      onProgress: (p) => progress.report(undefined, `${p.files} files scanned`),
      onFile: (r) => {
        files++;
        const uri = pathToFileURL(r.path).href;
        if (isOpen(uri)) return;
        const file = project.baselineFile(r.path);
        const findings = r.findings.filter((f) => !project.baseline.has({ file, ruleId: f.ruleId, fingerprint: f.fingerprint }));
        if (findings.length === 0) return;
        count += findings.length;
        uris.push(uri);
        // Positions need the text; only files with findings are read again.
        publishing.push(readFile(r.path, 'utf8').then((text) => {
          const doc = TextDocument.create(uri, 'plaintext', 0, text);
          service.client.publishDiagnostics({ uri, diagnostics: findings.map((f) => toDiagnostic(f, doc)) });
        }, () => undefined));
      },
    });
  }
  await Promise.all(publishing);
  return { files, findings: count, uris };
}
