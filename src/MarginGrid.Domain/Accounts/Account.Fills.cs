using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>
    /// Applies a trade (margin-rules.md section 3): always applied, whatever the margin, because it already
    /// happened on the matching engine. Realized PnL and the fee go to the wallet; isolated positions move
    /// margin between wallet and isolated margin.
    /// </summary>
    public AccountEvent? DecideFill(Fill fill, MarketDefinition market)
    {
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentNullException.ThrowIfNull(market);
        Require.Id(fill.FillId, "A fill id");
        Require.That(fill.Symbol == market.Symbol, ErrorCodes.InvalidArgument, $"Fill {fill.FillId} is for {fill.Symbol}, not {market.Symbol}.");
        Require.That(Enum.IsDefined(fill.Side), ErrorCodes.InvalidArgument, "A side is buy or sell.");
        market.RequireValidQuantity(fill.Quantity);
        market.RequireValidPrice(fill.Price);
        GridBounds.Amount(fill.Fee, market.SettleDecimals, "Fee");
        GridBounds.Within(ContractMath.Notional(market, fill.Quantity, fill.Price), GridBounds.MaxNotional, "Fill notional");

        var key = $"fill:{fill.FillId}";
        var fingerprint = Fingerprint.Of(fill.Symbol, fill.Side, fill.Quantity, fill.Price, fill.Fee);
        if (IsReplay(key, fingerprint))
        {
            return null;
        }

        var current = _positions.GetValueOrDefault(fill.Symbol) ?? Position.Flat(fill.Symbol, market.SettleAsset, SettingsFor(market));
        var outcome = FillMath.Apply(market, current.Size, current.EntryPrice, fill.Side, fill.Quantity, fill.Price);
        market.RequireWithinBounds(outcome.NewSize, outcome.NewEntryPrice, "The resulting position's");
        var asset = market.SettleAsset;
        var wallet = LedgerAccount.Wallet(Id, asset);
        var realized = MoneyRounding.InVenueFavour(outcome.RealizedPnl, market.SettleDecimals);
        var legs = new List<LedgerLeg>
        {
            new(wallet, realized, EntryKind.RealizedPnl),
            new(LedgerAccount.Clearing(market.Symbol, asset), -realized, EntryKind.RealizedPnl),
            new(wallet, -fill.Fee, EntryKind.TradingFee),
            new(LedgerAccount.FeeIncome(asset), fill.Fee, EntryKind.TradingFee),
        };

        if (current.IsIsolated)
        {
            var walletAfter = Wallet(asset) + realized - fill.Fee;
            AddIsolatedMarginMoves(legs, market, current, outcome, fill.Price, walletAfter);
        }

        var transaction = LedgerTransaction.Create(TransactionId(key), "fill", [.. legs]);
        var after = current with { Size = outcome.NewSize, EntryPrice = outcome.NewEntryPrice };
        return NewEvent(key, fingerprint, "fill", transaction, after);
    }

    /// <summary>
    /// Reducing by a fraction f of the size moves f · isolated margin back to the wallet; opening or
    /// increasing moves <c>added notional at fill price / leverage</c> from the wallet, or what the wallet has.
    /// </summary>
    private void AddIsolatedMarginMoves(List<LedgerLeg> legs, MarketDefinition market, Position current, FillOutcome outcome, decimal price, decimal walletAfter)
    {
        var isolated = LedgerAccount.Isolated(Id, market.Symbol, market.SettleAsset);
        var wallet = LedgerAccount.Wallet(Id, market.SettleAsset);
        var margin = current.IsolatedMargin;
        if (outcome.ClosedQuantity > 0m)
        {
            var release = outcome.ClosedQuantity == current.Quantity
                ? margin
                : MoneyRounding.PayDown(margin * outcome.ClosedQuantity / current.Quantity, market.SettleDecimals);
            legs.Add(new LedgerLeg(isolated, -release, EntryKind.MarginTransfer));
            legs.Add(new LedgerLeg(wallet, release, EntryKind.MarginTransfer));
            walletAfter += release;
        }

        if (outcome.OpenedQuantity > 0m)
        {
            var required = MoneyRounding.ChargeUp(ContractMath.Notional(market, outcome.OpenedQuantity, price) / current.Leverage, market.SettleDecimals);
            var moved = Math.Clamp(required, 0m, Math.Max(0m, walletAfter));
            legs.Add(new LedgerLeg(wallet, -moved, EntryKind.MarginTransfer));
            legs.Add(new LedgerLeg(isolated, moved, EntryKind.MarginTransfer));
        }
    }
}
