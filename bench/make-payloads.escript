#!/usr/bin/env escript
%% -*- erlang -*-
%%
%% Writes the benchmark payloads with real Erlang term_to_binary, so the bytes are exactly what a
%% Phoenix node puts on Redis:
%%
%%   payloads/phoenix_v3.bin          one chat broadcast in the phoenix_pubsub_redis v3 envelope
%%   payloads/phoenix_v3_history.bin  the same envelope carrying a 50-message history (~10 KB)
%%   payloads/*.otp25.bin             the same two terms with OTP 25's default atom encoding
%%
%% phoenix_pubsub_redis 3.x publishes
%%   :erlang.term_to_binary({3, mode, node_name, topic, message, dispatcher}, compressed: level)
%% with level 0 (no compression) by default.
%%
%% Atoms: OTP 26+ encodes every atom as SMALL_ATOM_UTF8_EXT (minor_version 2 is the default there);
%% OTP 25 and older default to minor_version 1 (ATOM_EXT). We pass {minor_version, 2} so the main
%% files match a current Phoenix node whatever OTP runs this script. The *.otp25.bin twins use
%% {minor_version, 1}: same term, ATOM_EXT atoms (1 byte longer each). They exist because erlpack
%% (0.1.4 and the @yukikaze-bot fork) cannot decode SMALL_ATOM_UTF8_EXT at all.
%%
%% Run from bench/:  escript make-payloads.escript   (or: npm run payloads)
%% The output is deterministic: no randomness, no clock.

main(_) ->
    Dir = filename:join(filename:dirname(escript:script_name()), "payloads"),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    Chat = envelope(broadcast(<<"new:msg">>, chat_message(0))),
    History = envelope(broadcast(<<"history">>,
        #{<<"room">> => <<"lobby">>,
          <<"messages">> => [history_message(I) || I <- lists:seq(1, 50)],
          <<"has_more">> => true})),
    write(Dir, "phoenix_v3.bin", Chat, 2),
    write(Dir, "phoenix_v3_history.bin", History, 2),
    write(Dir, "phoenix_v3.otp25.bin", Chat, 1),
    write(Dir, "phoenix_v3_history.otp25.bin", History, 1),
    ok.

write(Dir, Name, Term, Minor) ->
    Bin = term_to_binary(Term, [{minor_version, Minor}]),
    %% Round-trip check: what we wrote decodes to what we meant.
    Term = binary_to_term(Bin),
    Path = filename:join(Dir, Name),
    ok = file:write_file(Path, Bin),
    io:format("~s: ~b bytes~n", [Path, byte_size(Bin)]).

envelope(Broadcast) ->
    {3, except, <<"n1">>, <<"rooms:lobby">>, Broadcast, 'Elixir.Phoenix.Channel.Server'}.

%% %Phoenix.Socket.Broadcast{topic: ..., event: ..., payload: ...}
broadcast(Event, Payload) ->
    #{'__struct__' => 'Elixir.Phoenix.Socket.Broadcast',
      topic => <<"rooms:lobby">>,
      event => Event,
      payload => Payload}.

%% The message from the issue, byte for byte.
chat_message(_) ->
    #{<<"body">> => <<"hello world, this is a chat message">>,
      <<"user">> => <<"alice">>,
      <<"id">> => 12345,
      <<"ts">> => 1733224000123}.

%% A realistic history entry: string-keyed map (as Jason-decoded params usually are), a few
%% integers (small, 32-bit, and a millisecond timestamp that needs SMALL_BIG_EXT), booleans and nil
%% (atoms), a nested map and a short list.
history_message(I) ->
    Users = [<<"alice">>, <<"bob">>, <<"carol">>, <<"dave">>, <<"eve">>],
    Words = [<<"sure">>, <<"the deploy">>, <<"looks good">>, <<"after lunch">>, <<"ping me">>,
             <<"on staging">>, <<"rolled back">>, <<"LGTM">>, <<"retrying">>, <<"in review">>],
    User = lists:nth((I rem 5) + 1, Users),
    Body = iolist_to_binary(lists:join(<<" ">>,
        [lists:nth(((I * 7 + K * 3) rem 10) + 1, Words) || K <- lists:seq(1, 2 + I rem 3)])),
    #{<<"id">> => 12345 + I,
      <<"user">> => User,
      <<"body">> => Body,
      <<"ts">> => 1733224000123 + I * 61000,
      <<"edited">> => (I rem 7) =:= 0,
      <<"reply_to">> => case I rem 5 of 0 -> 12345 + I - 1; _ -> nil end,
      <<"reactions">> => [<<"+1">> || _ <- lists:seq(1, I rem 3)],
      <<"meta">> => #{<<"client">> => <<"web">>, <<"v">> => 2}}.
