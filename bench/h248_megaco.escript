#!/usr/bin/env escript
%% -*- erlang -*-
%%! +sbwt none +sbwtdcpu none +sbwtdio none
%%
%% `make bench` harness: Erlang/OTP megaco's H.248 text codec, the peer of
%% bench/h248_emsec.c (method: docs/PERFORMANCE.md).
%%
%% Same protocol as the C harnesses (bench/harness.h), with the operation
%% first:
%%   escript h248_megaco.escript --check LIST
%%   escript h248_megaco.escript --bench decode|encode LIST SECS WARMUP
%% --check prints "ACCEPT path" when megaco decodes the message and encodes
%% it again (pretty), else "REJECT path: why". --bench loads every message
%% of LIST into memory (encode: and decodes each once, untimed), runs the
%% operation over the whole set for WARMUP seconds, then for SECS seconds
%% (whole passes), and prints one RESULT line in harness.h's format, parser
%% megaco-decode or megaco-encode:
%%   RESULT parser=megaco-decode messages=N bytes=B passes=P seconds=S
%%     msgs_per_s=M mb_per_s=X cpu_seconds=C msgs_per_cpu_s=K cpu_share=F
%%     checksum=Z
%% bytes and mb_per_s count the input messages' bytes for both operations
%% (as the emsec harness does), so that MB/s compare across codecs.
%%
%% Calls measured, per message (EncodingConfig [] = megaco's plain Erlang
%% scanner megaco_text_scanner, not the flex driver; the parser module is
%% chosen by the version in the message header):
%%   decode: megaco_pretty_text_encoder:decode_message([], dynamic, Bin)
%%           -> {ok, #'MegacoMessage'{}}
%%   encode: megaco_pretty_text_encoder:encode_message([], V, Msg)
%%           -> {ok, Bin}, V = the version Msg was decoded at
%% The checksum adds the message version (decode) or the encoding's size
%% (encode) and must be the same on every pass.
%% The emulator flags above stop idle schedulers from busy-waiting, so that
%% the CPU time measured is the codec's.
-mode(compile).

-define(NAME, "megaco").

main(["--check", List]) ->
    lists:foreach(fun({Path, Bin}) ->
                          case check_one(Bin) of
                              ok -> io:format("ACCEPT ~s~n", [Path]);
                              {error, Why} -> io:format("REJECT ~s: ~s~n", [Path, Why])
                          end
                  end, load_list(List)),
    halt(0);
main(["--bench", Op, List, Secs, Warm]) when Op =:= "decode"; Op =:= "encode" ->
    Msgs = load_list(List),
    Bytes = lists:sum([byte_size(B) || {_, B} <- Msgs]),
    Work = case Op of
               "decode" -> [B || {_, B} <- Msgs];
               "encode" -> [prepare_encode(P, B) || {P, B} <- Msgs]
           end,
    Pass = case Op of
               "decode" -> fun decode_pass/1;
               "encode" -> fun encode_pass/1
           end,
    bench(?NAME ++ "-" ++ Op, Pass, Work, length(Msgs), Bytes,
          to_float(Secs), to_float(Warm));
main(_) ->
    io:format(standard_error,
              "usage: h248_megaco.escript --check LIST"
              " | --bench decode|encode LIST SECS WARMUP~n", []),
    halt(2).

%% ------------------------------------------------------------ the calls

decode(Bin) ->
    megaco_pretty_text_encoder:decode_message([], dynamic, Bin).

encode(V, Msg) ->
    megaco_pretty_text_encoder:encode_message([], V, Msg).

version_of({'MegacoMessage', _Auth, {'Message', V, _Mid, _Body}}) -> V.

check_one(Bin) ->
    try decode(Bin) of
        {ok, M} ->
            try encode(version_of(M), M) of
                {ok, _} -> ok;
                {error, R} -> {error, "encode: " ++ short(R)}
            catch C:R -> {error, "encode: " ++ short({C, R})}
            end;
        {error, R} -> {error, "decode: " ++ short(strip(R))}
    catch throw:{error, R} -> {error, "decode: " ++ short(R)};
          C:R -> {error, "decode: " ++ short({C, R})}
    end.

prepare_encode(Path, Bin) ->
    case decode(Bin) of
        {ok, M} -> {version_of(M), M};
        {error, R} -> fail("FAILED to decode ~s: ~s", [Path, short(strip(R))])
    end.

decode_pass(Bins) ->
    decode_pass(Bins, 0).

decode_pass([], Sum) ->
    Sum;
decode_pass([B | T], Sum) ->
    case decode(B) of
        {ok, M} -> decode_pass(T, Sum + version_of(M));
        {error, R} -> fail("FAILED to decode: ~s", [short(strip(R))])
    end.

encode_pass(Msgs) ->
    encode_pass(Msgs, 0).

encode_pass([], Sum) ->
    Sum;
encode_pass([{V, M} | T], Sum) ->
    case encode(V, M) of
        {ok, Bin} -> encode_pass(T, Sum + iolist_size(Bin));
        {error, R} -> fail("FAILED to encode: ~s", [short(R)])
    end.

%% ------------------------------------------------------------ driver

bench(Name, Pass, Work, N, Bytes, Secs, Warm) ->
    First = Pass(Work),
    T0 = now_s(),
    warm(Pass, Work, First, T0 + Warm),
    {_, _} = erlang:statistics(runtime),
    C0 = cpu_s(),
    S0 = now_s(),
    {Passes, Check, S1} = timed(Pass, Work, S0, S0 + Secs, 0, 0),
    Cpu = max(cpu_s() - C0, 1.0e-6),
    Check =:= First * Passes orelse die("checksum differs between passes", []),
    El = S1 - S0,
    Msgs = Passes * N,
    io:format("RESULT parser=~s messages=~w bytes=~w passes=~w seconds=~.3f"
              " msgs_per_s=~w mb_per_s=~.2f cpu_seconds=~.3f"
              " msgs_per_cpu_s=~w cpu_share=~.2f checksum=~w~n",
              [Name, N, Bytes, Passes, El, round(Msgs / El),
               Passes * Bytes / El / 1.0e6, Cpu, round(Msgs / Cpu), Cpu / El, First]),
    halt(0).

warm(Pass, Work, First, Until) ->
    case now_s() < Until of
        true ->
            Pass(Work) =:= First orelse die("checksum differs between passes", []),
            warm(Pass, Work, First, Until);
        false -> ok
    end.

timed(Pass, Work, S0, Until, Passes, Check) ->
    C = Check + Pass(Work),
    T = now_s(),
    case T < Until of
        true -> timed(Pass, Work, S0, Until, Passes + 1, C);
        false -> {Passes + 1, C, T}
    end.

now_s() ->
    erlang:monotonic_time(nanosecond) / 1.0e9.

%% CPU time of the whole VM (user + system, every thread), as getrusage.
cpu_s() ->
    {Ms, _} = erlang:statistics(runtime),
    Ms / 1000.0.

%% ------------------------------------------------------------ helpers

%% LIST: one message a line, its path, then optionally " FLAGS" (emsec's;
%% ignored here, as harness.h's peers do).
load_list(List) ->
    Lines = case file:read_file(List) of
                {ok, B} -> string:split(binary_to_list(B), "\n", all);
                {error, Why} -> die("cannot open list: ~s: ~s", [List, file:format_error(Why)])
            end,
    Paths = [hd(string:lexemes(L, " \t\r")) || L <- Lines, string:trim(L) =/= ""],
    Paths =/= [] orelse die("empty message list: ~s", [List]),
    [{P, case file:read_file(P) of
             {ok, Bin} -> Bin;
             {error, Why2} -> die("cannot open: ~s: ~s", [P, file:format_error(Why2)])
         end} || P <- Paths].

%% megaco's error terms carry the token list and the input: keep the reason
%% (and the line, for a syntax error).
strip(L) when is_list(L) ->
    case [R || R <- L, is_tuple(R), element(1, R) =:= reason] of
        [{reason, {Line, Mod, [Prefix, Tok]}} | _]
          when is_integer(Line), is_atom(Mod), is_list(Prefix) ->
            {line, Line, lists:flatten([Prefix, Tok])};
        [{reason, R, Line} | _] when is_integer(Line) -> {line, Line, R};
        [{reason, R} | _] -> R;
        [] -> L
    end;
strip(R) ->
    R.

short(T) ->
    S = lists:flatten(io_lib:format("~0P", [T, 8])),
    case length(S) > 160 of
        true -> lists:sublist(S, 157) ++ "...";
        false -> S
    end.

to_float(S) ->
    case string:to_float(S) of
        {F, ""} -> F;
        _ -> float(list_to_integer(S))
    end.

%% As harness.h: a message that fails stops the run with exit 1, anything
%% else wrong (list, files, checksum) with exit 2.
fail(Fmt, Args) ->
    io:format(standard_error, "bench " ++ ?NAME ++ ": " ++ Fmt ++ "~n", Args),
    halt(1).

die(Fmt, Args) ->
    io:format(standard_error, "bench " ++ ?NAME ++ ": " ++ Fmt ++ "~n", Args),
    halt(2).
