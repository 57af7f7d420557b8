# Writes test/render/fixtures/inspect-floats.txt: "<16 hex digits of the IEEE-754 bits> <inspect(float)>" per
# line, for floats where Inspect.Float differs from float_to_list(F, [:short]) or sits at its edges:
# integral values around 1, 1e15, 1e16 and 2^53, both signs. Deterministic.
#   elixir test/render/tools/gen-inspect-floats.exs > test/render/fixtures/inspect-floats.txt
import Bitwise
:rand.seed(:exsss, {7, 8, 9})
edges = [0.0, -0.0, 0.5, 0.999999, 1.0, -1.0, 1.5, 10.0, 1.0e3, 1.0e15, 9.999999999999998e15, 1.0e16, 1.0e17,
         9007199254740991.0, 9007199254740992.0, 4503599627370497.0, -1.0e15, 123456789.0e3, 2.0e-300]
ints = for _ <- 1..400, do: :rand.uniform(1 <<< :rand.uniform(56)) * 1.0
signed = for _ <- 1..100, do: -:rand.uniform(1 <<< :rand.uniform(56)) * 1.0
tens = for e <- 0..20, m <- [1.0, 2.5, 7.0], do: m * :math.pow(10, e)
for f <- edges ++ ints ++ signed ++ tens do
  <<h::64>> = <<f::float>>
  IO.puts("#{h |> Integer.to_string(16) |> String.pad_leading(16, "0")} #{inspect(f)}")
end
