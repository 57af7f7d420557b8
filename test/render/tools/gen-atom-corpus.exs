# Writes test/render/fixtures/atoms.jsonl: atoms (ASCII edge cases and random Unicode, some mixed-script or
# not NFC) with Macro.inspect_atom/2's three forms as Elixir 1.14 prints them. Deterministic.
#   elixir test/render/tools/gen-atom-corpus.exs > test/render/fixtures/atoms.jsonl
:rand.seed(:exsss, {3, 1, 4})
ranges = [?a..?z, ?A..?Z, ?0..?9, [?_, ?@, ?!, ??, ?., ?-, ?\s], 0xC0..0x24F, 0x370..0x3FF, 0x400..0x4FF,
          0x300..0x36F, 0x5D0..0x5EA, 0x620..0x64A, 0x900..0x97F, 0x3040..0x30FF, 0x4E00..0x4E80,
          0xAC00..0xAC80, 0x1F600..0x1F64F, [0xB5, 0xAA, 0xBA, 0x2118, 0x212E, 0x309B, 0x1E9E, 0xFF21, 0x2160]]
pick = fn -> Enum.random(Enum.random(ranges)) end
gen = fn n -> List.to_string(for _ <- 1..n, do: pick.()) end
fixed = ["a", "_", "_a", "A", "a?", "a!", "a?b", "é", "Ñ", "Ña", "aé", "éa", "ſ", "µ", "ａ", "ß", "ΑΒΓ", "αβγ",
         "Ωmega", "日本", "日本a", "aカ", "한국어", "a한", "e\u0301", "\u00e9", "a\u0301", "x@y", "x@", "@x"]
random = for _ <- 1..1500, do: gen.(:rand.uniform(5))
json = fn s ->
  body = s |> String.codepoints() |> Enum.map(fn
    "\"" -> "\\\""
    "\\" -> "\\\\"
    <<c::utf8>> when c < 0x20 or c in 0x7F..0x9F or c in [0x2028, 0x2029] -> "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
    c -> c
  end)
  ~s("#{body}")
end
for name <- Enum.uniq(fixed ++ random) do
  atom = String.to_atom(name)
  IO.puts(~s({"name":#{json.(name)},"literal":#{json.(Macro.inspect_atom(:literal, atom))},"key":#{json.(Macro.inspect_atom(:key, atom))},"remote":#{json.(Macro.inspect_atom(:remote_call, atom))}}))
end
