using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>
    /// A liquidation trade on this account's position: reduces it by up to <paramref name="quantity"/> at
    /// <paramref name="price"/> (the executor's fill, or the bankruptcy price for the deleveraged part). The
    /// realized PnL stays in the scope (wallet, or isolated margin) until the waterfall settles it.
    /// </summary>
    public AccountEvent? DecideLiquidationTrade(string operationId, string step, MarketDefinition market, decimal quantity, decimal price, bool deleveraged)
    {
        ArgumentNullException.ThrowIfNull(market);
        Require.CompositeId(operationId, "An operation id");
        Require.CompositeId(step, "A step id");
        Require.Positive(quantity, "Quantity", ErrorCodes.InvalidQuantity);
        Require.Positive(price, "Price", ErrorCodes.InvalidPrice);
        var key = $"liq:{operationId}:{step}";
        var fingerprint = Fingerprint.Of(market.Symbol, quantity, price, deleveraged);
        if (IsReplay(key, fingerprint))
        {
            return null;
        }

        // Fills are always applied, so one may have shrunk or closed the position since the coordinator
        // planned this trade: it reduces by what is still held, and a closed position makes it a no-op.
        if (!_positions.TryGetValue(market.Symbol, out var position))
        {
            return new AccountEvent(key, fingerprint, "liquidation-trade", [], [], []);
        }

        var outcome = FillMath.Apply(market, position.Size, position.EntryPrice, position.Size > 0m ? Side.Sell : Side.Buy, Math.Min(quantity, position.Quantity), price);
        var realized = MoneyRounding.InVenueFavour(outcome.RealizedPnl, market.SettleDecimals);
        var kind = deleveraged ? EntryKind.AdlPnl : EntryKind.RealizedPnl;
        var transaction = LedgerTransaction.Create(TransactionId(key), deleveraged ? "adl" : "liquidation",
            new LedgerLeg(ScopeAccount(position, market), realized, kind),
            new LedgerLeg(LedgerAccount.Clearing(market.Symbol, market.SettleAsset), -realized, kind));
        return NewEvent(key, fingerprint, "liquidation-trade", transaction, position with { Size = outcome.NewSize, EntryPrice = outcome.NewEntryPrice });
    }

    /// <summary>
    /// Credits an insurance-fund payout that the fund decided (<see cref="InsuranceFund.DecidePayout"/>) to
    /// this account's scope. The fund decides first so that it can never pay out more than it holds, even
    /// when several liquidations draw on it at once.
    /// </summary>
    public AccountEvent? DecideInsurancePayout(LedgerTransaction payout)
    {
        ArgumentNullException.ThrowIfNull(payout);
        Require.That(payout.Entries.Any(e => e.Account.BelongsTo(Id)) && payout.Entries.All(e => e.Kind == EntryKind.InsurancePayout),
            ErrorCodes.InvalidArgument, $"Transaction {payout.TransactionId} is not an insurance payout to account {Id}.");
        var key = $"tx:{payout.TransactionId}";
        var fingerprint = Fingerprint.Of(payout.NetFor(payout.Entries.First(e => e.Account.BelongsTo(Id)).Account));
        return IsReplay(key, fingerprint)
            ? null
            : new AccountEvent(key, fingerprint, "insurance-payout", [payout], [], []);
    }

    /// <summary>
    /// Settles a scope whose positions the liquidation has closed (the waterfall), after any insurance
    /// payout was credited: with <c>r</c> the scope's margin, a positive r pays <c>min(fee, r)</c> (the fee
    /// rounded up to the asset's precision) to the insurance fund and the trader keeps the rest (an isolated
    /// scope's rest goes back to the wallet); a negative r, what neither the fund nor ADL covered, is credited
    /// from the market's deficit account, so the trader ends at exactly 0 and the deficit stays on record.
    /// </summary>
    public (AccountEvent? Event, WaterfallOutcome Outcome) DecideLiquidationSettlement(string operationId, MarginScope scope, MarketDefinition market, decimal feeCharge)
    {
        ArgumentNullException.ThrowIfNull(market);
        Require.CompositeId(operationId, "An operation id");
        Require.NotNegative(feeCharge, "Liquidation fee", ErrorCodes.InvalidAmount);
        var key = $"liq:{operationId}:settle:{scope}";
        var fingerprint = Fingerprint.Of(scope, market.Symbol, feeCharge);
        if (IsReplay(key, fingerprint))
        {
            return (null, default);
        }

        Require.That(!_positions.Values.Any(p => InScope(p, scope)), ErrorCodes.ScopeStillOpen,
            $"Scope {scope} of account {Id} still has open positions; close them before settling.");
        var account = scope.LedgerAccount(Id);
        var remaining = _balances.GetValueOrDefault(account);
        var outcome = Waterfall.Resolve(remaining, MoneyRounding.ChargeUp(feeCharge, market.SettleDecimals), 0m);
        var legs = new List<LedgerLeg>
        {
            new(account, -outcome.Fee, EntryKind.LiquidationFee),
            new(LedgerAccount.InsuranceFund(scope.Asset), outcome.Fee, EntryKind.LiquidationFee),
            new(LedgerAccount.Deficit(market.Symbol, scope.Asset), -outcome.Deficit, EntryKind.Deficit),
            new(account, outcome.Deficit, EntryKind.Deficit),
        };
        if (scope.Symbol is not null && outcome.TraderKeeps > 0m)
        {
            legs.Add(new(account, -outcome.TraderKeeps, EntryKind.MarginTransfer));
            legs.Add(new(LedgerAccount.Wallet(Id, scope.Asset), outcome.TraderKeeps, EntryKind.MarginTransfer));
        }

        var transaction = LedgerTransaction.Create(TransactionId(key), "liquidation-settlement", [.. legs]);
        return (NewEvent(key, fingerprint, "liquidation-settlement", transaction), outcome);
    }

    /// <summary>The balance of a scope: the cross wallet, or the isolated margin (<c>r</c> of the waterfall once the scope is closed).</summary>
    public decimal ScopeBalance(MarginScope scope) => _balances.GetValueOrDefault(scope.LedgerAccount(Id));

    /// <summary>
    /// The counterparty side of auto-deleveraging: this account's position on the <paramref name="side"/>
    /// (+1 long, −1 short) is reduced by up to <paramref name="quantity"/> at the liquidated position's
    /// bankruptcy price, like an ordinary closing trade (realized PnL to the wallet, isolated margin released
    /// in proportion). It takes what it still holds: several liquidations may race for the same counterparty,
    /// and the caller learns the quantity taken from <see cref="DeleveragedQuantity"/>. A position gone or
    /// flipped makes it a no-op (still recorded, so a replay answers alike).
    /// </summary>
    public AccountEvent? DecideDeleverage(string operationId, MarketDefinition market, decimal quantity, decimal price, int side)
    {
        ArgumentNullException.ThrowIfNull(market);
        Require.CompositeId(operationId, "An operation id");
        Require.Positive(quantity, "Quantity", ErrorCodes.InvalidQuantity);
        Require.Positive(price, "Price", ErrorCodes.InvalidPrice);
        Require.That(side is 1 or -1, ErrorCodes.InvalidArgument, "The side to deleverage is +1 (long) or −1 (short).");
        var key = $"adl:{operationId}";
        var fingerprint = Fingerprint.Of(market.Symbol, quantity, price, side);
        if (IsReplay(key, fingerprint))
        {
            return null;
        }

        if (!_positions.TryGetValue(market.Symbol, out var position) || Math.Sign(position.Size) != side)
        {
            return new AccountEvent(key, fingerprint, "adl", [], [], []);
        }

        var outcome = FillMath.Apply(market, position.Size, position.EntryPrice, position.Size > 0m ? Side.Sell : Side.Buy, Math.Min(quantity, position.Quantity), price);
        var realized = MoneyRounding.InVenueFavour(outcome.RealizedPnl, market.SettleDecimals);
        var legs = new List<LedgerLeg>
        {
            new(LedgerAccount.Wallet(Id, market.SettleAsset), realized, EntryKind.AdlPnl),
            new(LedgerAccount.Clearing(market.Symbol, market.SettleAsset), -realized, EntryKind.AdlPnl),
        };
        if (position.IsIsolated)
        {
            AddIsolatedMarginMoves(legs, market, position, outcome, price, Wallet(market.SettleAsset) + realized);
        }

        var transaction = LedgerTransaction.Create(TransactionId(key), "adl", [.. legs]);
        return NewEvent(key, fingerprint, "adl", transaction, position with { Size = outcome.NewSize, EntryPrice = outcome.NewEntryPrice });
    }

    /// <summary>The quantity an applied deleverage event took: the closed size, from its position before and after.</summary>
    public static decimal DeleveragedQuantity(AccountEvent deleverage, decimal sizeBefore)
    {
        ArgumentNullException.ThrowIfNull(deleverage);
        return deleverage.Positions.IsEmpty ? 0m : Math.Abs(sizeBefore) - Math.Abs(deleverage.Positions[0].Size);
    }

    private LedgerAccount ScopeAccount(Position position, MarketDefinition market) =>
        position.IsIsolated
            ? LedgerAccount.Isolated(Id, market.Symbol, market.SettleAsset)
            : LedgerAccount.Wallet(Id, market.SettleAsset);

    private static bool InScope(Position position, MarginScope scope) =>
        scope.Symbol is { } symbol ? position.Symbol == symbol : !position.IsIsolated && position.SettleAsset == scope.Asset;
}
