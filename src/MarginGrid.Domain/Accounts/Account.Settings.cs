using System.Collections.Immutable;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>
    /// Sets the margin mode and leverage of a market. The mode can change only while flat; leverage must fit
    /// the bracket of the current notional and leave the scope's margin balance above its initial margin.
    /// </summary>
    public AccountEvent? DecideSettings(string symbol, PositionSettings settings, IMarketContext context, MarginLevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var market = context.Market(symbol);
        Require.That(Enum.IsDefined(settings.Mode), ErrorCodes.InvalidArgument, "A margin mode is cross or isolated.");
        Require.That(settings.Leverage >= 1, ErrorCodes.InvalidLeverage, $"Leverage must be at least 1 (was {settings.Leverage}).");
        if (_settings.TryGetValue(symbol, out var existing) && existing == settings)
        {
            return null;
        }

        var fingerprint = Fingerprint.Of(symbol, settings.Mode, settings.Leverage);
        if (!_positions.TryGetValue(symbol, out var position))
        {
            RequireLeverageWithinBracket(market, settings.Leverage, 0m);
            return new AccountEvent(null, fingerprint, "settings", [], [], [new SymbolSettings(symbol, settings)]);
        }

        Require.That(settings.Mode == position.Mode, ErrorCodes.MarginModeLocked,
            $"The margin mode of {symbol} cannot change while a position is open.");
        var mark = context.Mark(symbol);
        var notional = ContractMath.Notional(market, position.Quantity, mark);
        RequireLeverageWithinBracket(market, settings.Leverage, notional);

        var changed = position with { Leverage = settings.Leverage };
        var scope = position.IsIsolated
            ? MarginCalculator.IsolatedScope(market, changed, mark, thresholds)
            : MarginCalculator.CrossScope(market.SettleAsset, Wallet(market.SettleAsset),
                [.. MarkPositions(context).Select(p => p.Position.Symbol == symbol ? p with { Position = changed } : p)], thresholds);
        Require.That(scope.MarginBalance >= scope.InitialMargin, ErrorCodes.InsufficientMargin,
            $"Leverage {settings.Leverage} on {symbol} needs initial margin {scope.InitialMargin} but the margin balance is {scope.MarginBalance}.");
        return new AccountEvent(null, fingerprint, "settings", [], [changed], [new SymbolSettings(symbol, settings)]);
    }

    /// <summary>Adds (positive) or removes (negative, down to the position's IM) isolated margin.</summary>
    public AccountEvent? DecideIsolatedMarginChange(string operationId, string symbol, decimal delta, IMarketContext context, MarginLevelThresholds thresholds)
    {
        Require.Id(operationId, "An operation id");
        var market = context.Market(symbol);
        Require.That(delta != 0m, ErrorCodes.InvalidAmount, "An isolated margin change must not be zero.");
        GridBounds.Amount(delta, market.SettleDecimals, "Isolated margin change");
        var key = $"op:{operationId}";
        var fingerprint = Fingerprint.Of("isolated-margin", symbol, delta);
        if (IsReplay(key, fingerprint))
        {
            return null;
        }

        Require.That(_positions.TryGetValue(symbol, out var position) && position.IsIsolated, ErrorCodes.UnknownPosition,
            $"Account {Id} has no open isolated position in {symbol}.");
        var asset = market.SettleAsset;
        if (delta > 0m)
        {
            var withdrawable = MarginCalculator.CrossScope(asset, Wallet(asset), MarkPositions(context), thresholds).Withdrawable;
            Require.That(delta <= withdrawable, ErrorCodes.InsufficientMargin,
                $"Adding {delta} {asset} to {symbol} needs more than the {withdrawable} the cross wallet can give.");
        }
        else
        {
            var scope = MarginCalculator.IsolatedScope(market, position!, context.Mark(symbol), thresholds);
            var removable = Math.Max(0m, Math.Min(position!.IsolatedMargin, scope.MarginBalance - scope.InitialMargin));
            Require.That(-delta <= removable, ErrorCodes.InsufficientMargin,
                $"At most {removable} {asset} can be removed from {symbol} while keeping its initial margin {scope.InitialMargin}.");
        }

        var transaction = LedgerTransaction.Create(TransactionId(key), "isolated-margin",
            new LedgerLeg(LedgerAccount.Wallet(Id, asset), -delta, EntryKind.MarginTransfer),
            new LedgerLeg(LedgerAccount.Isolated(Id, symbol, asset), delta, EntryKind.MarginTransfer));
        return NewEvent(key, fingerprint, "isolated-margin", transaction, position!);
    }

    /// <summary>
    /// The pre-trade check: the initial margin the opening part of an order needs at its price, against what
    /// funds it, and the bracket's maximum leverage at the resulting notional. A cross order is funded by the
    /// cross scope's available balance, unrealized PnL included. An isolated order is funded by a transfer
    /// out of the cross wallet (section 3), which cannot move unrealized profit, so it is weighed against the
    /// cross scope's withdrawable amount, the same limit as adding isolated margin by hand.
    /// </summary>
    public OrderCheckResult CheckOrder(string symbol, Side side, decimal quantity, decimal price, IMarketContext context, MarginLevelThresholds thresholds)
    {
        var market = context.Market(symbol);
        Require.That(Enum.IsDefined(side), ErrorCodes.InvalidArgument, "A side is buy or sell.");
        market.RequireValidQuantity(quantity);
        market.RequireValidPrice(price);

        var current = _positions.GetValueOrDefault(symbol) ?? Position.Flat(symbol, market.SettleAsset, SettingsFor(market));
        GridBounds.Within(ContractMath.Notional(market, quantity, price), GridBounds.MaxNotional, "Order notional");
        var outcome = FillMath.Apply(market, current.Size, current.EntryPrice, side, quantity, price);
        market.RequireWithinBounds(outcome.NewSize, outcome.NewEntryPrice, "The resulting position's");
        var marked = MarkPositions(context);
        var cross = MarginCalculator.CrossScope(market.SettleAsset, Wallet(market.SettleAsset), marked, thresholds);
        var available = current.IsIsolated ? cross.Withdrawable : cross.AvailableBalance;
        if (outcome.OpenedQuantity == 0m)
        {
            return new OrderCheckResult(true, 0m, available, null);
        }

        var required = ContractMath.Notional(market, outcome.OpenedQuantity, price) / current.Leverage;
        var resulting = ContractMath.Notional(market, Math.Abs(outcome.NewSize), price);
        var bracket = market.Brackets.For(resulting);
        if (current.Leverage > bracket.MaxLeverage)
        {
            return new OrderCheckResult(false, required, available,
                $"Leverage {current.Leverage} is above the maximum {bracket.MaxLeverage} for a notional of {resulting}.");
        }

        return required <= available
            ? new OrderCheckResult(true, required, available, null)
            : new OrderCheckResult(false, required, available, $"Initial margin {required} is above the available balance {available}.");
    }

    private static void RequireLeverageWithinBracket(MarketDefinition market, int leverage, decimal notional)
    {
        var bracket = market.Brackets.For(notional);
        Require.That(leverage <= bracket.MaxLeverage, ErrorCodes.LeverageAboveBracket,
            $"Leverage {leverage} is above the maximum {bracket.MaxLeverage} of {market.Symbol} for a notional of {notional}.");
    }
}
