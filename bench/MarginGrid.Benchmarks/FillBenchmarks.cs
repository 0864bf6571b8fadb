using BenchmarkDotNet.Attributes;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Benchmarks;

/// <summary>The fill path: the position arithmetic alone, and a whole fill decided into a ledger event and applied.</summary>
[MemoryDiagnoser]
public class FillBenchmarks
{
    private readonly MarketDefinition _market = SampleAccounts.Linear(0);
    private Account _account = new("bench");
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _account = new Account("bench");
        _account.Execute(a => a.DecideDeposit("seed", "USDT", 10_000_000m));
        _account.Execute(a => a.DecideFill(new Fill("open", _market.Symbol, Side.Buy, 5m, 30_000m, 0m), _market));
    }

    [Benchmark(Baseline = true)]
    public FillOutcome PositionArithmetic() => FillMath.Apply(_market, 5m, 30_000m, Side.Sell, 1.25m, 30_150.5m);

    /// <summary>Alternating buys and sells of the same size, so the account stays the same size across iterations.</summary>
    [Benchmark]
    public AccountEvent? DecideAndApplyFill()
    {
        var n = _next++;
        var side = n % 2 == 0 ? Side.Sell : Side.Buy;
        return _account.Execute(a => a.DecideFill(new Fill($"f{n}", _market.Symbol, side, 1.25m, 30_150.5m, 1.5m), _market));
    }
}
