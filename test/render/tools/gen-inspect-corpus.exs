# Differential corpus for src/render/inspect.ts: terms (hand-picked and random) with the text Elixir prints.
#   elixir test/render/tools/gen-inspect-corpus.exs > test/render/fixtures/inspect-corpus.jsonl
# One JSON object per line: name, width, colors (IO.ANSI.syntax_colors/0 or none), etf (base64 of
# term_to_binary), inspect (Kernel.inspect(term, pretty: true, limit: :infinity, printable_limit: :infinity,
# width: width) — IO.inspect's text without the newline). Elixir 1.14 prints charlists as '...'.
# Local funs are left out: Elixir names their function only when the module is loaded (see the unit tests).

defmodule Phoenix.Socket.Broadcast do
  defstruct [:topic, :event, :payload]
end

defmodule Phoenix.Socket.Message do
  defstruct topic: nil, event: nil, payload: nil, ref: nil, join_ref: nil
end

defmodule Phoenix.Socket.Reply do
  defstruct topic: nil, status: nil, payload: nil, ref: nil, join_ref: nil
end

defmodule Gen do
  import Bitwise

  @atoms [:ok, :error, nil, true, false, :foo_bar, :"with space", :"9a", :Foo, Foo.Bar, :"Elixir.foo",
          :+, :"::", :"a\nb", :é, :"aб", :nonode@nohost, :"", :ok?, :"@x", :"a-b", :__struct__, :Elixir,
          :"hello world and more words to make it long", :"\e[31m", :"日本", :"\u0085"]

  @strings ["", "hello", "with \"quotes\" and \\ backslash", "tab\tnewline\n", "\#{interp}", "héllo wörld",
            "日本語のテキスト", "emoji 😀 here", "\e[31mred\e[0m", "del\x7f", "bell\a", "\uFEFF bom",
            "a long string that goes on and on past the eighty column limit of the printer, surely",
            "nul\0byte", "c1 \u0085 control", "\u2028 separator", "{\"json\":[1,2,3],\"k\":\"v\"}"]

  def atom, do: Enum.random(@atoms)
  def string, do: Enum.random(@strings)

  def int do
    case :rand.uniform(7) do
      1 -> :rand.uniform(256) - 1
      2 -> :rand.uniform(100_000) - 50_000
      3 -> :rand.uniform(1 <<< 40) - (1 <<< 39)
      4 -> (1 <<< 53) + :rand.uniform(1000)
      5 -> -((1 <<< 64) * :rand.uniform(1 <<< 64))
      6 -> 1_700_000_000_000_000 + :rand.uniform(1_000_000)
      7 -> 0
    end
  end

  def float do
    case :rand.uniform(5) do
      1 -> :rand.uniform() * 100
      2 -> (:rand.uniform(2000) - 1000) * 1.0
      3 -> :rand.normal() * :math.pow(10, :rand.uniform(40) - 20)
      4 -> Enum.random([0.0, -0.0, 1.0e16, 1.0e15, 5.0e-324, 1.0e-4, 1.0e-5, 123456.789])
      5 -> :rand.uniform(1 <<< 60) * 1.0
    end
  end

  def bin do
    case :rand.uniform(4) do
      1 -> :crypto.strong_rand_bytes(:rand.uniform(40))
      2 -> string()
      3 -> <<:rand.uniform(255)::8, string()::binary>>
      4 -> for _ <- 1..:rand.uniform(60), into: "", do: <<Enum.random(~c"abc xyz\n\t\"\\{}#")>>
    end
  end

  def bits do
    n = :rand.uniform(30)
    <<x::size(n)>> = <<:rand.uniform(1 <<< n) - 1::size(n)>>
    <<x::size(n)>>
  end

  def leaf do
    case :rand.uniform(9) do
      1 -> int()
      2 -> float()
      3 -> atom()
      4 -> bin()
      5 -> bits()
      6 -> Enum.random([self(), make_ref(), hd(Port.list())])
      7 -> Enum.random([&Enum.map/2, &:lists.reverse/1, &Kernel.+/2, &String.upcase/1])
      8 -> Enum.random([~c"charlist", ~c"with 'quote'", ~c"tab\there", [7, 8, 27, 127], [], [0, 1, 2], ~c"\#{x}"])
      9 -> string()
    end
  end

  def term(d) when d <= 0, do: leaf()

  def term(d) do
    case :rand.uniform(16) do
      n when n <= 4 -> leaf()
      5 -> for _ <- 0..:rand.uniform(6), do: term(d - 1)
      6 -> for _ <- 0..:rand.uniform(5), do: {atom(), term(d - 1)}
      7 -> List.to_tuple(for _ <- 1..:rand.uniform(5), do: term(d - 1))
      8 -> Map.new(for _ <- 0..:rand.uniform(6), do: {Enum.random([:a, :b, :c, :d, :e, :f, :g, :h]), term(d - 1)})
      9 -> Map.new(for _ <- 0..:rand.uniform(5), do: {term(d - 2), term(d - 1)})
      10 -> [term(d - 1) | leaf()]
      11 -> MapSet.new(for _ <- 0..:rand.uniform(5), do: term(d - 1))
      12 -> %Phoenix.Socket.Broadcast{topic: "room:" <> string(), event: "new_msg", payload: term(d - 1)}
      13 -> Map.new(for i <- 1..(30 + :rand.uniform(10)), do: {Enum.random(["key#{i}", i, {i}]), leaf()})
      14 -> Enum.random([1..10, 1..10//2, 10..1//-1, 5..5, -3..-1, 0..100_000_000_000])
      15 -> struct_like(d)
      16 -> {:ok, %{"body" => string(), "user_id" => int(), "tags" => for(_ <- 0..:rand.uniform(4), do: string())}}
    end
  end

  def struct_like(d) do
    case :rand.uniform(6) do
      1 -> Enum.random([~D[2024-01-02], ~D[0001-12-31], Date.new!(-5, 3, 4)])
      2 -> Enum.random([~T[01:02:03], ~T[01:02:03.000], ~T[01:02:03.123456], ~T[23:59:59.1], Time.new!(1, 2, 3, {5000, 4})])
      3 -> Enum.random([~N[2024-01-02 03:04:05], ~N[2024-01-02 03:04:05.123]])
      4 ->
        Enum.random([
          ~U[2024-01-02 03:04:05Z],
          ~U[2024-01-02 03:04:05.000001Z],
          %DateTime{year: 2024, month: 7, day: 1, hour: 12, minute: 0, second: 0, microsecond: {0, 0},
                    time_zone: "Europe/Paris", zone_abbr: "CEST", utc_offset: 3600, std_offset: 3600},
          %DateTime{year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: {0, 3},
                    time_zone: "America/St_Johns", zone_abbr: "NST", utc_offset: -12600, std_offset: 0}
        ])
      5 -> %{__struct__: Some.Unknown.Struct, name: string(), value: term(d - 1)}
      6 -> %Phoenix.Socket.Message{topic: "t", event: "phx_reply", payload: %{"status" => "ok"}, ref: "1", join_ref: "2"}
    end
  end
end

import Bitwise
:rand.seed(:exsss, {2024, 1, 2})

fixed = [
  {"nested_list", [[1, [2, [3, [4, [5]]]]]]},
  {"long_int_list", Enum.to_list(1..100)},
  {"long_binary", :binary.copy(<<0, 255, 17>>, 40)},
  {"keyword", [a: 1, b: "two", c: [d: :e]]},
  {"quoted_keys", [{:"with space", 1}, {:"Elixir.Foo", 2}]},
  {"elixir_key", [{Foo, 1}]},
  {"map_atoms", %{body: "x", user: %{id: 1, name: "n"}}},
  {"map_mixed", %{"a" => 1, :b => 2, 3 => [4]}},
  {"improper", [1, 2 | 3]},
  {"improper_long", Enum.to_list(1..40) ++ :tail},
  {"empty", {[], {}, %{}, "", <<>>, ~c""}},
  {"bitstring", {<<1::3>>, <<255, 1::1>>, <<0::7>>}},
  {"broadcast", struct!(Phoenix.Socket.Broadcast, topic: "room:lobby", event: "new_msg", payload: %{"body" => "hi", "user" => "ann"})},
  {"reply", struct!(Phoenix.Socket.Reply, topic: "room:1", status: :ok, payload: %{}, ref: "3", join_ref: "1")},
  {"mapset", MapSet.new([1, 2, 3, ~c"ab", {:a, ~c"cd"}])},
  {"mapset_kw", MapSet.new([a: 1])},
  {"unknown_struct", %{__struct__: Foo.Bar, Zed: 1, a: 2}},
  {"big_map", Map.new(1..40, &{&1, &1 * 2})},
  {"big_atom_map", Map.new(1..40, &{:"k#{&1}", &1})},
  {"floats", [0.1, 1.0, -0.0, 1.0e16, 1.0e15, 5.0e-324, 1.0e-4, 1.0e-5, 100.0, 1000.0, 9007199254740993.0]},
  {"bigints", [1 <<< 64, -(1 <<< 100), 123_456_789_012_345_678_901_234_567_890]},
  {"pubsub_v3", {3, :except, :nonode@nohost, "room:lobby", struct!(Phoenix.Socket.Broadcast, topic: "room:lobby", event: "e", payload: %{"a" => [1, 2, 3]}), Phoenix.Channel.Server}},
  {"presence", {:pub, :heartbeat, {:"n1@host", 1_700_000_000_000_000}, :empty, %{{:"n1@host", 1_700_000_000_000_000} => 5}}},
  {"charlists", [~c"abc", ~c"it's", ~c"a\"b", ~c"\e[0m", ~c"\#{x}", [?a, 200], [7, 8, 9, 10, 11, 12, 13, 27]]},
  {"strings", ["", "hello", "with \"quotes\" and \\ backslash", "tab\tnewline\n", "\#{interp}", "héllo wörld", "日本語", "\e[31mred", "del\x7f", "\uFEFF", "nul\0", "\u0085", <<0xC0, 0x80>>, <<0xED, 0xA0, 0x80>>, <<0xF4, 0x90, 0x80, 0x80>>, "\uFFFE"]},
  {"atoms", [:ok, :"with space", :"9a", :Foo, Foo.Bar, :"Elixir.foo", :+, :"::", :"a\nb", :é, :"aб", :nonode@nohost, :"", :%{}, :"µ", :Élixir, :Ñu, :"ｆｏｏ", :"\u0085", :"a\u00A0b"]},
  {"exports", [&Enum.map/2, &:lists.reverse/1, &Kernel.+/2, :erlang.make_fun(:m, :"foo bar", 1), :erlang.make_fun(Foo, :"Foo", 0)]},
  {"ranges", [1..10, 1..10//2, 10..1//-1, 5..5, -3..-1, %{__struct__: Range, first: 1, last: 3}, %{__struct__: Range, first: 3, last: 1}]},
  {"calendar", [~D[2024-01-02], ~T[01:02:03.120], ~N[2024-01-02 03:04:05], ~U[2024-01-02 03:04:05.123Z], Date.new!(-5, 3, 4)]},
  {"deep_tuple", Enum.reduce(1..200, :x, fn _, acc -> {acc} end)},
  {"deep_map", Enum.reduce(1..30, :x, fn _, acc -> %{a: acc} end)},
  {"wide_tuple", List.to_tuple(Enum.map(1..30, &"item #{&1}"))},
  {"mixed_list", [1, :a, "b", {2, 3}, [4], %{c: 5}, 6.0, <<7::4>>]}
]

random =
  for(i <- 1..1500, do: {"random_#{i}", Gen.term(Enum.random(1..4))})
  |> Enum.filter(fn {_, t} -> byte_size(:erlang.term_to_binary(t)) < 1500 end)
  |> Enum.take(500)

to_json = fn s ->
  escaped =
    s
    |> String.codepoints()
    |> Enum.map(fn
      "\"" -> "\\\""
      "\\" -> "\\\\"
      <<c::utf8>> when c < 0x20 or c == 0x7F or (c >= 0x80 and c < 0xA0) or c == 0x2028 or c == 0x2029 ->
        "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
      c -> c
    end)

  ~s("#{escaped}")
end

for {{name, term}, i} <- Enum.with_index(fixed ++ random) do
  for {width, colors} <- [{80, false}] ++ if(rem(i, 7) == 0, do: [{30, false}, {80, true}], else: []) do
    opts = [pretty: true, limit: :infinity, printable_limit: :infinity, width: width]
    opts = if colors, do: Keyword.put(opts, :syntax_colors, IO.ANSI.syntax_colors()), else: opts
    text = inspect(term, opts)
    etf = Base.encode64(:erlang.term_to_binary(term))
    IO.puts(~s({"name":"#{name}","width":#{width},"colors":#{colors},"etf":"#{etf}","inspect":#{to_json.(text)}}))
  end
end
