using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;

namespace MarginGrid.Domain.Tests.Behaviour;

/// <summary>What the fund pays is booked at the asset's precision, rounded down, and the transaction stays balanced.</summary>
public sealed class FundPrecisionTests
{
    [Fact]
    public void A_payout_requested_at_full_precision_is_booked_at_the_assets_precision()
    {
        var fund = new InsuranceFund("USDT");
        fund.Apply(fund.DecideDeposit("seed", 20_000m));
        var target = LedgerAccount.Wallet("alice", "USDT");

        var payout = fund.DecidePayout("L1-1", target, 17_098.657869448234858307093905m)!;

        var paid = payout.NetFor(target);
        Assert.Equal(17_098.65786944m, paid);
        Assert.Equal(paid, decimal.Round(paid, Account.DefaultAssetDecimals));
        Assert.Empty(LedgerTransaction.Imbalances(payout.Entries));
    }

    [Fact]
    public void A_payout_below_the_smallest_unit_is_no_payout()
    {
        var fund = new InsuranceFund("USDT");
        fund.Apply(fund.DecideDeposit("seed", 1m));

        Assert.Null(fund.DecidePayout("L1-2", LedgerAccount.Wallet("bob", "USDT"), 0.0000000031765141692906m));
    }

    [Fact]
    public void A_deposit_with_more_decimals_than_the_asset_is_refused_not_rounded()
    {
        var fund = new InsuranceFund("USDT");

        Assert.Equal(ErrorCodes.TooPrecise, Assert.Throws<DomainException>(() => fund.DecideDeposit("d", 1.000000001m)).Code);
        Assert.Equal(0m, fund.Balance);
    }
}
