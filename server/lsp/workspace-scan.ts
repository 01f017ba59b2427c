/**
 * `shippi.scanWorkspace`: scan every workspace folder on disk and publish findings for files that are not
 * open (open documents keep their live results). Reports work-done progress and stops when cancelled.
 */
import { pathToFileURL } from 'node:url';
import { scanTree } from '../workspace/scan-tree.js';
import { diagnosticAt } from './convert.js';
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
        // Ranges come from the scan's locations (1-based lines and UTF-16 columns, as LSP counts them 0-based).
        const diagnostics = r.findings.flatMap((f, i) => {
          if (project.baseline.has({ file, ruleId: f.ruleId, fingerprint: f.fingerprint })) return [];
          const at = r.locations[i]!;
          return [diagnosticAt(f, { start: { line: at.line - 1, character: at.column - 1 }, end: { line: at.endLine - 1, character: at.endColumn - 1 } }, 0)];
        });
        if (diagnostics.length === 0) return;
        count += diagnostics.length;
        uris.push(uri);
        service.client.publishDiagnostics({ uri, diagnostics });
      },
    });
  }
  return { files, findings: count, uris };
}
