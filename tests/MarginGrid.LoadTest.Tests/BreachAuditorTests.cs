using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;
using MarginGrid.LoadTest.Workload;

namespace MarginGrid.LoadTest.Tests;

/// <summary>
/// The auditor values an account as the account judges itself: the ledger balance plus the funding it counts but
/// has not written yet. Valued on the ledger balance alone, a holder that received a round looks poorer than it is
/// and is reported as a missed breach.
/// </summary>
public sealed class BreachAuditorTests
{
    [Fact]
    public void Unrealised_funding_counts_in_the_auditors_valuation()
    {
        var market = MarketCatalog.Create(1, new Random(1))[0];
        var auditor = new BreachAuditor(null!, new Dictionary<string, Domain.Markets.MarketDefinition> { [market.Symbol] = market.Definition }, MarginLevelThresholds.Default);
        var marks = new Dictionary<string, decimal> { [market.Symbol] = market.StartPrice };
        var size = decimal.Round(100_000m / market.StartPrice, 4);
        var notional = size * market.StartPrice;

        // Maintenance margin is 0.4% of the notional at the first bracket: a wallet of 0.3% is in breach, 0.5% is not.
        var ledgerOnly = Holdings(market.Symbol, size, market.StartPrice, balance: notional * 0.003m, unrealised: 0m);
        var withFunding = Holdings(market.Symbol, size, market.StartPrice, balance: notional * 0.003m, unrealised: notional * 0.002m);

        Assert.True(auditor.InBreach(ledgerOnly, marks));
        Assert.False(auditor.InBreach(withFunding, marks));
    }

    private static AccountHoldings Holdings(string symbol, decimal size, decimal entry, decimal balance, decimal unrealised) =>
        new("a", 1, [new WalletHolding("USDT", balance, unrealised)],
            [new PositionHolding(symbol, "USDT", PositionMarginMode.Cross, 20, size, entry, 0m)], LiquidationPending: false, UnsettledScopes: []);
}
