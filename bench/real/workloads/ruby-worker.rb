# A Ruby worker: a bounded hash cache (insertion order: the oldest dropped past --cap), JSON
# work each tick, and optionally a leak retained each tick.
# ruby ruby-worker.rb [--cap N] [--keyspace K] [--rate R] [--leak-mib-h L]
require 'json'
opts = {'cap' => 30000, 'keyspace' => 60000, 'rate' => 300, 'leak-mib-h' => 0}
ARGV.each_slice(2) { |k, v| opts[k.sub(/^--/, '')] = v.to_f }
cache = {}
leak = []
per_tick = opts['leak-mib-h'] * 1048576 / 3600 / 10
carry = 0.0
nxt = Process.clock_gettime(Process::CLOCK_MONOTONIC)
loop do
  (opts['rate'] / 10).to_i.times do
    key = rand(opts['keyspace'].to_i)
    next if cache.key?(key)
    cache[key] = {key: key, body: Random.bytes(100).unpack1('H*'), at: Time.now.to_f}
    cache.shift while cache.size > opts['cap']
  end
  rows = Array.new(300) { |i| {id: i, v: rand, name: "n#{i % 50}"} }
  JSON.parse(JSON.generate(rows))
  carry += per_tick
  if carry >= 4096
    leak << ('L' * carry.to_i)
    carry -= carry.to_i
  end
  nxt += 0.1
  wait = nxt - Process.clock_gettime(Process::CLOCK_MONOTONIC)
  sleep(wait) if wait > 0
end
