using BenchmarkDotNet.Attributes;
using MarginGrid.Domain.Margin;

namespace MarginGrid.Benchmarks;

/// <summary>The hot path: the worst margin level of an account at the current marks, as on every delivered tick.</summary>
[MemoryDiagnoser]
public class MarginEvaluationBenchmarks
{
    private MarkedPosition[] _positions = [];
    private WalletBalance[] _wallets = [];

    [Params(1, 5, 20)]
    public int Positions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _positions = SampleAccounts.Positions(Positions);
        _wallets = SampleAccounts.Wallets();
    }

    [Benchmark]
    public AccountHealth AssessAccount() => MarginCalculator.Assess(_wallets, _positions, MarginLevelThresholds.Default);
}
