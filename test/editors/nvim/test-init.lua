-- Drives a real headless Neovim for test/editors/nvim.test.ts: open the target file through the Shippi plugin,
-- wait for the expected diagnostic codes, apply the preferred quick fix for one code through Neovim's own
-- workspace-edit machinery, wait for that code to disappear, and write what happened as JSON.
local function env(name)
  local value = os.getenv(name)
  if value == nil then error(name .. ' is not set') end
  return value
end
vim.opt.rtp:prepend(env('SHIPPI_NVIM_DIR'))
vim.opt.swapfile = false

local result = { steps = {} }
local function finish()
  local f = assert(io.open(env('SHIPPI_RESULT'), 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end
local function step(name) table.insert(result.steps, name) end

local function codes(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if d.source == 'shippi' and code then table.insert(out, code) end
  end
  table.sort(out)
  return out
end

local function has(list, value) return vim.tbl_contains(list, value) end

local function run()
  local expected = vim.fn.json_decode(env('SHIPPI_EXPECT'))
  local fix_code = env('SHIPPI_FIX_CODE')
  local settings = os.getenv('SHIPPI_SETTINGS')
  require('shippi').setup({ cmd = vim.fn.json_decode(env('SHIPPI_CMD')), settings = settings and vim.fn.json_decode(settings) or nil })
  vim.cmd('edit ' .. vim.fn.fnameescape(env('SHIPPI_TARGET')))
  local bufnr = vim.api.nvim_get_current_buf()
  step('opened:' .. vim.bo.filetype)

  local arrived = vim.wait(20000, function()
    local now = codes(bufnr)
    for _, c in ipairs(expected) do if not has(now, c) then return false end end
    return true
  end, 50)
  result.before = codes(bufnr)
  if not arrived then step('timeout waiting for diagnostics'); return finish() end

  local client = vim.lsp.get_active_clients({ name = 'shippi' })[1] or vim.lsp.get_active_clients()[1]
  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if (d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)) == fix_code then target = d end
  end
  local lsp_diag = {
    range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } },
    message = target.message, source = target.source, code = fix_code,
    data = target.user_data and target.user_data.lsp and target.user_data.lsp.data,
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }, 10000)
  local action
  for _, r in pairs(responses or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.isPreferred and a.edit and not action then action = a end
    end
  end
  if not action then step('no preferred quick fix'); return finish() end
  result.action = action.title
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  step('applied')

  local gone = vim.wait(20000, function() return not has(codes(bufnr), fix_code) end, 50)
  -- Let any late (stale) publish arrive before reading the final state.
  vim.wait(500, function() return false end, 50)
  result.after = codes(bufnr)
  result.fixed = gone
  result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  finish()
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    vim.schedule(function()
      local ok, err = pcall(run)
      if not ok then result.error = tostring(err); finish() end
    end)
  end,
})
