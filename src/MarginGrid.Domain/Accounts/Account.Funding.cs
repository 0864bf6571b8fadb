using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>
    /// Settles funding of one market on this account: the holder pays <c>s·N·F</c> at the settlement mark,
    /// rounded in the venue's favour; the market's residue account takes the other leg, so what rounding
    /// keeps is accounted for. Cross positions settle against the wallet, isolated ones against their margin.
    /// Null when the account holds no position in the market or already applied this settlement.
    /// </summary>
    public AccountEvent? DecideFunding(string settlementId, MarketDefinition market, decimal rate, decimal markPrice)
    {
        ArgumentNullException.ThrowIfNull(market);
        Require.Id(settlementId, "A settlement id");
        Require.That(Math.Abs(rate) <= market.FundingCap, ErrorCodes.InvalidRate, $"Funding rate {rate} is beyond the cap ±{market.FundingCap}.");
        market.RequireValidPrice(markPrice, "Settlement mark");
        var key = $"funding:{market.Symbol}:{settlementId}";
        var fingerprint = Fingerprint.Of(rate, markPrice);
        if (IsReplay(key, fingerprint) || !_positions.TryGetValue(market.Symbol, out var position))
        {
            return null;
        }

        var flow = MoneyRounding.InVenueFavour(-FundingCalculator.Payment(market, position.Size, markPrice, rate), market.SettleDecimals);
        var target = position.IsIsolated
            ? LedgerAccount.Isolated(Id, market.Symbol, market.SettleAsset)
            : LedgerAccount.Wallet(Id, market.SettleAsset);
        var transaction = LedgerTransaction.Create(TransactionId(key), "funding",
            new LedgerLeg(target, flow, EntryKind.Funding),
            new LedgerLeg(LedgerAccount.Residue(market.Symbol, market.SettleAsset), -flow, EntryKind.Funding));
        return NewEvent(key, fingerprint, "funding", transaction, position);
    }
}
