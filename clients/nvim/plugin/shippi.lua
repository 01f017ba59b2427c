-- User commands for Shippi; the server starts only after require('shippi').setup().
if vim.g.loaded_shippi then return end
vim.g.loaded_shippi = true

vim.api.nvim_create_user_command('ShippiScanWorkspace', function()
  require('shippi').command('shippi.scanWorkspace', {})
end, { desc = 'Shippi: scan the whole workspace' })

vim.api.nvim_create_user_command('ShippiClearResults', function()
  require('shippi').command('shippi.clearResults', {})
end, { desc = 'Shippi: clear all Shippi diagnostics' })

vim.api.nvim_create_user_command('ShippiRuleDocs', function(opts)
  require('shippi').command('shippi.showRuleDocs', { { ruleId = opts.args } })
end, { nargs = 1, desc = 'Shippi: show a rule\'s documentation' })
