using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

public sealed class LiquidationVectorTests
{
    public static TheoryData<string> Cases => VectorFile.Ids("liquidation-waterfall");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Waterfall_vectors_hold_through_the_account(string id)
    {
        var vector = VectorFile.Case("liquidation-waterfall", id);
        var leverage = vector.GetProperty("leverage").GetInt32();
        var market = new MarketDefinition("X", Enum.Parse<MarketKind>(vector.Str("kind"), ignoreCase: true), "USDT", 1m, 0.01m, 0.001m,
            [new RiskBracketSpec(0m, leverage, vector.Dec("maintenanceMarginRate"))], TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m,
            vector.Dec("liquidationFeeRate"), TimeSpan.FromSeconds(10));
        var quantity = vector.Dec("quantity");
        var entry = vector.Dec("entryPrice");

        foreach (var c in vector.GetProperty("cases").EnumerateArray())
        {
            var fillPrice = c.Dec("fillPrice");
            var account = new Account("trader");
            var context = new MarketSnapshot().Add(market, entry);
            account.Execute(a => a.DecideDeposit("d", "USDT", 1_000_000m));
            account.Execute(a => a.DecideSettings("X", new PositionSettings(MarginMode.Isolated, leverage), context, Margin.MarginLevelThresholds.Default));
            account.Execute(a => a.DecideFill(new Fill("open", "X", Side.Buy, quantity, entry, 0m), market));
            var walletBefore = account.Wallet("USDT");

            account.Execute(a => a.DecideLiquidationTrade("liq", "full", market, quantity, fillPrice, deleveraged: false));
            var feeCharge = market.LiquidationFeeRate * ContractMath.Notional(market, quantity, fillPrice);
            var scope = MarginScope.Isolated("USDT", "X");
            var fund = new InsuranceFund("USDT");
            fund.Apply(fund.DecideDeposit("seed", 1_000_000m));
            var fundBefore = fund.Balance;
            if (fund.DecidePayout("liq", scope.LedgerAccount("trader"), Math.Max(0m, -account.ScopeBalance(scope))) is { } payout)
            {
                fund.Apply(payout);
                account.Execute(a => a.DecideInsurancePayout(payout));
            }

            var (settlement, outcome) = account.DecideLiquidationSettlement("liq", scope, market, feeCharge);
            account.Apply(settlement!);
            fund.Apply(settlement!.Transactions[0]);

            Assert.Equal(c.Dec("expectFundDelta"), fund.Balance - fundBefore);
            Assert.Null(account.DecideLiquidationSettlement("liq", scope, market, feeCharge).Event);
            Assert.Equal(c.Dec("expectTraderKeeps"), outcome.TraderKeeps);
            Assert.Equal(0m, outcome.FundPayout);
            Assert.Equal(c.Dec("expectTraderKeeps"), account.Wallet("USDT") - walletBefore);
            Assert.Equal(0m, account.IsolatedMargin("X", "USDT"));
        }
    }
}
