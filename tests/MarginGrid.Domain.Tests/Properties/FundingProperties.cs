using CsCheck;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>margin-rules.md section 9: funding is zero-sum across the holders of a market, up to accounted rounding.</summary>
public sealed class FundingProperties
{
    [Fact]
    public void Funding_is_zero_sum_and_the_rounding_residue_is_accounted_for()
    {
        var gen = Generators.AnyMarket.SelectMany(m =>
            Gen.Select(Gen.Const(m), Gen.Int[1, 5_000].Array[1, 8], Generators.Price(m), Gen.Int[-30, 30]));
        gen.Sample((market, longLots, mark, rateBasisPoints) =>
        {
            // As many shorts as longs in total, split differently, so the market's open interest balances.
            var longs = longLots.Select(l => l * market.LotSize).ToArray();
            var total = longs.Sum();
            var shorts = new[] { decimal.Floor(total / market.LotSize / 2m) * market.LotSize };
            shorts = shorts[0] == 0m ? [total] : [shorts[0], total - shorts[0]];
            var rate = rateBasisPoints / 10_000m;
            var book = new LedgerBook();
            var accounts = new List<Account>();
            void Open(string id, Side side, decimal quantity)
            {
                var account = new Account(id);
                book.Post(account.Execute(a => a.DecideFill(new Fill($"{id}-open", market.Symbol, side, quantity, mark, 0m), market))!.Transactions[0]);
                accounts.Add(account);
            }

            for (var i = 0; i < longs.Length; i++)
            {
                Open($"L{i}", Side.Buy, longs[i]);
            }

            for (var i = 0; i < shorts.Length; i++)
            {
                Open($"S{i}", Side.Sell, shorts[i]);
            }

            var exact = accounts.Sum(a => FundingCalculator.Payment(market, a.Positions[market.Symbol].Size, mark, rate));
            Assert.Equal(0m, decimal.Round(exact, 20));

            var walletsBefore = accounts.Sum(a => a.Wallet(market.SettleAsset));
            foreach (var account in accounts)
            {
                var e = account.Execute(a => a.DecideFunding("s1", market, rate, mark));
                book.Post(e!.Transactions[0]);
            }

            var residue = book.Balance(LedgerAccount.Residue(market.Symbol, market.SettleAsset));
            var paidToHolders = accounts.Sum(a => a.Wallet(market.SettleAsset)) - walletsBefore;
            Assert.Equal(0m, paidToHolders + residue);
            Assert.InRange(residue, 0m, accounts.Count * 0.00000001m);
        }, iter: 2_000);
    }

    [Fact]
    public void A_settlement_applied_twice_changes_nothing()
    {
        var market = Support.TestMarkets.Linear();
        var account = new Account("a");
        account.Execute(a => a.DecideFill(new Fill("f", market.Symbol, Side.Buy, 2m, 30_000m, 0m), market));
        account.Execute(a => a.DecideFunding("s1", market, 0.0001m, 30_000m));
        var wallet = account.Wallet("USDT");
        Assert.Null(account.Execute(a => a.DecideFunding("s1", market, 0.0001m, 30_000m)));
        Assert.Equal(wallet, account.Wallet("USDT"));
        Assert.Equal(-6m, wallet);
        var conflict = Assert.Throws<DomainException>(() => account.DecideFunding("s1", market, 0.0002m, 30_000m));
        Assert.Equal(ErrorCodes.DuplicateConflict, conflict.Code);
    }
}
