-- A Lua worker: a bounded table of small records touched at random (the oldest key dropped past
-- --cap), and optionally a leak of 1000-byte strings kept in a list.
-- lua5.4 lua-cache.lua [--cap N] [--keyspace K] [--leak-mib-h L]
local cap, keyspace, leak = 30000, 60000, 0
for i = 1, #arg, 2 do
  if arg[i] == '--cap' then cap = tonumber(arg[i+1]) elseif arg[i] == '--keyspace' then keyspace = tonumber(arg[i+1]) elseif arg[i] == '--leak-mib-h' then leak = tonumber(arg[i+1]) end
end
local cache, order, head, tail, n, kept, carry = {}, {}, 1, 0, 0, {}, 0
local t0 = os.time(); local last = t0
local function sleep(s) os.execute('sleep ' .. s) end
while true do
  for i = 1, 3000 do
    local k = 'k' .. math.random(0, keyspace)
    if cache[k] == nil then n = n + 1; tail = tail + 1; order[tail] = k end
    cache[k] = {id = k, body = string.rep(string.char(math.random(65, 90)), math.random(50, 400)), n = i}
    while n > cap do local old = order[head]; order[head] = nil; head = head + 1; if cache[old] then cache[old] = nil; n = n - 1 end end
  end
  local t = os.time()
  carry = carry + leak * 1048576 * (t - last) / 3600; last = t
  while carry >= 1024 do kept[#kept + 1] = string.rep(string.char(math.random(65, 90)), 1000) .. tostring(#kept); carry = carry - 1024 end
  sleep(0.1)
end
