#!/usr/bin/env escript
%% -*- erlang -*-
%%
%% tests/interop/megaco_codec.escript: Erlang/OTP megaco's H.248 text codecs
%% as a reference for emsec's codec (include/emsec/h248.h). Used by
%% tests/interop/run_megaco.sh; handy by hand too.
%%
%%   decode FILE...                  one line per file: "FILE ok" or
%%                                   "FILE error REASON"; exit 0
%%   same [--version V] A B          exit 0 iff megaco decodes A and B into
%%                                   equal MegacoMessage records, else print
%%                                   where they first differ and exit 1.
%%                                   --version V: A's header version is
%%                                   rewritten to V before decoding, and B's
%%                                   header must say V (see below)
%%   check LIST                      LIST has lines "ORIG OURS V": for each,
%%                                   `same --version V ORIG OURS`; prints
%%                                   "PASS OURS" or "FAIL OURS: REASON";
%%                                   exit 1 if any failed. One VM for all.
%%   roundtrip FILE...               megaco against itself: for V in 1..3,
%%                                   both codecs, encode at V and decode
%%                                   again, compare; "FILE ok" or
%%                                   "FILE fail CODEC vV: REASON"
%%   encode [--pretty|--compact] [--version V] FILE
%%                                   megaco's own re-encoding, to stdout
%%   show [--version V] FILE         the decoded record (~p), for debugging
%%
%% megaco calls used (megaco 4.x, OTP 25; no megaco application start, no
%% flex scanner: EncodingConfig [] selects the plain Erlang scanner
%% megaco_text_scanner, which needs no driver):
%%   megaco_pretty_text_encoder:decode_message([], dynamic, Bin)
%%   megaco_compact_text_encoder:decode_message([], dynamic, Bin)
%%       -> {ok, #'MegacoMessage'{}} | {error, Reason}; may also throw.
%%       The version argument is ignored by the text codecs: the scanner
%%       reads the version from the header (MEGACO/V or !/V) and picks
%%       megaco_text_parser_v1, _v2 or _v3. Both modules decode either token
%%       form (long or short); they differ only in how they encode.
%%   megaco_pretty_text_encoder:encode_message([], V, Msg)
%%   megaco_compact_text_encoder:encode_message([], V, Msg)
%%       -> {ok, Bin} | {error, Reason}. V must be the version Msg was
%%       decoded at: the records of megaco_message_v1/v2/v3 differ (v2 and
%%       v3 add fields), so the encoder of version V takes records of V.
%%
%% Versions. Because the records differ between versions, a message decoded
%% at version 1 never compares equal to the same body decoded at version 3.
%% So to compare a version-1 original with an encoding of it at version V,
%% `--version V` rewrites only the digits of the original's header
%% ("MEGACO/1" -> "MEGACO/V", "!/1" -> "!/V") and has megaco decode that:
%% the same body, read by megaco's version-V parser into version-V records,
%% which is exactly what an encoder that rewrites the header to V must yield.
%% The header version of B (from the decoded record) must also be V.
%%
%% Equality is =:= on the records, with no normalisation: both sides went
%% through megaco, which already folds what the text encoding leaves free
%% (token case and long/short form, white space, comments, termination id
%% case); SDP bodies are compared as megaco parses them (lines of
%% name/value).
-mode(compile).

main(["decode" | Files]) when Files =/= [] ->
    lists:foreach(fun(F) ->
                          case decode_file(F, keep) of
                              {ok, _} -> out("~s ok~n", [F]);
                              {error, R} -> out("~s error ~s~n", [F, R])
                          end
                  end, Files),
    halt(0);
main(["same" | Args]) ->
    {V, Rest} = opt_version(Args),
    case Rest of
        [A, B] ->
            case same(A, B, V) of
                ok -> halt(0);
                {fail, R} -> out("~s~n", [R]), halt(1)
            end;
        _ -> usage()
    end;
main(["check", List]) ->
    Lines = case file:read_file(List) of
                {ok, Bin} -> [L || L <- string:split(binary_to_list(Bin), "\n", all),
                                   string:trim(L) =/= ""];
                {error, E} -> die("cannot read ~s: ~s", [List, file:format_error(E)])
            end,
    Fails = lists:foldl(fun(L, N) ->
                                case string:lexemes(L, " \t") of
                                    [Orig, Ours, VS] ->
                                        V = list_to_integer(VS),
                                        case same(Orig, Ours, V) of
                                            ok -> out("PASS ~s~n", [Ours]), N;
                                            {fail, R} -> out("FAIL ~s: ~s~n", [Ours, R]), N + 1
                                        end;
                                    _ -> die("bad line in ~s: ~s", [List, L])
                                end
                        end, 0, Lines),
    halt(if Fails =:= 0 -> 0; true -> 1 end);
main(["roundtrip" | Files]) when Files =/= [] ->
    Fails = lists:foldl(fun(F, N) ->
                                case roundtrip(F) of
                                    ok -> out("~s ok~n", [F]), N;
                                    {fail, R} -> out("~s fail ~s~n", [F, R]), N + 1
                                end
                        end, 0, Files),
    halt(if Fails =:= 0 -> 0; true -> 1 end);
main(["encode" | Args]) ->
    {Mod, Args1} = case Args of
                       ["--pretty" | T] -> {megaco_pretty_text_encoder, T};
                       ["--compact" | T] -> {megaco_compact_text_encoder, T};
                       T -> {megaco_pretty_text_encoder, T}
                   end,
    case opt_version(Args1) of
        {V, [F]} ->
            case decode_file(F, V) of
                {ok, M} ->
                    case encode(Mod, version_of(M), M) of
                        {ok, Bin} -> io:put_chars(Bin), halt(0);
                        {error, R} -> err("~s: megaco cannot encode: ~s~n", [F, R]), halt(1)
                    end;
                {error, R} -> err("~s: ~s~n", [F, R]), halt(1)
            end;
        _ -> usage()
    end;
main(["show" | Args]) ->
    case opt_version(Args) of
        {V, [F]} ->
            case decode_file(F, V) of
                {ok, M} -> out("~p~n", [M]), halt(0);
                {error, R} -> err("~s: ~s~n", [F, R]), halt(1)
            end;
        _ -> usage()
    end;
main(_) ->
    usage().

usage() ->
    err("usage: megaco_codec.escript decode FILE... | same [--version V] A B~n"
        "       | check LIST | roundtrip FILE...~n"
        "       | encode [--pretty|--compact] [--version V] FILE~n"
        "       | show [--version V] FILE~n", []),
    halt(2).

opt_version(["--version", VS | T]) ->
    case string:to_integer(VS) of
        {V, ""} when V >= 1, V =< 3 -> {V, T};
        _ -> die("--version takes 1, 2 or 3, not ~s", [VS])
    end;
opt_version(T) ->
    {keep, T}.

%% ------------------------------------------------------------ codec calls

%% decode_file(File, keep | V) -> {ok, Msg} | {error, ReasonString}
decode_file(F, V) ->
    case file:read_file(F) of
        {ok, Bin0} ->
            case set_version(Bin0, V) of
                {ok, Bin} -> decode(megaco_pretty_text_encoder, Bin);
                {error, _} = E -> E
            end;
        {error, E} ->
            {error, "cannot read: " ++ file:format_error(E)}
    end.

decode(Mod, Bin) ->
    try Mod:decode_message([], dynamic, Bin) of
        {ok, M} -> {ok, M};
        {error, R} -> {error, reason(R)};
        Other -> {error, reason({unexpected, Other})}
    catch
        C:R -> {error, reason({C, R})}
    end.

encode(Mod, V, M) ->
    try Mod:encode_message([], V, M) of
        {ok, Bin} -> {ok, iolist_to_binary(Bin)};
        {error, R} -> {error, reason(R)};
        Other -> {error, reason({unexpected, Other})}
    catch
        C:R -> {error, reason({C, R})}
    end.

%% #'MegacoMessage'{mess = #'Message'{version = V}}
version_of({'MegacoMessage', _Auth, {'Message', V, _Mid, _Body}}) -> V.

%% Rewrite the version digits of the header (after optional white space,
%% comments and authentication header), nothing else.
-define(HEADER_RE,
        "^(?:\\s|;[^\\n]*\\n)*"
        "(?:(?:AUTHENTICATION|AU)\\s*=\\s*[0-9A-Fa-fXx:]+\\s*)?"
        "(?:MEGACO|!)\\s*/\\s*([0-9]+)").

set_version(Bin, keep) ->
    {ok, Bin};
set_version(Bin, V) ->
    case re:run(Bin, ?HEADER_RE, [caseless, {capture, [1], index}]) of
        {match, [{Pos, Len}]} ->
            <<Pre:Pos/binary, _:Len/binary, Post/binary>> = Bin,
            {ok, <<Pre/binary, (integer_to_binary(V))/binary, Post/binary>>};
        nomatch ->
            {error, "no MEGACO/version header found to set the version"}
    end.

%% ------------------------------------------------------------ comparisons

%% same(A, B, keep | V): ok | {fail, Reason}
same(A, B, V) ->
    case decode_cached(B, keep) of
        {error, R} -> {fail, io_lib:format("megaco rejects ~s: ~s", [B, R])};
        {ok, MB} ->
            VB = version_of(MB),
            if V =/= keep, VB =/= V ->
                    {fail, io_lib:format("~s has version ~w in its header, expected ~w",
                                         [B, VB, V])};
               true ->
                    case decode_cached(A, V) of
                        {error, R} ->
                            {fail, io_lib:format("megaco rejects ~s~s: ~s",
                                                 [A, at_version(V), R])};
                        {ok, MA} ->
                            case diff(MA, MB) of
                                equal -> ok;
                                D -> {fail, io_lib:format("~s~s and ~s differ: ~s",
                                                          [A, at_version(V), B, D])}
                            end
                    end
            end
    end.

at_version(keep) -> "";
at_version(V) -> io_lib:format(" (header set to version ~w)", [V]).

%% The originals are compared 6 times each in `check`: decode them once.
decode_cached(F, V) ->
    Key = {decoded, F, V},
    case get(Key) of
        undefined -> R = decode_file(F, V), put(Key, R), R;
        R -> R
    end.

roundtrip(F) ->
    roundtrip(F, [{V, C} || V <- [1, 2, 3], C <- [pretty, compact]]).

roundtrip(_F, []) ->
    ok;
roundtrip(F, [{V, C} | T]) ->
    Mod = case C of
              pretty -> megaco_pretty_text_encoder;
              compact -> megaco_compact_text_encoder
          end,
    Where = io_lib:format("~s v~w", [C, V]),
    case decode_file(F, V) of
        {error, R} -> {fail, io_lib:format("~s: decode: ~s", [Where, R])};
        {ok, M} ->
            case encode(Mod, V, M) of
                {error, R} -> {fail, io_lib:format("~s: encode: ~s", [Where, R])};
                {ok, Bin} ->
                    case decode(Mod, Bin) of
                        {error, R} ->
                            {fail, io_lib:format("~s: decode of megaco's encoding: ~s",
                                                 [Where, R])};
                        {ok, M2} ->
                            case diff(M, M2) of
                                equal -> roundtrip(F, T);
                                D -> {fail, io_lib:format("~s: differs: ~s", [Where, D])}
                            end
                    end
            end
    end.

%% diff(A, B) -> equal | ReasonString: where the two terms first differ,
%% as a path of record fields and list positions.
diff(A, B) ->
    case diff(A, B, []) of
        equal -> equal;
        {Path, SA, SB} ->
            io_lib:format("at ~s: ~s vs ~s",
                          [format_path(lists:reverse(Path)), short(SA), short(SB)])
    end.

diff(A, A, _Path) ->
    equal;
diff(A, B, Path) when is_tuple(A), is_tuple(B), tuple_size(A) =:= tuple_size(B),
                      tuple_size(A) > 0, element(1, A) =:= element(1, B) ->
    Tag = element(1, A),
    Step = fun(I) ->
                   case is_atom(Tag) of
                       true -> {field, Tag, tuple_size(A), I};
                       false -> {elem, I}
                   end
           end,
    First = case is_atom(Tag) of true -> 2; false -> 1 end,
    diff_elems(A, B, First, tuple_size(A), Step, Path);
diff(A, B, Path) when is_list(A), is_list(B) ->
    case io_lib:printable_list(A) andalso io_lib:printable_list(B) of
        true -> {Path, A, B};
        false -> diff_list(A, B, 1, Path)
    end;
diff(A, B, Path) ->
    {Path, A, B}.

diff_elems(_A, _B, I, N, _Step, _Path) when I > N ->
    equal;
diff_elems(A, B, I, N, Step, Path) ->
    case diff(element(I, A), element(I, B), [Step(I) | Path]) of
        equal -> diff_elems(A, B, I + 1, N, Step, Path);
        D -> D
    end.

diff_list([], [], _I, _Path) ->
    equal;
diff_list([X | A], [Y | B], I, Path) ->
    case diff(X, Y, [{index, I} | Path]) of
        equal -> diff_list(A, B, I + 1, Path);
        D -> D
    end;
diff_list(A, B, I, Path) ->
    {[{index, I} | Path], {items_left, length(A)}, {items_left, length(B)}}.

format_path([]) ->
    "top";
format_path(Steps) ->
    lists:join(" > ", [format_step(S) || S <- Steps]).

format_step({field, Rec, Arity, I}) ->
    case record_fields(Rec, Arity) of
        Fields when is_list(Fields), length(Fields) >= I - 1 ->
            io_lib:format("~w.~w", [Rec, lists:nth(I - 1, Fields)]);
        _ when Arity =:= 2 ->
            %% a choice: {Alternative, Value}
            io_lib:format("~w", [Rec]);
        _ ->
            io_lib:format("~w#~w", [Rec, I])
    end;
format_step({elem, I}) ->
    io_lib:format("{}#~w", [I]);
format_step({index, I}) ->
    io_lib:format("[~w]", [I]).

short(T) ->
    S = lists:flatten(io_lib:format("~0P", [T, 8])),
    case length(S) > 160 of
        true -> lists:sublist(S, 157) ++ "...";
        false -> S
    end.

%% Field names of megaco's message records, read from the debug info of its
%% parser and encoder modules (the include files are not installed). Only
%% for messages; falls back to field numbers.
record_fields(Rec, Arity) ->
    Table = case get(record_table) of
                undefined -> T = load_records(), put(record_table, T), T;
                T -> T
            end,
    maps:get({Rec, Arity}, Table, none).

load_records() ->
    Mods = [megaco_text_parser_v1, megaco_text_parser_v2, megaco_text_parser_v3,
            megaco_pretty_text_encoder_v1, megaco_pretty_text_encoder_v2,
            megaco_pretty_text_encoder_v3],
    lists:foldl(fun(Mod, Acc) ->
                        maps:merge(Acc, records_of(Mod))
                end, #{}, Mods).

records_of(Mod) ->
    try
        {ok, {Mod, [{debug_info, {debug_info_v1, Backend, Data}}]}} =
            beam_lib:chunks(code:which(Mod), [debug_info]),
        {ok, Forms} = Backend:debug_info(erlang_v1, Mod, Data, []),
        maps:from_list([{{Name, length(Fs) + 1}, [field_name(F) || F <- Fs]}
                        || {attribute, _, record, {Name, Fs}} <- Forms])
    catch
        _:_ -> #{}
    end.

field_name({record_field, _, {atom, _, N}}) -> N;
field_name({record_field, _, {atom, _, N}, _}) -> N;
field_name({typed_record_field, F, _}) -> field_name(F);
field_name(_) -> '?'.

%% ------------------------------------------------------------ reasons

%% One line, short: megaco's error terms carry the whole token list and the
%% input; keep the reason and the line.
reason(L) when is_list(L) ->
    case [R || R <- L, is_tuple(R), element(1, R) =:= reason] of
        [{reason, {Line, Mod, [Prefix, Tok]}} | _]
          when is_integer(Line), is_atom(Mod), is_list(Prefix) ->
            oneline(io_lib:format("line ~w: ~s~s", [Line, Prefix, flat(Tok)]));
        [{reason, R, Line} | _] when is_integer(Line) ->
            oneline(io_lib:format("line ~w: ~s", [Line, short(R)]));
        [{reason, R} | _] ->
            oneline(short(R));
        _ ->
            oneline(short(L))
    end;
reason({throw, {error, R}}) ->
    oneline(short(R));
reason(R) ->
    oneline(short(R)).

flat(T) ->
    try lists:flatten(io_lib:format("~s", [T]))
    catch _:_ -> short(T)
    end.

oneline(S) ->
    [case C of $\n -> $\s; $\r -> $\s; $\t -> $\s; _ -> C end
     || C <- lists:flatten(S)].

%% ------------------------------------------------------------ output

out(Fmt, Args) -> io:format(Fmt, Args).
err(Fmt, Args) -> io:format(standard_error, Fmt, Args).

die(Fmt, Args) ->
    err("megaco_codec: " ++ Fmt ++ "~n", Args),
    halt(2).
