/** Command ids the server executes (`workspace/executeCommand`); kept apart so start-up loads nothing else. */
export const Commands = {
  ScanWorkspace: 'shippi.scanWorkspace',
  ClearResults: 'shippi.clearResults',
  ShowRuleDocs: 'shippi.showRuleDocs',
  AddToBaseline: 'shippi.addToBaseline',
} as const;
