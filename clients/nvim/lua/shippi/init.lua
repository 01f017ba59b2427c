-- Shippi for Neovim: starts `shippi lsp --stdio` for the configured filetypes, one client per project root.
-- Works on Neovim 0.7 (vim.lsp.start_client + autocmds) and newer (vim.lsp.start, 0.8+).
local M = {}

M.defaults = {
  -- The server command; any list accepted by vim.lsp.start_client's `cmd`.
  cmd = { 'shippi', 'lsp', '--stdio' },
  -- Filetypes to analyse. Use { '*' } for every buffer.
  filetypes = {
    'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python', 'sh', 'bash', 'zsh', 'go',
    'java', 'kotlin', 'cs', 'c', 'cpp', 'rust', 'ruby', 'php', 'swift', 'html', 'vue', 'svelte', 'markdown',
    'xml', 'json', 'jsonc', 'yaml', 'toml', 'dosini', 'conf', 'dockerfile', 'terraform', 'hcl', 'sql', 'lua',
    'lisp', 'text',
  },
  -- A directory holding one of these is the project root (where .shippi.json and the baseline live).
  root_markers = { '.shippi.json', '.git' },
  -- Sent as initializationOptions and as the `shippi` settings section (same keys as .shippi.json, plus
  -- debounceMs, maxDocumentBytes, timeBudgetMs).
  settings = {},
  on_attach = nil,
  capabilities = nil,
}

local config = vim.deepcopy(M.defaults)
local clients = {} -- root directory -> client id

local function find_root(path)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local start = dir
  while true do
    for _, marker in ipairs(config.root_markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then return start end
    dir = parent
  end
end

local function client_config(root)
  local settings = vim.tbl_isempty(config.settings) and vim.empty_dict() or config.settings
  return {
    name = 'shippi',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = settings,
    settings = { shippi = settings },
    on_attach = config.on_attach,
    capabilities = config.capabilities,
  }
end

-- Neovim 0.7 has only vim.lsp.start_client: keep one client per root ourselves.
local function legacy_client_for(root)
  local id = clients[root]
  local existing = id and vim.lsp.get_client_by_id(id)
  if existing and not existing.is_stopped() then return id end
  id = vim.lsp.start_client(client_config(root))
  clients[root] = id
  return id
end

--- Attach Shippi to a buffer (the FileType autocmd calls this; call it yourself for other buffers).
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.api.nvim_buf_get_option(bufnr, 'buftype') ~= '' then return end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == '' then return end
  local root = find_root(name)
  if vim.lsp.start then
    -- 0.8+: vim.lsp.start reuses the client with the same name and root, and attaches the buffer.
    vim.lsp.start(client_config(root), { bufnr = bufnr })
    return
  end
  local id = legacy_client_for(root)
  if id then vim.lsp.buf_attach_client(bufnr, id) end
end

--- Run a Shippi command on the server attached to the current buffer.
function M.command(name, args)
  vim.lsp.buf.execute_command({ command = name, arguments = args })
end

--- Configure Shippi: require('shippi').setup({ cmd = …, filetypes = …, settings = … }).
function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  -- Lists replace rather than merge, so `filetypes = { 'python' }` means only Python.
  if opts and opts.filetypes then config.filetypes = opts.filetypes end
  if opts and opts.cmd then config.cmd = opts.cmd end
  if opts and opts.root_markers then config.root_markers = opts.root_markers end
  local group = vim.api.nvim_create_augroup('shippi', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args) M.attach(args.buf) end,
  })
  -- Buffers already open when setup runs.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    local ft = vim.api.nvim_buf_get_option(buf, 'filetype')
    if vim.api.nvim_buf_is_loaded(buf) and ft ~= '' and (vim.tbl_contains(config.filetypes, ft) or vim.tbl_contains(config.filetypes, '*')) then
      M.attach(buf)
    end
  end
end

return M
