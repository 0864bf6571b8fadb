using BenchmarkDotNet.Attributes;
using MarginGrid.Domain.Margin;

namespace MarginGrid.Benchmarks;

/// <summary>The liquidation price of one cross position among five (the others held at their marks).</summary>
[MemoryDiagnoser]
public class LiquidationPriceBenchmarks
{
    // A wallet small enough that the measured position has a liquidation price (a rich wallet takes the early exit).
    private const decimal Wallet = 3_000m;
    private const int Target = 4;
    private MarkedPosition[] _positions = [];

    [GlobalSetup]
    public void Setup()
    {
        _positions = SampleAccounts.Positions(5);
        if (LiquidationPriceCalculator.PrintedForCross(Wallet, _positions, Target) is null)
        {
            throw new InvalidOperationException("The benchmark position must have a liquidation price.");
        }
    }

    [Benchmark(Baseline = true)]
    public decimal? RawCrossAmongFive() => LiquidationPriceCalculator.ForCross(Wallet, _positions, Target);

    [Benchmark]
    public decimal? PrintedCrossAmongFive() => LiquidationPriceCalculator.PrintedForCross(Wallet, _positions, Target);
}
