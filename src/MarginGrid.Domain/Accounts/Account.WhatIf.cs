using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>
    /// The account as it would stand after <paramref name="trades"/>, applied in order by the same fill logic
    /// as real fills. It is a copy: this account does not change, and the copy's events go nowhere.
    /// </summary>
    public Account WhatIf(IEnumerable<HypotheticalTrade> trades, IMarketContext context, MarginLevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(context);
        var copy = HypotheticalCopy();
        var number = 0;
        foreach (var trade in trades)
        {
            number++;
            try
            {
                copy.ApplyHypothetical(trade, number, context, thresholds);
            }
            catch (DomainException error)
            {
                // Which of several fills was refused matters to the caller; the code stays the rule's own.
                throw new DomainException(error.Code, $"Fill {number}: {error.Message}");
            }
        }

        return copy;
    }

    /// <summary>
    /// A copy of the balances, positions and settings at this version, without the command history: a
    /// hypothetical fill is never a replay of a real one, whatever id it is given.
    /// </summary>
    private Account HypotheticalCopy()
    {
        var copy = new Account(Id) { Version = Version };
        foreach (var (account, balance) in _balances)
        {
            copy._balances[account] = balance;
        }

        foreach (var (symbol, position) in _positions)
        {
            copy._positions[symbol] = position;
        }

        foreach (var (symbol, settings) in _settings)
        {
            copy._settings[symbol] = settings;
        }

        return copy;
    }

    private void ApplyHypothetical(HypotheticalTrade trade, int number, IMarketContext context, MarginLevelThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var market = context.Market(trade.Symbol);
        if (!_positions.ContainsKey(trade.Symbol) && (trade.Mode is not null || trade.Leverage is not null))
        {
            var current = SettingsFor(market);
            var chosen = new PositionSettings(trade.Mode ?? current.Mode, trade.Leverage ?? current.Leverage);
            Execute(a => a.DecideSettings(trade.Symbol, chosen, context, thresholds));
        }

        Execute(a => a.DecideFill(new Fill($"what-if:{number}", trade.Symbol, trade.Side, trade.Quantity, trade.Price, trade.Fee), market));
    }
}
