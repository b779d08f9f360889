-- Headless Neovim (0.7+) as an LSP client of `exchange-auth-lint server`.
-- Environment: EAL_BIN (server binary), EAL_ROOT (a scratch copy of the
-- demo project), EAL_RESULTS (file receiving "ok"/"not ok" lines).
local bin = assert(os.getenv('EAL_BIN'), 'EAL_BIN')
local root = assert(os.getenv('EAL_ROOT'), 'EAL_ROOT')
local results_path = assert(os.getenv('EAL_RESULTS'), 'EAL_RESULTS')
local results = assert(io.open(results_path, 'w'))
local failed = 0

local function check(name, cond, detail)
  if cond then
    results:write('ok - ' .. name .. '\n')
  else
    failed = failed + 1
    results:write('not ok - ' .. name .. ' -- ' .. tostring(detail) .. '\n')
  end
  results:flush()
end

local function main()
  -- A named credential with Japanese text before the flagged element on
  -- the same line, and CRLF line endings.
  local rel = '/force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml'
  local path = root .. rel
  local f = assert(io.open(path, 'rb'))
  local text = f:read('*a')
  f:close()
  text = text:gsub('\r\n', '\n')
  text = text:gsub('    <label>Exchange Sync Service</label>\n', '')
  text = text:gsub('    <protocol>Password</protocol>',
    '    <label>同期サービス 🎉</label><protocol>Password</protocol>')
  text = text:gsub('\n', '\r\n')
  f = assert(io.open(path, 'wb'))
  f:write(text)
  f:close()

  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  check('buffer is CRLF', vim.bo[bufnr].fileformat == 'dos', vim.bo[bufnr].fileformat)

  local client_id = vim.lsp.start_client({
    name = 'exchange-auth-lint',
    cmd = { bin, 'server' },
    root_dir = root,
    init_options = { asOf = '2026-11-24' },
    settings = { exchangeAuthLint = { asOf = '2026-11-24' } },
  })
  check('client started', client_id ~= nil, 'start_client returned nil')
  vim.lsp.buf_attach_client(bufnr, client_id)

  local got = vim.wait(30000, function()
    return #vim.diagnostic.get(bufnr) >= 3
  end, 100)
  local diags = vim.diagnostic.get(bufnr)
  check('diagnostics arrive', got, #diags .. ' diagnostics')

  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local exo
  for _, d in ipairs(diags) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if code == 'EXO001' then exo = d end
  end
  check('EXO001 is reported', exo ~= nil, vim.inspect(diags))
  if exo then
    local want_line, want_col
    for i, l in ipairs(lines) do
      local c = l:find('<protocol>', 1, true)
      if c then want_line, want_col = i - 1, c - 1 end
    end
    check('EXO001 line', exo.lnum == want_line, exo.lnum .. ' ~= ' .. tostring(want_line))
    -- Neovim columns are bytes: right only if the server's UTF-16 columns
    -- counted the Japanese text and the emoji correctly.
    check('EXO001 column after Japanese text', exo.col == want_col, exo.col .. ' ~= ' .. tostring(want_col))
    local want_end = want_col + #'<protocol>Password</protocol>'
    check('EXO001 end column', exo.end_col == want_end and exo.end_lnum == want_line,
      exo.end_lnum .. ':' .. exo.end_col .. ' ~= ' .. want_line .. ':' .. want_end)

    local lsp_range = {
      start = { line = exo.lnum, character = select(2, vim.str_utfindex(lines[exo.lnum + 1], exo.col)) },
      ['end'] = { line = exo.end_lnum, character = select(2, vim.str_utfindex(lines[exo.end_lnum + 1], exo.end_col)) },
    }
    local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = lsp_range,
      context = { diagnostics = {} },
    }, 15000)
    local titles = {}
    for _, r in pairs(responses or {}) do
      for _, a in ipairs(r.result or {}) do
        table.insert(titles, a.title)
      end
    end
    check('code actions returned', vim.tbl_contains(titles, 'Disable EXO001 for this element'), vim.inspect(titles))

    -- "Convert to OAuth 2.0" as a user applies it: vim.lsp.buf.code_action()
    -- on the flagged line, the fix picked in the menu (vim.ui.select). It
    -- creates a file: Neovim lists `create` but not `documentChanges`.
    vim.api.nvim_win_set_cursor(0, { exo.lnum + 1, exo.col + 1 })
    local picked
    vim.ui.select = function(items, _, on_choice)
      for i, item in ipairs(items) do
        if item[2].title:find('Convert to OAuth 2.0', 1, true) == 1 then
          picked = item[2].title
          return on_choice(item, i)
        end
      end
      picked = false
      on_choice(nil, nil)
    end
    vim.lsp.buf.code_action()
    vim.wait(15000, function() return picked ~= nil end, 50)
    check('convert fix offered', picked, vim.inspect(titles))
    local ec_path = root .. '/force-app/main/default/externalCredentials/Exchange_Sync_Service_Graph.externalCredential-meta.xml'
    local function buffer_text(path)
      local b = vim.fn.bufnr(path)
      if b == -1 or not vim.api.nvim_buf_is_loaded(b) then return '' end
      return table.concat(vim.api.nvim_buf_get_lines(b, 0, -1, false), '\n')
    end
    local created = vim.wait(15000, function()
      return buffer_text(ec_path):find('<authenticationProtocol>Oauth', 1, true) ~= nil
    end, 50)
    check('convert fix fills the new external credential', created, buffer_text(ec_path))
    -- Like the FileType autocmd of the documented set-up, the new buffer
    -- joins the client; then the user writes everything.
    local ec_buf = vim.fn.bufnr(ec_path)
    if ec_buf ~= -1 then vim.lsp.buf_attach_client(ec_buf, client_id) end
    vim.cmd('silent wall')
    local function exo001_left()
      for _, d in ipairs(vim.diagnostic.get(bufnr)) do
        local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
        if code == 'EXO001' then return true end
      end
      return false
    end
    local cleared = vim.wait(30000, function() return not exo001_left() end, 100)
    check('EXO001 cleared after the convert fix', cleared, vim.inspect(vim.diagnostic.get(bufnr)))
    local function read(p)
      local h = io.open(p, 'rb')
      if not h then return '' end
      local t = h:read('*a')
      h:close()
      return t
    end
    local ec_disk = read(ec_path)
    check('external credential written to disk', ec_disk:find('<authenticationProtocol>Oauth</authenticationProtocol>', 1, true) ~= nil, ec_disk)
    -- (Neovim writes a new buffer with its default fileformat: the CRLF of
    -- the fix's text becomes LF in the new file, whatever the server sends.)
    local nc_disk = read(path)
    check('named credential rewritten on disk',
      nc_disk:find('<externalCredential>Exchange_Sync_Service_Graph</externalCredential>', 1, true) ~= nil
        and nc_disk:find('<namedCredentialType>SecuredEndpoint</namedCredentialType>', 1, true) ~= nil
        and not nc_disk:find('<password>', 1, true),
      nc_disk)
  end

  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  failed = failed + 1
  results:write('not ok - script error -- ' .. tostring(err):gsub('\n', ' | ') .. '\n')
end
results:close()
if ok and failed == 0 then
  vim.cmd('qa!')
else
  vim.cmd('cquit! 1')
end
