-module(ets_cache).
-export([main/1]).
%% An Erlang worker: eight short-lived processes a tick write random binaries into a bounded ETS
%% table (the first key dropped past Cap), and optionally a leak of 1000-byte binaries kept in a
%% second table (Leak in MiB/h).
%% erlc ets_cache.erl && erl -noshell -run ets_cache main Cap Keyspace Leak
main([Cap, Keyspace, Leak]) ->
    T = ets:new(c, [set, public]), L = ets:new(l, [bag, public]),
    loop(T, L, list_to_integer(Cap), list_to_integer(Keyspace), number(Leak), erlang:monotonic_time(millisecond), 0.0, 0).
loop(T, L, Cap, KS, Leak, Last, Carry, Seq) ->
    Parent = self(),
    [spawn(fun() -> [begin K = rand:uniform(KS), ets:insert(T, {K, crypto:strong_rand_bytes(50 + rand:uniform(350)), lists:seq(1, 10)}) end || _ <- lists:seq(1, 200)], Parent ! done end) || _ <- lists:seq(1, 8)],
    [receive done -> ok end || _ <- lists:seq(1, 8)],
    trim(T, Cap),
    Now = erlang:monotonic_time(millisecond),
    C1 = Carry + Leak * 1048576 * (Now - Last) / 3600000,
    {C2, S2} = leak(L, C1, Seq),
    timer:sleep(50),
    loop(T, L, Cap, KS, Leak, Now, C2, S2).
number(S) -> try list_to_float(S) catch error:badarg -> float(list_to_integer(S)) end.
trim(T, Cap) -> case ets:info(T, size) > Cap of true -> ets:delete(T, ets:first(T)), trim(T, Cap); false -> ok end.
leak(L, C, S) when C >= 1024 -> ets:insert(L, {x, S, binary:copy(<<"y">>, 1000)}), leak(L, C - 1024, S + 1);
leak(_, C, S) -> {C, S}.
