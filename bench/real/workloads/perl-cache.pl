#!/usr/bin/perl
# A Perl worker: a bounded hash of records touched at random (the oldest key dropped past --cap),
# a batch of short-lived strings each tick, and optionally a leak retained each tick.
# perl perl-cache.pl [--cap N] [--keyspace K] [--rate R] [--leak-mib-h L]
use strict; use warnings; use Time::HiRes qw(time sleep);
my %o = (cap => 30000, keyspace => 60000, rate => 300, 'leak-mib-h' => 0);
while (@ARGV) { my $k = shift @ARGV; $k =~ s/^--//; $o{$k} = shift @ARGV; }
my (%cache, @order, @leak);
my $per_tick = $o{'leak-mib-h'} * 1048576 / 3600 / 10;
my $carry = 0;
my $next = time;
while (1) {
    for (1 .. int($o{rate} / 10)) {
        my $key = int(rand($o{keyspace}));
        next if exists $cache{$key};
        $cache{$key} = {key => $key, body => join('', map { chr(97 + int(rand(26))) } 1 .. 200), at => time};
        push @order, $key;
        delete $cache{shift @order} while @order > $o{cap};
    }
    my @batch = map { "row $_ " . ('x' x 100) } 1 .. 500;
    $carry += $per_tick;
    if ($carry >= 4096) { push @leak, 'L' x int($carry); $carry -= int($carry); }
    $next += 0.1;
    my $wait = $next - time;
    sleep($wait) if $wait > 0;
}
