using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Behaviour;

public sealed class LedgerAndFundTests
{
    [Fact]
    public void An_unbalanced_transaction_cannot_be_built()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LedgerTransaction.Create("t", "bad",
            new LedgerLeg(LedgerAccount.Wallet("a", "USDT"), 10m, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.External("USDT"), -9m, EntryKind.Deposit)));
        Assert.Contains("does not balance", error.Message);
    }

    [Fact]
    public void Entries_get_ids_and_zero_legs_are_dropped()
    {
        var transaction = LedgerTransaction.Create("t1", "fill",
            new LedgerLeg(LedgerAccount.Wallet("a", "USDT"), 0m, EntryKind.RealizedPnl),
            new LedgerLeg(LedgerAccount.Wallet("a", "USDT"), -1m, EntryKind.TradingFee),
            new LedgerLeg(LedgerAccount.FeeIncome("USDT"), 1m, EntryKind.TradingFee));
        Assert.Equal(["t1#0", "t1#1"], transaction.Entries.Select(e => e.EntryId));
    }

    [Fact]
    public void The_book_posts_each_transaction_once_and_refuses_a_changed_one()
    {
        var book = new LedgerBook();
        var deposit = LedgerTransaction.Create("d", "deposit",
            new LedgerLeg(LedgerAccount.External("USDT"), -5m, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet("a", "USDT"), 5m, EntryKind.Deposit));
        Assert.True(book.Post(deposit));
        Assert.False(book.Post(deposit));
        Assert.Equal(5m, book.Balance(LedgerAccount.Wallet("a", "USDT")));
        var changed = LedgerTransaction.Create("d", "deposit",
            new LedgerLeg(LedgerAccount.External("USDT"), -6m, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet("a", "USDT"), 6m, EntryKind.Deposit));
        Assert.Equal(ErrorCodes.DuplicateConflict, Assert.Throws<DomainException>(() => book.Post(changed)).Code);
    }

    [Fact]
    public void The_insurance_fund_never_goes_negative()
    {
        var fund = new InsuranceFund("USDT");
        fund.Apply(fund.DecideDeposit("seed", 100m));
        Assert.Equal(60m, fund.CanPay(60m));
        Assert.Equal(100m, fund.CanPay(500m));
        var overdraw = LedgerTransaction.Create("pay", "liquidation-settlement",
            new LedgerLeg(LedgerAccount.InsuranceFund("USDT"), -101m, EntryKind.InsurancePayout),
            new LedgerLeg(LedgerAccount.Wallet("a", "USDT"), 101m, EntryKind.InsurancePayout));
        Assert.Throws<DomainException>(() => fund.Apply(overdraw));
        Assert.Equal(100m, fund.Balance);
    }

    [Fact]
    public void Premium_samples_average_with_later_samples_weighing_more()
    {
        Assert.Equal(0.001m, FundingCalculator.PremiumSample(1_000m, 1_001m, 1_002m));
        Assert.Equal(-0.002m, FundingCalculator.PremiumSample(1_000m, 997m, 998m));
        Assert.Equal(0m, FundingCalculator.PremiumSample(1_000m, 999m, 1_001m));
        Assert.Equal((1m * 0.001m + 2m * 0.004m) / 3m, FundingCalculator.PremiumAverage([0.001m, 0.004m]));
        Assert.Equal(0m, FundingCalculator.PremiumAverage([]));
        Assert.Equal(0.003m, FundingCalculator.Rate(0.01m, 0.0001m, 0.0005m, 0.003m));
        Assert.Throws<DomainException>(() => FundingCalculator.PremiumSample(1_000m, 1_002m, 1_001m));
    }

    [Fact]
    public void The_mark_is_the_median_of_what_is_fed()
    {
        Assert.Equal(100m, MarkPriceCalculator.Derive(100m, null, 0.5m, null, null));
        Assert.Equal(100.005m, MarkPriceCalculator.Derive(100m, 0.0001m, 0.5m, null, null));
        Assert.Equal(101m, MarkPriceCalculator.Derive(100m, null, 0m, 1m, 105m));
        Assert.Equal(102.5m, MarkPriceCalculator.Derive(100m, null, 0m, 5m, null));
        Assert.Throws<DomainException>(() => MarkPriceCalculator.Derive(0m, null, 0m, null, null));
    }
}
