<?php
// A PHP worker: a bounded array of decoded JSON records touched at random (the oldest key dropped
// past --cap), and optionally a leak of 1000-byte strings kept in a global list.
// php -d memory_limit=-1 php-cache.php [--cap N] [--keyspace K] [--leak-mib-h L]
$opts = getopt('', ['cap:', 'keyspace:', 'leak-mib-h:']);
$cap = (int)($opts['cap'] ?? 30000); $keyspace = (int)($opts['keyspace'] ?? 60000);
$leak = (float)($opts['leak-mib-h'] ?? 0);
$cache = []; $kept = []; $carry = 0.0; $start = microtime(true); $last = $start;
while (true) {
    for ($i = 0; $i < 400; $i++) {
        $k = 'k' . random_int(0, $keyspace);
        $rec = json_decode(json_encode(['id' => $k, 'tags' => [random_int(0, 99), random_int(0, 99)], 'body' => str_repeat('x', random_int(50, 400))]), true);
        unset($cache[$k]); $cache[$k] = $rec;
        if (count($cache) > $cap) { unset($cache[array_key_first($cache)]); }
    }
    $now = microtime(true);
    $carry += $leak * 1048576 * ($now - $last) / 3600; $last = $now;
    while ($carry >= 1024) { $kept[] = str_repeat(chr(random_int(65, 90)), 1000); $carry -= 1024; }
    usleep(20000);
}
