# Writes test/render/fixtures/text.jsonl: random binaries (valid and invalid UTF-8, controls, C1, BOM,
# non-characters, astral code points) and random short integer lists, with Elixir 1.14's inspect/2 text
# (width: :infinity, so only String.printable?, List.ascii_printable? and escaping are under test).
#   elixir test/render/tools/gen-text-corpus.exs > test/render/fixtures/text.jsonl
:rand.seed(:exsss, {2, 7, 1})
cps = [0..0x1F, 0x20..0x7E, [0x7F], 0x80..0x9F, 0xA0..0xFF, 0x100..0x7FF, [0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x2028, 0x202E, 0xE000],
       0x800..0xFFF, 0x10000..0x10020, [0x10FFFF, ?#, ?{, ?", ?', ?\\]]
piece = fn ->
  case :rand.uniform(10) do
    1 -> <<:rand.uniform(256) - 1>>
    2 -> Enum.random([<<0xC0, 0x80>>, <<0xED, 0xA0, 0x80>>, <<0xF4, 0x90, 0x80, 0x80>>, <<0xE2, 0x82>>, <<0xF0>>])
    _ -> <<Enum.random(Enum.random(cps))::utf8>>
  end
end
bins = for _ <- 1..1500, do: (for _ <- 1..:rand.uniform(6), into: "", do: piece.())
lists = for _ <- 1..400, do: (for _ <- 1..:rand.uniform(5), do: Enum.random([:rand.uniform(300) - 1, Enum.random(~c"abc'\"\\#{}"), Enum.random([7, 8, 9, 10, 11, 12, 13, 27, 127, 6, 14, 26, 28])]))
to_json = fn s ->
  body = s |> String.codepoints() |> Enum.map(fn
    "\"" -> "\\\""
    "\\" -> "\\\\"
    <<c::utf8>> when c < 0x20 or c in 0x7F..0x9F or c in [0x2028, 0x2029] -> "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
    c -> c
  end)
  ~s("#{body}")
end
for t <- bins ++ lists do
  text = inspect(t, limit: :infinity, printable_limit: :infinity, width: :infinity)
  IO.puts(~s({"etf":"#{Base.encode64(:erlang.term_to_binary(t))}","inspect":#{to_json.(text)}}))
end
